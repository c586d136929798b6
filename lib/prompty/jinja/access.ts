/**
 * Reading from values the way jinja2 does: `a.b` tries the Python attribute first (so
 * `d.items` is the dict method even when the dict has an `items` key) and then the item;
 * `a[b]` tries the item first. Missing ones are `Undefined`; reading from an `Undefined` is an
 * error. Also the handful of str, dict and list methods templates call (`name.upper()`,
 * `d.items()`, `d.get("k")`, `", ".join(xs)`), and the `loop` object of a `for`.
 *
 * @module
 */
import {
  isFloat,
  isMapping,
  isTuple,
  iterate,
  Namespace,
  numberOf,
  type PyCallable,
  splitLines,
  str,
  strip,
  TemplateObject,
  tuple,
  typeName,
  Undefined,
} from "./values.ts";

/** Thrown when something is read from an `Undefined`; the interpreter adds where. */
export class UndefinedAccess extends Error {
  readonly undefinedValue: Undefined;
  constructor(value: Undefined) {
    super(`"${value.path}" is undefined`);
    this.undefinedValue = value;
  }
}

/** The `loop` variable inside a `for`. */
export class LoopContext extends TemplateObject {
  index0 = 0;
  readonly items: unknown[];
  constructor(items: unknown[]) {
    super();
    this.items = items;
  }
  /** The loop's attributes by name (`loop.index`, `loop.cycle`, …). */
  attr(name: string): unknown {
    const n = this.items.length, i = this.index0;
    switch (name) {
      case "index":
        return i + 1;
      case "index0":
        return i;
      case "revindex":
        return n - i;
      case "revindex0":
        return n - i - 1;
      case "first":
        return i === 0;
      case "last":
        return i === n - 1;
      case "length":
        return n;
      case "depth":
        return 1;
      case "depth0":
        return 0;
      case "previtem":
        return i > 0 ? this.items[i - 1] : new Undefined("loop.previtem");
      case "nextitem":
        return i < n - 1 ? this.items[i + 1] : new Undefined("loop.nextitem");
      case "cycle":
        return ((args: unknown[]) => {
          if (args.length === 0) throw new TypeError("no items for cycling given");
          return args[i % args.length];
        }) as PyCallable;
      default:
        return new Undefined(`loop.${name}`);
    }
  }
}

const DICT_METHODS = new Set([
  "clear",
  "copy",
  "fromkeys",
  "get",
  "items",
  "keys",
  "pop",
  "popitem",
  "setdefault",
  "update",
  "values",
]);
const STR_METHODS = new Set(
  ("capitalize casefold center count encode endswith expandtabs find format format_map index " +
    "isalnum isalpha isascii isdecimal isdigit isidentifier islower isnumeric isprintable " +
    "isspace istitle isupper join ljust lower lstrip maketrans partition removeprefix " +
    "removesuffix replace rfind rindex rjust rpartition rsplit rstrip split splitlines " +
    "startswith strip swapcase title translate upper zfill").split(" "),
);
const LIST_METHODS = new Set(
  "append clear copy count extend index insert pop remove reverse sort".split(" "),
);

/** Python's `str.title()`: a letter after a non-letter is upper-cased, the rest lowered. */
export function pyTitle(s: string): string {
  let out = "", prevCased = false;
  for (const ch of s) {
    const cased = ch.toLowerCase() !== ch.toUpperCase();
    out += cased ? (prevCased ? ch.toLowerCase() : ch.toUpperCase()) : ch;
    prevCased = cased;
  }
  return out;
}

/** Python's `str.split(sep=None, maxsplit=-1)`. */
export function pySplit(s: string, sep: unknown = null, maxsplit = -1): string[] {
  if (sep === null || sep === undefined) {
    const parts: string[] = [];
    let rest = strip(s, null, "left");
    while (rest) {
      if (maxsplit >= 0 && parts.length === maxsplit) {
        parts.push(rest);
        break;
      }
      // deno-lint-ignore no-control-regex
      const m = /[\s\x1c-\x1f\x85]+/.exec(rest);
      if (!m) {
        parts.push(rest);
        break;
      }
      parts.push(rest.slice(0, m.index));
      rest = rest.slice(m.index + m[0].length);
    }
    return parts;
  }
  const separator = String(sep);
  if (!separator) throw new TypeError("empty separator");
  const all = s.split(separator);
  if (maxsplit < 0 || all.length <= maxsplit + 1) return all;
  return [...all.slice(0, maxsplit), all.slice(maxsplit).join(separator)];
}

function strMethod(s: string, name: string): PyCallable {
  return (args) => {
    const a = args;
    switch (name) {
      case "upper":
        return s.toUpperCase();
      case "lower":
      case "casefold":
        return s.toLowerCase();
      case "strip":
      case "lstrip":
      case "rstrip":
        return strip(
          s,
          a[0] as string | null,
          name === "strip" ? "both" : name === "lstrip" ? "left" : "right",
        );
      case "split":
        return pySplit(s, a[0], a[1] === undefined ? -1 : numberOf(a[1]));
      case "splitlines":
        return splitLines(s);
      case "startswith":
      case "endswith": {
        const options = Array.isArray(a[0]) ? a[0] : [a[0]];
        return options.some((p) =>
          name === "startswith" ? s.startsWith(String(p)) : s.endsWith(String(p))
        );
      }
      case "replace": {
        const count = a[2] === undefined ? -1 : numberOf(a[2]);
        return replaceCount(s, str(a[0]), str(a[1]), count);
      }
      case "title":
        return pyTitle(s);
      case "capitalize":
        return s ? [...s][0].toUpperCase() + [...s].slice(1).join("").toLowerCase() : s;
      case "join": {
        const items = iterate(a[0]);
        items.forEach((x, i) => {
          if (typeof x !== "string") {
            throw new TypeError(`sequence item ${i}: expected str instance, ${typeName(x)} found`);
          }
        });
        return items.join(s);
      }
      case "find":
        return s.indexOf(String(a[0]));
      case "count":
        return s.split(String(a[0])).length - 1;
      case "isdigit":
        return s.length > 0 && /^\p{Nd}+$/u.test(s);
      case "isalpha":
        return s.length > 0 && /^\p{L}+$/u.test(s);
      case "zfill": {
        const width = numberOf(a[0]);
        const sign = /^[+-]/.test(s) ? s[0] : "";
        return sign + s.slice(sign.length).padStart(width - sign.length, "0");
      }
      default:
        throw new TypeError(`str.${name}() is not supported in templates`);
    }
  };
}

/** Python's `str.replace(old, new, count)`. */
export function replaceCount(s: string, old: string, repl: string, count: number): string {
  if (count < 0) return s.replaceAll(old, repl);
  if (old === "") {
    const chars = [...s];
    let out = "";
    for (let i = 0; i <= chars.length; i++) {
      out += (i < count ? repl : "") + (chars[i] ?? "");
    }
    return out;
  }
  const parts = s.split(old);
  if (parts.length - 1 <= count) return parts.join(repl);
  return parts.slice(0, count + 1).join(repl) + old + parts.slice(count + 1).join(old);
}

function dictMethod(d: Record<string, unknown>, name: string): PyCallable {
  return (args) => {
    switch (name) {
      case "items":
        return Object.entries(d).map(([k, v]) => tuple([k, v]));
      case "keys":
        return Object.keys(d);
      case "values":
        return Object.values(d);
      case "get": {
        const key = args[0];
        return typeof key === "string" && Object.hasOwn(d, key)
          ? d[key]
          : (args.length > 1 ? args[1] : null);
      }
      case "copy":
        return { ...d };
      default:
        throw new TypeError(`dict.${name}() is not supported in templates`);
    }
  };
}

function listMethod(l: unknown[], name: string): PyCallable {
  return (args) => {
    switch (name) {
      case "count":
        return l.filter((x) => x === args[0]).length;
      case "index": {
        const i = l.indexOf(args[0]);
        if (i < 0) throw new TypeError(`${str(args[0])} is not in list`);
        return i;
      }
      case "copy":
        return [...l];
      case "append":
        if (isTuple(l)) break;
        l.push(args[0]);
        return null;
      default:
        break;
    }
    throw new TypeError(`${typeName(l)}.${name}() is not supported in templates`);
  };
}

function pyAttribute(obj: unknown, name: string): unknown {
  if (typeof obj === "string" && STR_METHODS.has(name)) return strMethod(obj, name);
  if (Array.isArray(obj) && LIST_METHODS.has(name)) return listMethod(obj, name);
  if (isMapping(obj) && DICT_METHODS.has(name)) return dictMethod(obj, name);
  if (obj instanceof Namespace && Object.hasOwn(obj.attrs, name)) return obj.attrs[name];
  if (obj instanceof LoopContext) {
    const v = obj.attr(name);
    return v instanceof Undefined ? undefined : v;
  }
  if (isFloat(obj) && (name === "real")) return obj;
  return undefined;
}

function pyItem(obj: unknown, key: unknown): unknown {
  if (isMapping(obj)) {
    return typeof key === "string" && Object.hasOwn(obj, key) ? obj[key] : undefined;
  }
  if ((Array.isArray(obj) || typeof obj === "string") && typeof key === "number") {
    if (!Number.isInteger(key)) return undefined;
    const items = typeof obj === "string" ? [...obj] : obj;
    const i = key < 0 ? items.length + key : key;
    return i >= 0 && i < items.length ? items[i] : undefined;
  }
  if (obj instanceof Namespace && typeof key === "string" && Object.hasOwn(obj.attrs, key)) {
    return obj.attrs[key];
  }
  return undefined;
}

/** `obj.name`: attribute first, then item. */
export function getAttr(obj: unknown, name: string, path: string): unknown {
  if (obj instanceof Undefined) throw new UndefinedAccess(obj);
  const attr = pyAttribute(obj, name);
  if (attr !== undefined) return attr;
  const item = pyItem(obj, name);
  return item !== undefined ? item : new Undefined(path);
}

/** `obj[key]`: item first, then attribute (for string keys). */
export function getItem(obj: unknown, key: unknown, path: string): unknown {
  if (obj instanceof Undefined) throw new UndefinedAccess(obj);
  const item = pyItem(obj, key);
  if (item !== undefined) return item;
  if (typeof key === "string") {
    const attr = pyAttribute(obj, key);
    if (attr !== undefined) return attr;
  }
  return new Undefined(path);
}

/** `obj[start:stop:step]` with Python's slice rules. */
export function getSlice(obj: unknown, start: unknown, stop: unknown, step: unknown): unknown {
  if (obj instanceof Undefined) throw new UndefinedAccess(obj);
  const isStr = typeof obj === "string";
  if (!isStr && !Array.isArray(obj)) {
    throw new TypeError(`'${typeName(obj)}' object is not subscriptable`);
  }
  const items = isStr ? [...obj] : obj;
  const n = items.length;
  const given = (v: unknown) => v !== undefined && v !== null && !(v instanceof Undefined);
  const st = given(step) ? numberOf(step) : 1;
  if (st === 0) throw new TypeError("slice step cannot be zero");
  const clamp = (v: unknown, dflt: number, lo: number, hi: number) => {
    if (!given(v)) return dflt;
    let x = numberOf(v);
    if (x < 0) x += n;
    return Math.min(Math.max(x, lo), hi);
  };
  const out: unknown[] = [];
  if (st > 0) {
    const a = clamp(start, 0, 0, n), b = clamp(stop, n, 0, n);
    for (let i = a; i < b; i += st) out.push(items[i]);
  } else {
    const a = clamp(start, n - 1, -1, n - 1), b = clamp(stop, -1, -1, n - 1);
    for (let i = a; i > b; i += st) out.push(items[i]);
  }
  if (isStr) return out.join("");
  return isTuple(obj) ? tuple(out) : out;
}

/** Python's `float()` conversion helper for filters. */
export function toFloat(value: unknown): number | null {
  if (typeof value === "number" || typeof value === "boolean") return numberOf(value);
  if (isFloat(value)) return numberOf(value);
  if (typeof value === "string") {
    const s = strip(value).replaceAll("_", "").toLowerCase();
    if (/^[+-]?(\d+\.?\d*(e[+-]?\d+)?|\.\d+(e[+-]?\d+)?)$/.test(s)) return Number(s);
    if (/^[+-]?(inf|infinity)$/.test(s)) return s.startsWith("-") ? -Infinity : Infinity;
    if (/^[+-]?nan$/.test(s)) return NaN;
  }
  return null;
}
