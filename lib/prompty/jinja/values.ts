/**
 * Python's view of template values, as Jinja2 sees them: `str()` and `repr()` (None, True,
 * `[1, 'a']`, `{'k': 1.5}`), truthiness (empty list and dict are false), equality and ordering,
 * int versus float (an integral float such as `round(2.5)` is a {@link PyFloat}), tuples, and
 * jinja2's default `Undefined`, which renders empty, iterates as empty and is false, but fails
 * when anything is read from it.
 *
 * @module
 */

/** Raised while rendering; `line` is the template line (1-based) when known. */
export class JinjaError extends Error {
  /** Template line, 1-based. */
  line?: number;
  /** "syntax" at compile time, "runtime" while rendering. */
  kind: "syntax" | "runtime";
  constructor(message: string, kind: "syntax" | "runtime", line?: number) {
    super(message);
    this.name = kind === "syntax" ? "TemplateSyntaxError" : "TemplateRuntimeError";
    this.kind = kind;
    this.line = line;
  }
}

/** jinja2's default `Undefined`: a missing variable, attribute or item. */
export class Undefined {
  /** What was looked up, as written: `customer`, `customer.address`. */
  readonly path: string;
  constructor(path: string) {
    this.path = path;
  }
}

/** A Python float whose value is integral (`2.0`); other floats are plain non-integral numbers. */
export class PyFloat {
  readonly value: number;
  constructor(value: number) {
    this.value = value;
  }
  /** Serialises as the number. */
  toJSON(): number {
    return this.value;
  }
}

/** `namespace(...)`: the one object a template may assign attributes to. */
export class Namespace {
  readonly attrs: Record<string, unknown>;
  constructor(attrs: Record<string, unknown>) {
    this.attrs = attrs;
  }
}

/** A callable value: positional arguments and keyword arguments. */
export type PyCallable = (args: unknown[], kwargs: Record<string, unknown>) => unknown;

const tuples = new WeakSet<unknown[]>();

/** Make a tuple (renders with parentheses). */
export function tuple(items: unknown[]): unknown[] {
  tuples.add(items);
  return items;
}

/** Whether a list is a tuple. */
export function isTuple(value: unknown): boolean {
  return Array.isArray(value) && tuples.has(value);
}

/** Whether the value is a Python float (a `PyFloat` or a non-integral number). */
export function isFloat(value: unknown): boolean {
  return value instanceof PyFloat || (typeof value === "number" && !Number.isInteger(value));
}

/** Whether the value is a Python number (bools count, as in Python). */
export function isNumber(value: unknown): boolean {
  return typeof value === "number" || value instanceof PyFloat || typeof value === "boolean";
}

/** The numeric value of a number (bool as 0/1). */
export function numberOf(value: unknown): number {
  if (value instanceof PyFloat) return value.value;
  if (typeof value === "boolean") return value ? 1 : 0;
  return value as number;
}

/** A float result: integral values become `PyFloat` so they render as `2.0`. */
export function float(n: number): number | PyFloat {
  return Number.isInteger(n) ? new PyFloat(n) : n;
}

/** Objects the interpreter makes (`loop`), which are not mappings. */
export class TemplateObject {}

/** Whether the value is a mapping: any object of the caller's that is not a list or a Date. */
export function isMapping(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object") return false;
  return !(Array.isArray(value) || value instanceof Undefined || value instanceof PyFloat ||
    value instanceof Namespace || value instanceof TemplateObject || value instanceof Date);
}

/** Python's type name, for error messages (`'int' object is not iterable`). */
export function typeName(value: unknown): string {
  if (value === null) return "NoneType";
  if (value instanceof Undefined) return "Undefined";
  if (typeof value === "boolean") return "bool";
  if (isFloat(value)) return "float";
  if (typeof value === "number") return "int";
  if (typeof value === "string") return "str";
  if (isTuple(value)) return "tuple";
  if (Array.isArray(value)) return "list";
  if (value instanceof Namespace) return "Namespace";
  if (typeof value === "function") return "function";
  if (isMapping(value)) return "dict";
  return "object";
}

/** Python truthiness. */
export function truthy(value: unknown): boolean {
  if (value === null || value === undefined || value instanceof Undefined) return false;
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return value !== 0;
  if (value instanceof PyFloat) return value.value !== 0;
  if (typeof value === "string") return value.length > 0;
  if (Array.isArray(value)) return value.length > 0;
  if (isMapping(value)) return Object.keys(value).length > 0;
  return true;
}

/** Python's `repr()` of a float. */
export function floatRepr(n: number): string {
  if (Number.isNaN(n)) return "nan";
  if (!Number.isFinite(n)) return n > 0 ? "inf" : "-inf";
  if (n === 0) return Object.is(n, -0) ? "-0.0" : "0.0";
  const [mantissa, exp] = n.toExponential().split("e");
  const e = Number(exp);
  if (e < -4 || e >= 16) {
    return `${mantissa}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  }
  const digits = mantissa.replace("-", "").replace(".", "");
  const sign = n < 0 ? "-" : "";
  if (e < 0) return `${sign}0.${"0".repeat(-e - 1)}${digits}`;
  const int = digits.slice(0, e + 1).padEnd(e + 1, "0");
  const frac = digits.slice(e + 1);
  return `${sign}${int}.${frac || "0"}`;
}

// Characters Python's str.isprintable() rejects (escaped by repr()).
const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cn}\p{Cs}]|(?! )\p{Zs}/u;

/** Python's `repr()` of a string. */
export function stringRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    if (ch === quote || ch === "\\") out += "\\" + ch;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (NON_PRINTABLE.test(ch)) {
      const code = ch.codePointAt(0)!;
      out += code < 0x100
        ? `\\x${code.toString(16).padStart(2, "0")}`
        : code < 0x10000
        ? `\\u${code.toString(16).padStart(4, "0")}`
        : `\\U${code.toString(16).padStart(8, "0")}`;
    } else out += ch;
  }
  return out + quote;
}

/** Python's `repr()`. */
export function repr(value: unknown): string {
  if (typeof value === "string") return stringRepr(value);
  if (value instanceof Undefined) return "Undefined";
  return str(value);
}

/** Python's `str()`, which is what `{{ value }}` prints. */
export function str(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === undefined || value instanceof Undefined) return "";
  if (value === null) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "number") {
    return Number.isInteger(value) ? String(value) : floatRepr(value);
  }
  if (value instanceof PyFloat) return floatRepr(value.value);
  if (Array.isArray(value)) {
    const items = value.map(repr);
    if (isTuple(value)) return items.length === 1 ? `(${items[0]},)` : `(${items.join(", ")})`;
    return `[${items.join(", ")}]`;
  }
  if (value instanceof Namespace) return `<Namespace ${str(value.attrs)}>`;
  if (typeof value === "function") return "<function>";
  if (isMapping(value)) {
    return `{${Object.entries(value).map(([k, v]) => `${stringRepr(k)}: ${repr(v)}`).join(", ")}}`;
  }
  return String(value);
}

/** Python's `==`. */
export function equals(a: unknown, b: unknown): boolean {
  if (a instanceof Undefined || b instanceof Undefined) {
    return a instanceof Undefined && b instanceof Undefined;
  }
  if (isNumber(a) && isNumber(b)) return numberOf(a) === numberOf(b);
  if (Array.isArray(a) && Array.isArray(b)) {
    return isTuple(a) === isTuple(b) && a.length === b.length &&
      a.every((x, i) => equals(x, b[i]));
  }
  if (isMapping(a) && isMapping(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length &&
      ka.every((k) => Object.hasOwn(b, k) && equals(a[k], b[k]));
  }
  return a === b;
}

/** Python's ordering (`<`): negative, zero or positive; throws a `TypeError` message otherwise. */
export function compare(a: unknown, b: unknown, op: string): number {
  if (isNumber(a) && isNumber(b)) return numberOf(a) - numberOf(b);
  if (typeof a === "string" && typeof b === "string") return compareStrings(a, b);
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (!equals(a[i], b[i])) return compare(a[i], b[i], op);
    }
    return a.length - b.length;
  }
  throw new TypeError(
    `'${op}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`,
  );
}

/** Code-point order, as Python compares strings. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const x = [...a], y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i].codePointAt(0)! - y[i].codePointAt(0)!;
  }
  return x.length - y.length;
}

/** Python's `iter()`: the items a `for` loop sees; Undefined is empty. */
export function iterate(value: unknown): unknown[] {
  if (value instanceof Undefined) return [];
  if (Array.isArray(value)) return value;
  if (typeof value === "string") return [...value];
  if (isMapping(value)) return Object.keys(value);
  throw new TypeError(`'${typeName(value)}' object is not iterable`);
}

/** Python's `len()`. */
export function length(value: unknown): number {
  if (value instanceof Undefined) return 0;
  if (typeof value === "string") return [...value].length;
  if (Array.isArray(value)) return value.length;
  if (isMapping(value)) return Object.keys(value).length;
  throw new TypeError(`object of type '${typeName(value)}' has no len()`);
}

// Python's str.isspace() characters (str.strip() with no argument removes these).
const PY_SPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004" +
  "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000";

/** Python's `str.strip(chars)` (and its left/right forms). */
export function strip(s: string, chars?: string | null, side: "both" | "left" | "right" = "both") {
  const set = chars === undefined || chars === null ? PY_SPACE : chars;
  const cps = [...s];
  let start = 0, end = cps.length;
  if (side !== "right") { while (start < end && set.includes(cps[start])) start++; }
  if (side !== "left") { while (end > start && set.includes(cps[end - 1])) end--; }
  return cps.slice(start, end).join("");
}

/** Python whitespace test for one character. */
export function isSpace(ch: string): boolean {
  return PY_SPACE.includes(ch);
}

/** Python's `str.splitlines()` (every Unicode line boundary; no empty last line). */
export function splitLines(s: string): string[] {
  // deno-lint-ignore no-control-regex
  const lines = s.split(/\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/);
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

/** Python's round(x, n) for a float: the exact binary value, exact ties to even. */
export function roundHalfEven(x: number, ndigits: number): number {
  if (!Number.isFinite(x) || ndigits > 100) return x;
  if (ndigits < 0) {
    const p = 10 ** -ndigits;
    return roundHalfEven(x / p, 0) * p;
  }
  // A tie is exact only when x has exactly ndigits+1 binary fraction digits.
  let k = 0;
  while (k <= 1100 && !Number.isInteger(x * 2 ** k)) k++;
  if (k === ndigits + 1) {
    const y = Math.abs(x) * 10 ** ndigits;
    const n = Math.floor(y);
    const even = n % 2 === 0 ? n : n + 1;
    return Math.sign(x) * even / 10 ** ndigits;
  }
  return Number(x.toFixed(ndigits));
}
