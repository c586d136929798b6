/**
 * Reading infra/*.bicep in tests without a Bicep compiler (none installs here from npm): a mask
 * that blanks comments and the literal text of strings while keeping every offset (so braces
 * in prose never count, and `${…}` interpolations stay visible as code), resource and module
 * blocks with their top-level properties, and a small evaluator for the expression subset the
 * templates use (ternaries, `!`, `empty()`, member access, indexes, interpolated strings), so a
 * test can run a template's choice on inputs instead of matching its spelling.
 *
 * @module
 */

/** infra/ as file (relative to infra/) to source. */
export function readInfra(): Map<string, string> {
  const infra = new URL("../infra/", import.meta.url);
  const files = [
    "main.bicep",
    ...[...Deno.readDirSync(new URL("modules/", infra))]
      .filter((e) => e.name.endsWith(".bicep"))
      .map((e) => `modules/${e.name}`)
      .sort(),
  ];
  return new Map(files.map((f) => [f, Deno.readTextFileSync(new URL(f, infra))]));
}

/**
 * The source with comments turned to spaces and the literal characters of strings to `_`
 * (quotes, newlines and `${…}` interpolations kept); same length as the input.
 */
export function mask(source: string): string {
  const out: string[] = [];
  let i = 0;
  const n = source.length;
  const keep = (ch: string) => out.push(ch);
  while (i < n) {
    const ch = source[i];
    if (ch === "/" && source[i + 1] === "/") {
      while (i < n && source[i] !== "\n") (keep(" "), i++);
    } else if (ch === "/" && source[i + 1] === "*") {
      const end = source.indexOf("*/", i + 2);
      const stop = end < 0 ? n : end + 2;
      for (; i < stop; i++) keep(source[i] === "\n" ? "\n" : " ");
    } else if (ch === "'") {
      keep("'");
      i++;
      while (i < n && source[i] !== "'") {
        if (source[i] === "\\") {
          keep("_"), keep("_");
          i += 2;
        } else if (source[i] === "$" && source[i + 1] === "{") {
          let depth = 0;
          for (; i < n; i++) {
            keep(source[i]);
            if (source[i] === "{") depth++;
            if (source[i] === "}" && --depth === 0) {
              i++;
              break;
            }
          }
        } else {
          keep(source[i] === "\n" ? "\n" : "_");
          i++;
        }
      }
      if (i < n) (keep("'"), i++);
    } else {
      keep(ch);
      i++;
    }
  }
  return out.join("");
}

/** Offset of the bracket closing the one at `open` (in masked text). */
function closing(masked: string, open: number): number {
  const pairs: Record<string, string> = { "{": "}", "[": "]", "(": ")" };
  const stack: string[] = [];
  for (let i = open; i < masked.length; i++) {
    const ch = masked[i];
    if (ch in pairs) stack.push(pairs[ch]);
    else if (ch === "}" || ch === "]" || ch === ")") {
      if (stack.pop() !== ch) throw new Error(`Unbalanced ${ch} at offset ${i}`);
      if (stack.length === 0) return i;
    }
  }
  throw new Error(`Unclosed bracket at offset ${open}`);
}

/** One `resource` declaration. */
export interface ResourceBlock {
  symbol: string;
  type: string;
  apiVersion: string;
  /** Declared with `existing`. */
  existing: boolean;
  /** The `if (…)` condition, when conditional. */
  condition?: string;
  /** Decorators (`@batchSize(1)` …) right above it. */
  decorators: string[];
  /** Text between the outer braces, original (comments included). */
  body: string;
}

/** Every `resource` declaration of a file, in source order. */
export function resourceBlocks(source: string): ResourceBlock[] {
  const masked = mask(source);
  const blocks: ResourceBlock[] = [];
  const header = /^resource\s+(\w+)\s+'([^'@]+)@([^']+)'\s*(existing\s*)?=\s*(?:if\s*\(|\[|\{)/gm;
  for (const m of source.matchAll(header)) {
    let at = m.index! + m[0].length - 1;
    let condition: string | undefined;
    if (source[at] === "(") {
      const end = closing(masked, at);
      condition = source.slice(at + 1, end).trim();
      at = masked.indexOf("{", end);
    }
    if (source[at] === "[") at = masked.indexOf("{", at);
    const end = closing(masked, at);
    const before = source.slice(0, m.index!).split("\n");
    before.pop();
    const decorators: string[] = [];
    while (before.length && before.at(-1)!.trim().startsWith("@")) {
      decorators.unshift(before.pop()!.trim());
    }
    blocks.push({
      symbol: m[1],
      type: m[2],
      apiVersion: m[3],
      existing: Boolean(m[4]),
      condition,
      decorators,
      body: source.slice(at + 1, end),
    });
  }
  return blocks;
}

/** One `module` declaration. */
export interface ModuleBlock {
  symbol: string;
  path: string;
  body: string;
}

/** Every `module` declaration of a file. */
export function moduleBlocks(source: string): ModuleBlock[] {
  const masked = mask(source);
  return [...source.matchAll(/^module\s+(\w+)\s+'([^']+)'\s*=\s*\{/gm)].map((m) => {
    const open = m.index! + m[0].length - 1;
    return { symbol: m[1], path: m[2], body: source.slice(open + 1, closing(masked, open)) };
  });
}

/**
 * Top-level `key: value` pairs of a block body (nested objects and arrays come back whole,
 * comments removed), e.g. properties(resource.body).get("properties").
 */
export function properties(body: string): Map<string, string> {
  const masked = mask(body);
  const found = new Map<string, string>();
  let depth = 0;
  for (let i = 0; i < masked.length; i++) {
    const ch = masked[i];
    if (ch === "{" || ch === "[" || ch === "(") depth++;
    else if (ch === "}" || ch === "]" || ch === ")") depth--;
    else if (depth === 0 && (i === 0 || masked[i - 1] === "\n")) {
      const m = masked.slice(i).match(/^[ \t]*([A-Za-z_][\w-]*|'[^']*')\s*:[ \t]*/);
      if (!m) continue;
      const start = i + m[0].length;
      let end = start;
      let d = 0;
      for (; end < masked.length; end++) {
        const c = masked[end];
        if (c === "{" || c === "[" || c === "(") d++;
        else if (c === "}" || c === "]" || c === ")") d--;
        else if (c === "\n" && d === 0) break;
      }
      const value = strip(body.slice(start, end), masked.slice(start, end));
      found.set(m[1].replace(/^'|'$/g, ""), value);
      i = end - 1;
    }
  }
  return found;
}

/** Text with the comment parts (per its mask) removed, trimmed. */
function strip(text: string, masked: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const isComment = masked[i] === " " && text[i] !== " ";
    out += isComment ? " " : text[i];
  }
  return out.replace(/[ \t]+$/gm, "").trim();
}

/** The objects of an array literal's source (`[ {…} {…} ]`), each as its body. */
export function arrayObjects(arraySource: string): string[] {
  const masked = mask(arraySource);
  const objects: string[] = [];
  let depth = 0;
  for (let i = 0; i < masked.length; i++) {
    if (masked[i] === "[" || masked[i] === "(") depth++;
    if (masked[i] === "]" || masked[i] === ")") depth--;
    if (masked[i] === "{" && depth === 1) {
      const end = closing(masked, i);
      objects.push(arraySource.slice(i + 1, end));
      i = end;
    }
  }
  return objects;
}

/** Names of the other declarations a body refers to (outside string literals and comments). */
export function references(body: string, symbols: readonly string[]): string[] {
  const masked = mask(body);
  return symbols.filter((s) => new RegExp(`(?<![\\w.])${s}\\b`).test(masked));
}

/** The value of one `output NAME type = …` line. */
export function outputExpression(source: string, name: string): string | undefined {
  return source.match(new RegExp(`^output\\s+${name}\\s+\\w+\\s*=\\s*(.+)$`, "m"))?.[1].trim();
}

/** The value of one `var NAME = …` line. */
export function varExpression(source: string, name: string): string | undefined {
  return source.match(new RegExp(`^var\\s+${name}\\s*=\\s*(.+)$`, "m"))?.[1].trim();
}

// --- A small evaluator -------------------------------------------------------------------

type Value = unknown;

const FUNCTIONS: Record<string, (...args: Value[]) => Value> = {
  empty: (v) =>
    v === null || v === undefined || v === "" ||
    (Array.isArray(v) && v.length === 0) ||
    (typeof v === "object" && Object.keys(v as object).length === 0),
  toLower: (v) => String(v).toLowerCase(),
  string: (v) => String(v),
};

/**
 * Evaluates a Bicep expression of the subset the templates use, names resolved from `scope`
 * (nested objects for member access). Ternaries are lazy as in ARM: the branch not taken is
 * never read, so a test can leave what it would read undefined and see it untouched.
 */
export function evaluate(expression: string, scope: Record<string, Value>): Value {
  let i = 0;
  const src = expression;
  const space = () => {
    while (i < src.length && /\s/.test(src[i])) i++;
  };
  const peek = (s: string) => (space(), src.startsWith(s, i));
  const expect = (s: string) => {
    if (!peek(s)) throw new Error(`Expected "${s}" at ${i} in ${src}`);
    i += s.length;
  };
  // The parser evaluates as it parses; `live` false skips side effects (lazy branches).
  const ternary = (live: boolean): Value => {
    const condition = unary(live);
    if (!peek("?")) return condition;
    expect("?");
    const a = ternary(live && Boolean(condition));
    expect(":");
    const b = ternary(live && !condition);
    return condition ? a : b;
  };
  const unary = (live: boolean): Value => {
    if (peek("!") && !src.startsWith("!=", i)) {
      i++;
      return !unary(live);
    }
    return postfix(live);
  };
  const postfix = (live: boolean): Value => {
    let value = primary(live);
    for (;;) {
      if (peek("!.")) {
        i++;
        continue;
      }
      if (peek(".")) {
        i++;
        const name = identifier();
        if (live) {
          if (value === undefined || value === null) {
            throw new Error(`Read of .${name} on ${String(value)} in ${src}`);
          }
          value = (value as Record<string, Value>)[name];
        }
        continue;
      }
      if (peek("[")) {
        i++;
        const index = ternary(live);
        expect("]");
        if (live) value = (value as Record<string, Value>)[index as string];
        continue;
      }
      return value;
    }
  };
  const identifier = () => {
    space();
    const m = src.slice(i).match(/^[A-Za-z_]\w*/);
    if (!m) throw new Error(`Expected a name at ${i} in ${src}`);
    i += m[0].length;
    return m[0];
  };
  const primary = (live: boolean): Value => {
    space();
    if (peek("(")) {
      i++;
      const v = ternary(live);
      expect(")");
      return v;
    }
    if (src[i] === "'") return stringLiteral(live);
    const number = src.slice(i).match(/^-?\d+/);
    if (number) {
      i += number[0].length;
      return Number(number[0]);
    }
    const name = identifier();
    if (name === "true" || name === "false") return name === "true";
    if (peek("(")) {
      i++;
      const args: Value[] = [];
      while (!peek(")")) {
        args.push(ternary(live));
        if (peek(",")) i++;
      }
      expect(")");
      const f = FUNCTIONS[name];
      if (!f) throw new Error(`Unknown function ${name}() in ${src}`);
      return live ? f(...args) : undefined;
    }
    if (live && !(name in scope)) throw new Error(`Unknown name ${name} in ${src}`);
    return live ? scope[name] : undefined;
  };
  const stringLiteral = (live: boolean): Value => {
    i++;
    let out = "";
    while (i < src.length && src[i] !== "'") {
      if (src[i] === "\\") {
        out += src[i + 1];
        i += 2;
      } else if (src.startsWith("${", i)) {
        i += 2;
        const v = ternary(live);
        expect("}");
        out += live ? String(v) : "";
      } else out += src[i++];
    }
    i++;
    return out;
  };
  const value = ternary(true);
  space();
  if (i !== src.length) throw new Error(`Unparsed "${src.slice(i)}" in ${src}`);
  return value;
}

/** azd's `${NAME}` / `${NAME=default}` substitution in main.parameters.json values. */
export function azdSubstitute(value: string, env: Record<string, string>): string {
  return value.replace(
    /\$\{([A-Z0-9_]+)(?:=([^}]*))?\}/g,
    (_, name: string, fallback?: string) => env[name] ?? fallback ?? "",
  );
}
