/**
 * Structured logging: one JSON object per line on stdout, the shape Azure Container Apps
 * forwards to Log Analytics. Callers pass ids, statuses and timings; the logger never sees
 * answers, questions or contact details because nobody hands them over, and `redact` is a
 * second fence for the few field names that must never be written.
 *
 * @module
 */

/** Severity of a log record. */
export type LogLevel = "debug" | "info" | "warn" | "error";

/** A structured logger. `fields` must hold ids, numbers and short codes only. */
export interface Logger {
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void;
}

/** Field names whose values are replaced before writing (secrets and contact details). */
const REDACTED = new Set([
  "authorization",
  "x-api-key",
  "apikey",
  "api_key",
  "key",
  "password",
  "token",
  "email",
  "phone",
  "address",
  "answer",
  "question",
  "content",
]);

/** Replace the values of sensitive field names, recursively. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 4 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = REDACTED.has(k.toLowerCase()) ? "[redacted]" : redact(v, depth + 1);
  }
  return out;
}

/**
 * A logger that writes JSON lines through `write` (default `console.log`).
 *
 * @example
 * ```ts
 * import { createJsonLogger } from "./logger.ts";
 * const lines: string[] = [];
 * createJsonLogger({ write: (l) => lines.push(l) }).log("info", "started", { port: 8000 });
 * console.assert(JSON.parse(lines[0]).port === 8000);
 * ```
 */
export function createJsonLogger(
  options: { write?: (line: string) => void; minLevel?: LogLevel } = {},
): Logger {
  const write = options.write ?? ((line: string) => console.log(line));
  const order: LogLevel[] = ["debug", "info", "warn", "error"];
  const min = order.indexOf(options.minLevel ?? "info");
  return {
    log(level, message, fields = {}) {
      if (order.indexOf(level) < min) return;
      const record = { time: new Date().toISOString(), level, msg: message, ...fields };
      write(JSON.stringify(redact(record)));
    },
  };
}

/** A logger that keeps records in memory, for tests. */
export function createMemoryLogger(): Logger & { records: Record<string, unknown>[] } {
  const records: Record<string, unknown>[] = [];
  return {
    records,
    log(level, message, fields = {}) {
      records.push(redact({ level, msg: message, ...fields }) as Record<string, unknown>);
    },
  };
}
