/**
 * Python's printf-style string formatting, as `"%.2f"|format(price)` and `"%s items" % n` use
 * it in templates: conversions `s r a d i u x X o f F e E g G c %`, flags `- + space 0 #`,
 * width and precision, and `%(name)s` keys with keyword arguments.
 *
 * @module
 */
import {
  isFloat,
  isMapping,
  isNumber,
  isTuple,
  numberOf,
  repr,
  roundHalfEven,
  str,
  typeName,
} from "./values.ts";

const SPEC = /%(?:\(([^)]*)\))?([-+ #0]*)(\d+)?(?:\.(\d+))?[hlL]?([diouxXeEfFgGcrsa%])?/g;

function expPart(s: string): string {
  // JavaScript writes e+4; Python writes at least two exponent digits: e+04.
  return s.replace(/e([+-])(\d)$/, "e$10$2");
}

function fixed(x: number, precision: number): string {
  return roundHalfEven(x, Math.min(precision, 100)).toFixed(Math.min(precision, 100));
}

function general(x: number, precision: number, alt: boolean): string {
  const p = precision === 0 ? 1 : precision;
  if (x === 0) return alt ? (0).toFixed(p - 1) : "0";
  const exp = Number(x.toExponential(p - 1).split("e")[1]);
  let out: string;
  if (exp >= -4 && exp < p) out = fixed(x, p - 1 - exp);
  else out = expPart(x.toExponential(p - 1));
  if (!alt) {
    out = out.replace(/(\.\d*?)0+(e|$)/, "$1$2").replace(/\.(e|$)/, "$1");
  }
  return out;
}

function number(value: unknown, conv: string): number {
  if (!isNumber(value)) {
    const need = "xXoc".includes(conv) ? "an integer is required" : "a real number is required";
    throw new TypeError(`%${conv} format: ${need}, not ${typeName(value)}`);
  }
  if ("xXo".includes(conv) && isFloat(value)) {
    throw new TypeError(`%${conv} format: an integer is required, not float`);
  }
  return numberOf(value);
}

function convert(value: unknown, conv: string, flags: string, precision?: number): string {
  switch (conv) {
    case "s":
      return precision === undefined ? str(value) : [...str(value)].slice(0, precision).join("");
    case "r":
    case "a":
      return precision === undefined ? repr(value) : [...repr(value)].slice(0, precision).join("");
    case "c":
      return typeof value === "string" ? value : String.fromCodePoint(number(value, conv));
  }
  const n = number(value, conv);
  const sign = n < 0 || Object.is(n, -0)
    ? "-"
    : flags.includes("+")
    ? "+"
    : flags.includes(" ")
    ? " "
    : "";
  const x = Math.abs(n);
  const alt = flags.includes("#");
  let body: string;
  switch (conv) {
    case "d":
    case "i":
    case "u":
      body = String(Math.trunc(x));
      break;
    case "x":
    case "X":
      body = (alt ? "0x" : "") + x.toString(16);
      if (conv === "X") body = body.toUpperCase();
      break;
    case "o":
      body = (alt ? "0o" : "") + x.toString(8);
      break;
    case "f":
    case "F":
      body = fixed(x, precision ?? 6);
      break;
    case "e":
    case "E":
      body = expPart(x.toExponential(Math.min(precision ?? 6, 100)));
      if (conv === "E") body = body.toUpperCase();
      break;
    default:
      body = general(x, precision ?? 6, alt);
      if (conv === "G") body = body.toUpperCase();
  }
  return sign + body;
}

/** Python's `fmt % values`: a tuple gives positional values, a mapping `%(name)s` keys. */
export function percentFormat(fmt: string, values: unknown): string {
  const positional = isTuple(values) ? values as unknown[] : [values];
  let next = 0;
  let usedMapping = false;
  const out = fmt.replace(SPEC, (_whole, key, flags: string, width, prec, conv) => {
    if (conv === undefined) throw new TypeError("incomplete format");
    if (conv === "%") return "%";
    let value: unknown;
    if (key !== undefined) {
      if (!isMapping(values)) throw new TypeError("format requires a mapping");
      if (!Object.hasOwn(values, key)) throw new TypeError(`format key "${key}" is missing`);
      value = values[key];
      usedMapping = true;
    } else {
      if (next >= positional.length) throw new TypeError("not enough arguments for format string");
      value = positional[next++];
    }
    let text = convert(value, conv, flags, prec === undefined ? undefined : Number(prec));
    const w = width === undefined ? 0 : Number(width);
    const len = [...text].length;
    if (len < w) {
      if (flags.includes("-")) text += " ".repeat(w - len);
      else if (flags.includes("0") && !"srac".includes(conv)) {
        const signed = /^[-+ ]/.test(text) ? 1 : 0;
        text = text.slice(0, signed) + "0".repeat(w - len) + text.slice(signed);
      } else text = " ".repeat(w - len) + text;
    }
    return text;
  });
  if (!usedMapping && !isMapping(values) && next < positional.length) {
    throw new TypeError("not all arguments converted during string formatting");
  }
  return out;
}
