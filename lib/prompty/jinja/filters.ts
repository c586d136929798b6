/**
 * jinja2's built-in filters that prompt templates use, with Python's results:
 * `default` only replaces Undefined (or any false value with `boolean=true`), `round` rounds
 * half to even and returns a float, `tojson` sorts keys, escapes non-ASCII and makes `<>&'`
 * HTML-safe, `join` and `upper` print values with `str()`.
 *
 * @module
 */
import { getAttr, getItem, replaceCount, toFloat, UndefinedAccess } from "./access.ts";
import { htmlSafeJson } from "./json.ts";
import { percentFormat } from "./format.ts";
import {
  compare,
  equals,
  float,
  isFloat,
  isMapping,
  isNumber,
  isTuple,
  iterate,
  length,
  numberOf,
  PyFloat,
  roundHalfEven,
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

function htmlEscape(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;" })[c]!,
  );
}

/** Python's `+`. */
export function add(a: unknown, b: unknown): unknown {
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
    return htmlSafeJson(value, indent as number | null);
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
  format(value, args, kwargs) {
    const named = Object.keys(kwargs).length > 0;
    if (named && args.length) {
      throw new TypeError("can't handle positional and keyword arguments at the same time");
    }
    return percentFormat(str(value), named ? kwargs : tuple(args));
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
