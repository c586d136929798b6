/**
 * Reading a `.env` file (as written by provisioning) and merging it under the process
 * environment: real environment variables win over the file.
 *
 * @module
 */
import type { Env } from "./load.ts";

/**
 * Parse `.env` text: `NAME=value` lines, `export` prefixes, `#` comments, single or double
 * quotes (double quotes understand `\n`).
 *
 * @example
 * ```ts
 * import { parseDotEnv } from "./dotenv.ts";
 * console.assert(parseDotEnv('A="x y" # note\nexport B=2').B === "2");
 * ```
 */
export function parseDotEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    let value = match[2];
    // A double-quoted value may contain escaped quotes (\"), so its end is the first unescaped one.
    const quoted = value[0] === '"'
      ? /^"((?:\\.|[^"\\])*)"/.exec(value)
      : value[0] === "'"
      ? /^'([^']*)'/.exec(value)
      : null;
    if (quoted) {
      value = quoted[1];
      if (match[2][0] === '"') value = value.replace(/\\n/g, "\n").replace(/\\"/g, '"');
    } else {
      value = value.replace(/\s+#.*$/, "").trim();
    }
    out[match[1]] = value;
  }
  return out;
}

/**
 * The process environment over the `.env` file at `path` (default `.env` in the working
 * directory; a missing file is fine).
 */
export function readEnvironment(path = ".env"): Env {
  let fileEnv: Record<string, string> = {};
  try {
    fileEnv = parseDotEnv(Deno.readTextFileSync(path));
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return { ...fileEnv, ...Deno.env.toObject() };
}

/** Find the repository root (the folder holding deno.json) from `start` upwards. */
export function findProjectRoot(start = Deno.cwd()): string {
  let dir = start;
  while (true) {
    try {
      Deno.statSync(`${dir}/deno.json`);
      return dir;
    } catch {
      const parent = dir.replace(/\/[^/]*$/, "");
      if (!parent || parent === dir) return start;
      dir = parent;
    }
  }
}

/**
 * One `NAME=value` line of a `.env` file, quoted when the value needs it. The value is never
 * quoted in the error (it may be a secret).
 *
 * @example
 * ```ts
 * import { dotEnvLine } from "./dotenv.ts";
 * console.assert(dotEnvLine("A", "x y") === 'A="x y"');
 * ```
 */
export function dotEnvLine(name: string, value: string): string {
  if (/^[\w.:/@+,=-]*$/.test(value)) return `${name}=${value}`;
  if (value.includes('"') || value.includes("\n")) {
    throw new TypeError(`Cannot write ${name} to .env: quotes and newlines are not supported`);
  }
  return `${name}="${value}"`;
}

/**
 * Split `.env` text around a block that a tool manages, from the line starting `begin` to the
 * line starting `end` (or the end of the text when that line is missing).
 */
export function splitManagedBlock(
  text: string,
  begin: string,
  end: string,
): { before: string; after: string; found: boolean } {
  const start = text.indexOf(begin);
  if (start < 0) return { before: text, after: "", found: false };
  const endAt = text.indexOf(end, start);
  const stop = endAt < 0 ? text.length : text.indexOf("\n", endAt) + 1 || text.length;
  return { before: text.slice(0, start), after: text.slice(stop), found: true };
}
