/**
 * jinja2's built-in filters and tests that prompt templates use, with Python's results:
 * `default` only replaces Undefined (or any false value with `boolean=true`), `round` rounds
 * half to even and returns a float, `tojson` sorts keys, escapes non-ASCII and makes `<>&'`
 * HTML-safe, `join` and `upper` print values with `str()`.
 *
 * @module
 */
import { getAttr, getItem, replaceCount, toFloat, UndefinedAccess } from "./access.ts";
import {
  compare,
  compareStrings,
  equals,
  float,
  floatRepr,
  isFloat,
  isMapping,
  isNumber,
  isTuple,
  iterate,
  length,
  Namespace,
  numberOf,
  PyFloat,
  splitLines,
  str,
  strip,
  truthy,
  tuple,
  typeName,
  Undefined,
} from "./values.ts";

/** What a filter can call back into: other filters and tests, by name. */
export interface FilterEnv {
  filter(name: string, value: unknown, args: unknown[], kwargs: Record<string, unknown>): unknown;
  test(name: string, value: unknown, args: unknown[]): boolean;
}

/** A filter implementation. */
export type Filter = (
  value: unknown,
  args: unknown[],
  kwargs: Record<string, unknown>,
  env: FilterEnv,
) => unknown;

/** Bind positional and keyword arguments to a Python-style parameter list. */
function bind(
  name: string,
  params: [string, unknown][],
  args: unknown[],
  kwargs: Record<string, unknown>,
): unknown[] {
  if (args.length > params.length) {
    throw new TypeError(`filter "${name}" takes at most ${params.length} arguments`);
  }
  const values = params.map(([, d], i) => (i < args.length ? args[i] : d));
  for (const [k, v] of Object.entries(kwargs)) {
    const i = params.findIndex(([p]) => p === k);
    if (i < 0) throw new TypeError(`filter "${name}" got an unexpected keyword argument "${k}"`);
    values[i] = v;
  }
  return values;
}

function attrGetter(attribute: unknown): (item: unknown) => unknown {
  if (attribute === null || attribute === undefined) return (x) => x;
  const parts = String(attribute).split(".").map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  return (item) =>
    parts.reduce<unknown>(
      (v, p) => (v instanceof Undefined ? v : getItem(v, p, String(attribute))),
      item,
    );
}

function sortKey(caseSensitive: unknown) {
  return (v: unknown) => (!truthy(caseSensitive) && typeof v === "string" ? v.toLowerCase() : v);
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

function pyRound(value: unknown, precision: number): unknown {
  if (typeof value === "boolean") value = value ? 1 : 0;
  if (typeof value === "number" && Number.isInteger(value)) {
    if (precision >= 0) return value;
    return roundHalfEven(value, precision);
  }
  if (!isNumber(value)) {
    throw new TypeError(`type ${typeName(value)} doesn't define __round__ method`);
  }
  const r = roundHalfEven(numberOf(value), precision);
  return float(r === 0 && (numberOf(value) < 0 || Object.is(numberOf(value), -0)) ? -0 : r);
}

const HTML_SAFE: Record<string, string> = {
  "<": "\\u003c",
  ">": "\\u003e",
  "&": "\\u0026",
  "'": "\\u0027",
};

function jsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    const code = s.charCodeAt(i);
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\b") out += "\\b";
    else if (ch === "\f") out += "\\f";
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += ch;
  }
  return out + '"';
}

/** Python's `json.dumps(value, sort_keys=True, indent=indent)`. */
export function pyJsonDumps(value: unknown, indent?: number | string | null): string {
  const unit = indent === undefined || indent === null
    ? null
    : typeof indent === "number"
    ? " ".repeat(indent)
    : indent;
  const walk = (v: unknown, depth: number): string => {
    if (v === null) return "null";
    if (v === true) return "true";
    if (v === false) return "false";
    if (typeof v === "string") return jsonString(v);
    if (typeof v === "number" || v instanceof PyFloat) {
      const n = numberOf(v);
      if (Number.isNaN(n)) return "NaN";
      if (!Number.isFinite(n)) return n > 0 ? "Infinity" : "-Infinity";
      return isFloat(v) ? floatRepr(n) : String(n);
    }
    let items: string[];
    let open: string, close: string;
    if (Array.isArray(v)) {
      items = v.map((x) => walk(x, depth + 1));
      [open, close] = ["[", "]"];
    } else if (isMapping(v)) {
      items = Object.keys(v).sort(compareStrings).map((k) =>
        `${jsonString(k)}: ${walk(v[k], depth + 1)}`
      );
      [open, close] = ["{", "}"];
    } else {
      throw new TypeError(`Object of type ${typeName(v)} is not JSON serializable`);
    }
    if (items.length === 0) return open + close;
    if (unit === null) return open + items.join(", ") + close;
    const pad = "\n" + unit.repeat(depth + 1);
    return open + pad + items.join("," + pad) + "\n" + unit.repeat(depth) + close;
  };
  return walk(value, 0);
}

function htmlEscape(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;" })[c]!,
  );
}

function add(a: unknown, b: unknown): unknown {
  if (isNumber(a) && isNumber(b)) {
    const r = numberOf(a) + numberOf(b);
    return isFloat(a) || isFloat(b) ? float(r) : r;
  }
  if (typeof a === "string" && typeof b === "string") return a + b;
  if (Array.isArray(a) && Array.isArray(b) && isTuple(a) === isTuple(b)) {
    return isTuple(a) ? tuple([...a, ...b]) : [...a, ...b];
  }
  throw new TypeError(
    `unsupported operand type(s) for +: '${typeName(a)}' and '${typeName(b)}'`,
  );
}

/** Python operations that Undefined refuses (`int()`, `float()`, `+`). */
function defined(value: unknown): unknown {
  if (value instanceof Undefined) throw new UndefinedAccess(value);
  return value;
}

function pyInt(value: unknown, dflt: unknown, base: number): unknown {
  defined(value);
  if (typeof value === "boolean") return value ? 1 : 0;
  if (isNumber(value)) return Math.trunc(numberOf(value));
  if (typeof value === "string") {
    const s = strip(value).replaceAll("_", "");
    if (base === 10 && /^[+-]?\d+$/.test(s)) return Number(s);
    if (base !== 10 && s) {
      const n = parseInt(s.replace(/^0[xob]/i, ""), base);
      if (!Number.isNaN(n)) return n;
    }
    const f = toFloat(value);
    if (f !== null && Number.isFinite(f)) return Math.trunc(f);
  }
  return dflt;
}

function minMax(value: unknown, caseSensitive: unknown, attribute: unknown, sign: number) {
  const items = iterate(value);
  if (items.length === 0) return new Undefined("no items");
  const get = attrGetter(attribute);
  const key = sortKey(caseSensitive);
  return items.reduce((best, x) =>
    sign * compare(key(get(x)), key(get(best)), sign > 0 ? ">" : "<") > 0 ? x : best
  );
}

function selectOrReject(
  value: unknown,
  args: unknown[],
  env: FilterEnv,
  keep: boolean,
  useAttr: boolean,
): unknown[] {
  const rest = [...args];
  const get = useAttr ? attrGetter(rest.shift()) : (x: unknown) => x;
  const testName = rest.shift() as string | undefined;
  return iterate(value).filter((x) => {
    const v = get(x);
    const ok = testName === undefined ? truthy(v) : env.test(String(testName), v, rest);
    return ok === keep;
  });
}

/** The filters, by name. */
export const FILTERS: Record<string, Filter> = {
  default(value, args, kwargs) {
    const [dflt, boolean] = bind(
      "default",
      [["default_value", ""], ["boolean", false]],
      args,
      kwargs,
    );
    return value instanceof Undefined || (truthy(boolean) && !truthy(value)) ? dflt : value;
  },
  join(value, args, kwargs) {
    const [d, attribute] = bind("join", [["d", ""], ["attribute", null]], args, kwargs);
    return iterate(value).map(attrGetter(attribute)).map(str).join(str(d));
  },
  length: (value) => length(value),
  upper: (value) => str(value).toUpperCase(),
  lower: (value) => str(value).toLowerCase(),
  capitalize(value) {
    const chars = [...str(value)];
    return chars.length ? chars[0].toUpperCase() + chars.slice(1).join("").toLowerCase() : "";
  },
  title(value) {
    return str(value).split(/([-\s({\[<]+)/).filter((s) => s).map((item) => {
      const chars = [...item];
      return chars[0].toUpperCase() + chars.slice(1).join("").toLowerCase();
    }).join("");
  },
  trim(value, args, kwargs) {
    const [chars] = bind("trim", [["chars", null]], args, kwargs);
    return strip(str(value), chars as string | null);
  },
  replace(value, args, kwargs) {
    const [old, repl, count] = bind(
      "replace",
      [["old", ""], ["new", ""], ["count", null]],
      args,
      kwargs,
    );
    return replaceCount(str(value), str(old), str(repl), count === null ? -1 : numberOf(count));
  },
  round(value, args, kwargs) {
    const [precision, method] = bind(
      "round",
      [["precision", 0], ["method", "common"]],
      args,
      kwargs,
    );
    const p = numberOf(precision);
    if (method === "common") return pyRound(value, p);
    if (method !== "ceil" && method !== "floor") {
      throw new TypeError("method must be common, ceil or floor");
    }
    if (!isNumber(value)) throw new TypeError(`must be real number, not ${typeName(value)}`);
    const f = method === "ceil" ? Math.ceil : Math.floor;
    return float(f(numberOf(value) * 10 ** p) / 10 ** p);
  },
  tojson(value, args, kwargs) {
    const [indent] = bind("tojson", [["indent", null]], args, kwargs);
    return pyJsonDumps(value, indent as number | null).replace(/[<>&']/g, (c) => HTML_SAFE[c]);
  },
  first(value) {
    const items = iterate(value);
    return items.length ? items[0] : new Undefined("first item");
  },
  last(value) {
    if (value instanceof Undefined) return value;
    const items = iterate(value);
    return items.length ? items[items.length - 1] : new Undefined("last item");
  },
  list: (value) => [...iterate(value)],
  string: (value) => str(value),
  int(value, args, kwargs) {
    const [dflt, base] = bind("int", [["default", 0], ["base", 10]], args, kwargs);
    return pyInt(value, dflt, numberOf(base));
  },
  float(value, args, kwargs) {
    const [dflt] = bind("float", [["default", new PyFloat(0)]], args, kwargs);
    const f = toFloat(defined(value));
    return f === null ? dflt : float(f);
  },
  abs(value) {
    if (!isNumber(value)) throw new TypeError(`bad operand type for abs(): '${typeName(value)}'`);
    const n = Math.abs(numberOf(value));
    return isFloat(value) ? float(n) : n;
  },
  sum(value, args, kwargs) {
    const [attribute, start] = bind("sum", [["attribute", null], ["start", 0]], args, kwargs);
    return iterate(value).map(attrGetter(attribute)).reduce((a, b) => add(a, b), start);
  },
  max(value, args, kwargs) {
    const [cs, attribute] = bind(
      "max",
      [["case_sensitive", false], ["attribute", null]],
      args,
      kwargs,
    );
    return minMax(value, cs, attribute, 1);
  },
  min(value, args, kwargs) {
    const [cs, attribute] = bind(
      "min",
      [["case_sensitive", false], ["attribute", null]],
      args,
      kwargs,
    );
    return minMax(value, cs, attribute, -1);
  },
  sort(value, args, kwargs) {
    const [reverse, cs, attribute] = bind(
      "sort",
      [["reverse", false], ["case_sensitive", false], ["attribute", null]],
      args,
      kwargs,
    );
    const get = attrGetter(attribute);
    const key = sortKey(cs);
    const sorted = [...iterate(value)].sort((a, b) => compare(key(get(a)), key(get(b)), "<"));
    return truthy(reverse) ? sorted.reverse() : sorted;
  },
  reverse(value) {
    if (typeof value === "string") return [...value].reverse().join("");
    return [...iterate(value)].reverse();
  },
  unique(value, args, kwargs) {
    const [cs, attribute] = bind(
      "unique",
      [["case_sensitive", false], ["attribute", null]],
      args,
      kwargs,
    );
    const get = attrGetter(attribute);
    const key = sortKey(cs);
    const seen: unknown[] = [];
    return iterate(value).filter((x) => {
      const k = key(get(x));
      if (seen.some((s) => equals(s, k))) return false;
      seen.push(k);
      return true;
    });
  },
  map(value, args, kwargs, env) {
    if ("attribute" in kwargs) {
      const get = attrGetter(kwargs.attribute);
      return iterate(value).map((x) => {
        const v = get(x);
        return v instanceof Undefined && "default" in kwargs ? kwargs.default : v;
      });
    }
    const [name, ...rest] = args;
    return iterate(value).map((x) => env.filter(String(name), x, rest, kwargs));
  },
  select: (value, args, _kwargs, env) => selectOrReject(value, args, env, true, false),
  reject: (value, args, _kwargs, env) => selectOrReject(value, args, env, false, false),
  selectattr: (value, args, _kwargs, env) => selectOrReject(value, args, env, true, true),
  rejectattr: (value, args, _kwargs, env) => selectOrReject(value, args, env, false, true),
  dictsort(value, args, kwargs) {
    const [cs, by, reverse] = bind(
      "dictsort",
      [["case_sensitive", false], ["by", "key"], ["reverse", false]],
      args,
      kwargs,
    );
    if (!isMapping(defined(value))) throw new TypeError("dictsort requires a mapping");
    if (by !== "key" && by !== "value") {
      throw new TypeError('You can only sort by either "key" or "value"');
    }
    const key = sortKey(cs);
    const sorted = Object.entries(value as Record<string, unknown>)
      .sort((a, b) => {
        const pos = by === "key" ? 0 : 1;
        return compare(key(a[pos]), key(b[pos]), "<");
      })
      .map((pair) => tuple(pair));
    return truthy(reverse) ? sorted.reverse() : sorted;
  },
  items(value) {
    if (value instanceof Undefined) return [];
    if (!isMapping(value)) throw new TypeError(`can only get item pairs from a mapping`);
    return Object.entries(value).map(([k, v]) => tuple([k, v]));
  },
  indent(value, args, kwargs) {
    const [width, first, blank] = bind(
      "indent",
      [["width", 4], ["first", false], ["blank", false]],
      args,
      kwargs,
    );
    const unit = typeof width === "string" ? width : " ".repeat(numberOf(width));
    const s = str(defined(value)) + "\n";
    let rv: string;
    if (truthy(blank)) rv = splitLines(s).join("\n" + unit);
    else {
      const lines = splitLines(s);
      rv = lines.shift() ?? "";
      if (lines.length) rv += "\n" + lines.map((l) => (l ? unit + l : l)).join("\n");
    }
    return truthy(first) ? unit + rv : rv;
  },
  truncate(value, args, kwargs) {
    const [len, killwords, end, leeway] = bind(
      "truncate",
      [["length", 255], ["killwords", false], ["end", "..."], ["leeway", 5]],
      args,
      kwargs,
    );
    const chars = [...str(value)];
    const n = numberOf(len), tail = str(end);
    if (n < [...tail].length) {
      throw new TypeError(`expected length >= ${[...tail].length}, got ${n}`);
    }
    if (chars.length <= n + numberOf(leeway)) return chars.join("");
    const head = chars.slice(0, n - [...tail].length).join("");
    if (truthy(killwords)) return head + tail;
    const space = head.lastIndexOf(" ");
    return (space < 0 ? head : head.slice(0, space)) + tail;
  },
  wordcount: (value) => (str(value).match(/[\p{L}\p{N}_]+/gu) ?? []).length,
  safe: (value) => str(value),
  escape: (value) => htmlEscape(str(value)),
  attr: (value, args) => getAttr(value, String(args[0]), String(args[0])),
};
FILTERS.d = FILTERS.default;
FILTERS.count = FILTERS.length;
FILTERS.e = FILTERS.escape;

/** A test implementation. */
export type Test = (value: unknown, args: unknown[]) => boolean;

const cmp = (op: string, f: (c: number) => boolean): Test => (v, a) => f(compare(v, a[0], op));

/** The tests (`is defined`, `is number`, …), by name. */
export const TESTS: Record<string, Test> = {
  defined: (v) => !(v instanceof Undefined),
  undefined: (v) => v instanceof Undefined,
  none: (v) => v === null,
  boolean: (v) => typeof v === "boolean",
  true: (v) => v === true,
  false: (v) => v === false,
  integer: (v) => typeof v === "number" && Number.isInteger(v),
  float: (v) => isFloat(v),
  number: (v) => isNumber(v),
  string: (v) => typeof v === "string",
  mapping: (v) => isMapping(v),
  iterable: (v) =>
    v instanceof Undefined || typeof v === "string" || Array.isArray(v) || isMapping(v),
  sequence: (v) => typeof v === "string" || Array.isArray(v) || isMapping(v),
  callable: (v) => typeof v === "function",
  sameas: (v, a) => v === a[0],
  even: (v) => {
    if (!isNumber(v)) throw new TypeError(`not all arguments converted during string formatting`);
    return numberOf(v) % 2 === 0;
  },
  odd: (v) => {
    if (!isNumber(v)) throw new TypeError(`not all arguments converted during string formatting`);
    return Math.abs(numberOf(v) % 2) === 1;
  },
  divisibleby: (v, a) => numberOf(v) % numberOf(a[0]) === 0,
  eq: (v, a) => equals(v, a[0]),
  ne: (v, a) => !equals(v, a[0]),
  lt: cmp("<", (c) => c < 0),
  le: cmp("<=", (c) => c <= 0),
  gt: cmp(">", (c) => c > 0),
  ge: cmp(">=", (c) => c >= 0),
  in: (v, a) => contains(a[0], v),
  lower: (v) => str(v) === str(v).toLowerCase(),
  upper: (v) => str(v) === str(v).toUpperCase(),
  escaped: () => false,
  filter: (v) => typeof v === "string" && v in FILTERS,
  test: (v) => typeof v === "string" && v in TESTS,
};
Object.assign(TESTS, {
  "==": TESTS.eq,
  equalto: TESTS.eq,
  "!=": TESTS.ne,
  "<": TESTS.lt,
  lessthan: TESTS.lt,
  "<=": TESTS.le,
  ">": TESTS.gt,
  greaterthan: TESTS.gt,
  ">=": TESTS.ge,
});

/** Python's `item in container`. */
export function contains(container: unknown, item: unknown): boolean {
  if (container instanceof Undefined) return false;
  if (typeof container === "string") {
    if (typeof item !== "string") {
      throw new TypeError(`'in <string>' requires string as left operand, not ${typeName(item)}`);
    }
    return container.includes(item);
  }
  if (Array.isArray(container)) return container.some((x) => equals(x, item));
  if (isMapping(container)) return typeof item === "string" && Object.hasOwn(container, item);
  if (container instanceof Namespace) return false;
  throw new TypeError(`argument of type '${typeName(container)}' is not iterable`);
}

export { add };
