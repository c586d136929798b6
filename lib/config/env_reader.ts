/**
 * Reading typed settings out of an environment record, the one way every configuration parser
 * here does it: blank means unset, and a value that does not parse becomes a problem sentence
 * (`NAME must be …, got "…"`) in the caller's list while the fallback is used, so that
 * `loadConfig` can report every problem at once.
 *
 * @module
 */

/** Typed readers over one environment, collecting problems into `problems`. */
export interface EnvReader {
  /** The trimmed value, or `undefined` when unset or blank. */
  read(name: string): string | undefined;
  /** An http(s) URL without trailing slashes. */
  url(name: string): string | undefined;
  /** An integer in `[min, max]`, else `fallback`. */
  int(name: string, fallback: number, min?: number, max?: number): number;
  /** `true`/`1`/`yes` or `false`/`0`/`no`, any case. */
  flag(name: string): boolean | undefined;
  /** A comma-separated list, items trimmed, blanks dropped. */
  list(name: string): string[];
}

/**
 * Readers over `env` that push problem sentences into `problems`.
 *
 * @example
 * ```ts
 * import { envReader } from "./env_reader.ts";
 * const problems: string[] = [];
 * const env = envReader({ PORT: "80a", URL: "https://x.example/" }, problems);
 * console.assert(env.int("PORT", 8000) === 8000 && problems.length === 1);
 * console.assert(env.url("URL") === "https://x.example");
 * ```
 */
export function envReader(env: Record<string, string | undefined>, problems: string[]): EnvReader {
  const read = (name: string): string | undefined => env[name]?.trim() || undefined;
  return {
    read,
    url(name) {
      const value = read(name);
      if (value === undefined) return undefined;
      try {
        const parsed = new URL(value);
        if (parsed.protocol !== "https:" && parsed.protocol !== "http:") throw new Error();
        return value.replace(/\/+$/, "");
      } catch {
        problems.push(`${name} must be an http(s) URL, got "${value}"`);
        return undefined;
      }
    },
    int(name, fallback, min = 0, max = Number.MAX_SAFE_INTEGER) {
      const value = read(name);
      if (value === undefined) return fallback;
      const n = Number(value);
      if (!Number.isInteger(n) || n < min || n > max) {
        problems.push(`${name} must be an integer between ${min} and ${max}, got "${value}"`);
        return fallback;
      }
      return n;
    },
    flag(name) {
      const value = read(name);
      if (value === undefined) return undefined;
      const lower = value.toLowerCase();
      if (["true", "1", "yes"].includes(lower)) return true;
      if (["false", "0", "no"].includes(lower)) return false;
      problems.push(`${name} must be true or false, got "${value}"`);
      return undefined;
    },
    list(name) {
      return (read(name) ?? "").split(",").map((item) => item.trim()).filter(Boolean);
    },
  };
}
