/**
 * jinja2's `tojson`: Python's `json.dumps(value, sort_keys=True)` (", " and ": " separators,
 * non-ASCII as `\\uXXXX`, floats as Python prints them), then `<`, `>`, `&` and `'` escaped so
 * the text is safe inside HTML.
 *
 * @module
 */
import {
  compareStrings,
  floatRepr,
  isFloat,
  isMapping,
  numberOf,
  PyFloat,
  typeName,
} from "./values.ts";

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

/** jinja2's `tojson` filter. */
export function htmlSafeJson(value: unknown, indent?: number | string | null): string {
  return pyJsonDumps(value, indent).replace(/[<>&']/g, (c) => HTML_SAFE[c]);
}
