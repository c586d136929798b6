/**
 * The Jinja2 lexer: splits a template into text and the tokens inside `{{ }}` and `{% %}`,
 * with jinja2's defaults: newlines normalised to `\n`, one trailing newline dropped
 * (keep_trailing_newline off), no trim_blocks or lstrip_blocks, and `-` whitespace control on
 * either side of a tag or comment. `{% raw %}` bodies come out as text.
 *
 * @module
 */
import { JinjaError } from "./values.ts";

/** A token; `line` is the 1-based template line it starts on. */
export type Token =
  | { type: "data"; value: string; line: number }
  | { type: "var_begin" | "var_end" | "block_begin" | "block_end" | "eof"; line: number }
  | { type: "name" | "op"; value: string; line: number }
  | { type: "string"; value: string; line: number }
  | { type: "int" | "float"; value: number; line: number };

const OPENER = /\{\{|\{%|\{#/g;
const OPERATORS = [
  "**",
  "//",
  "==",
  "!=",
  "<=",
  ">=",
  "+",
  "-",
  "*",
  "/",
  "%",
  "~",
  "<",
  ">",
  "=",
  ".",
  ",",
  ":",
  "|",
  "(",
  ")",
  "[",
  "]",
  "{",
  "}",
];
const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const FLOAT = /(?:\d+_)*\d+(?:(?:\.(?:\d+_)*\d+)?[eE][+-]?(?:\d+_)*\d+|\.(?:\d+_)*\d+)/y;
const INT = /(?:\d+_)*\d+/y;
const SPACE = /\s+/y;
const RAW_END = /\{%(-?)\s*endraw\s*(-?)%\}/g;

/** Jinja2's handling of the source before lexing. */
export function normaliseSource(source: string): string {
  const text = source.replace(/\r\n|\r/g, "\n");
  return text.endsWith("\n") ? text.slice(0, -1) : text;
}

function lineAt(lines: number[], pos: number): number {
  // lines[i] is the offset where line i+1 starts; binary search.
  let lo = 0, hi = lines.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lines[mid] <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

function unescape(body: string, line: number): string {
  return body.replace(
    /\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|x[0-9a-fA-F]{2}|[0-7]{1,3}|[\s\S])/g,
    (whole, e: string) => {
      switch (e[0]) {
        case "n":
          return "\n";
        case "t":
          return "\t";
        case "r":
          return "\r";
        case "\\":
          return "\\";
        case "'":
          return "'";
        case '"':
          return '"';
        case "a":
          return "\x07";
        case "b":
          return "\b";
        case "f":
          return "\f";
        case "v":
          return "\v";
        case "\n":
          return "";
        case "u":
        case "U":
        case "x":
          return String.fromCodePoint(parseInt(e.slice(1), 16));
        default:
          if (/^[0-7]/.test(e)) return String.fromCodePoint(parseInt(e, 8));
          if (line < 0) throw new Error("unreachable");
          return whole;
      }
    },
  );
}

/** Tokenize a template (already normalised or not). */
export function tokenize(source: string): Token[] {
  const src = normaliseSource(source);
  const lineStarts = [0];
  for (let i = 0; i < src.length; i++) if (src[i] === "\n") lineStarts.push(i + 1);
  const line = (pos: number) => lineAt(lineStarts, pos);
  const tokens: Token[] = [];
  let pos = 0;
  let lstripNext = false;

  const pushData = (text: string, at: number, rstrip: boolean) => {
    let value = text;
    if (lstripNext) value = value.replace(/^\s+/, "");
    if (rstrip) value = value.replace(/\s+$/, "");
    lstripNext = false;
    if (value) tokens.push({ type: "data", value, line: line(at) });
  };

  while (pos <= src.length) {
    OPENER.lastIndex = pos;
    const open = OPENER.exec(src);
    if (!open) {
      pushData(src.slice(pos), pos, false);
      break;
    }
    const start = open.index;
    const kind = open[0];
    let p = start + 2;
    const rstrip = src[p] === "-";
    if (src[p] === "-" || src[p] === "+") p++;
    pushData(src.slice(pos, start), pos, rstrip);

    if (kind === "{#") {
      const end = src.indexOf("#}", p);
      if (end < 0) throw new JinjaError("missing end of comment tag", "syntax", line(start));
      lstripNext = src[end - 1] === "-" && end - 1 >= p;
      pos = end + 2;
      continue;
    }

    const isVar = kind === "{{";
    const closer = isVar ? "}}" : "%}";
    tokens.push({ type: isVar ? "var_begin" : "block_begin", line: line(start) });
    const firstToken = tokens.length;
    let closed = false;
    while (p < src.length) {
      SPACE.lastIndex = p;
      const sp = SPACE.exec(src);
      if (sp) p += sp[0].length;
      if (p >= src.length) break;
      if (src.startsWith(closer, p) || (src[p] === "-" && src.startsWith(closer, p + 1))) {
        lstripNext = src[p] === "-";
        p += lstripNext ? 3 : 2;
        tokens.push({ type: isVar ? "var_end" : "block_end", line: line(p - 1) });
        closed = true;
        break;
      }
      const at = line(p);
      const ch = src[p];
      if (ch === '"' || ch === "'") {
        let q = p + 1;
        while (q < src.length && src[q] !== ch) q += src[q] === "\\" ? 2 : 1;
        if (q >= src.length) throw new JinjaError("unexpected end of string", "syntax", at);
        tokens.push({ type: "string", value: unescape(src.slice(p + 1, q), at), line: at });
        p = q + 1;
        continue;
      }
      const prev = tokens.at(-1);
      const afterDot = prev?.type === "op" && prev.value === ".";
      FLOAT.lastIndex = p;
      const f = afterDot ? null : FLOAT.exec(src);
      if (f) {
        tokens.push({ type: "float", value: Number(f[0].replaceAll("_", "")), line: at });
        p += f[0].length;
        continue;
      }
      INT.lastIndex = p;
      const i = INT.exec(src);
      if (i) {
        tokens.push({ type: "int", value: Number(i[0].replaceAll("_", "")), line: at });
        p += i[0].length;
        continue;
      }
      NAME.lastIndex = p;
      const n = NAME.exec(src);
      if (n) {
        tokens.push({ type: "name", value: n[0], line: at });
        p += n[0].length;
        continue;
      }
      const op = OPERATORS.find((o) => src.startsWith(o, p));
      if (!op) throw new JinjaError(`unexpected character ${JSON.stringify(ch)}`, "syntax", at);
      tokens.push({ type: "op", value: op, line: at });
      p += op.length;
    }
    if (!closed) {
      throw new JinjaError(
        `unexpected end of template: "${closer}" is missing for the tag opened here`,
        "syntax",
        line(start),
      );
    }
    // {% raw %}...{% endraw %}: the body is text.
    const body = tokens.slice(firstToken, -1);
    if (!isVar && body.length === 1 && body[0].type === "name" && body[0].value === "raw") {
      tokens.length = firstToken - 1;
      RAW_END.lastIndex = p;
      const end = RAW_END.exec(src);
      if (!end) {
        throw new JinjaError('missing "endraw" for the "raw" tag', "syntax", line(start));
      }
      pushData(src.slice(p, end.index), p, end[1] === "-");
      lstripNext = end[2] === "-";
      p = end.index + end[0].length;
    }
    pos = p;
  }
  tokens.push({ type: "eof", line: line(src.length) });
  return tokens;
}
