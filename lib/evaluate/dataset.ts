/**
 * Evaluation sets: JSONL rows `{customerId, question, chat_history, intent, truth?}`, checked
 * by the same validator that seeding's scan uses (`checkEvalRow`, which also accepts the
 * original workshop's `customer_id` and a `chat_history` given as a JSON string). Each row gets a
 * stable id and a fingerprint for resuming. Every malformed line is reported at once, in one
 * `ValidationError`.
 *
 * @module
 */
import { ValidationError } from "../errors.ts";
import { checkEvalRow } from "../seed/validate.ts";
import type { EvalCase } from "./types.ts";

/** Short, stable FNV-1a hash of a string (hex), for row fingerprints. */
export function fingerprint(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}

/**
 * Parse JSONL text into rows. `source` names the file in errors. Blank lines are skipped.
 *
 * @example
 * ```ts
 * import { parseDataset } from "./dataset.ts";
 * const rows = parseDataset('{"customerId":"1","question":"Hi?","chat_history":[]}\n', "t.jsonl");
 * console.assert(rows[0].id === "row-0001");
 * ```
 */
export function parseDataset(text: string, source: string): EvalCase[] {
  const rows: EvalCase[] = [];
  const problems: string[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === "") continue;
    const where = `${source}:${i + 1}`;
    try {
      const data = JSON.parse(line) as Record<string, unknown>;
      if (!data || typeof data !== "object" || Array.isArray(data)) {
        throw new TypeError(`${where}: a row must be a JSON object`);
      }
      const checked = checkEvalRow(data);
      if (!checked.ok) throw new TypeError(`${where}: ${checked.errors.join("; ")}`);
      const index = rows.length;
      rows.push({
        id: typeof data.id === "string" && data.id
          ? data.id
          : `row-${String(index + 1).padStart(4, "0")}`,
        index,
        ...checked.value,
        fingerprint: fingerprint(line),
      });
    } catch (error) {
      problems.push(
        !(error as Error).message.startsWith(where)
          ? `${where}: invalid JSON (${(error as Error).message})`
          : (error as Error).message,
      );
    }
  }
  if (problems.length > 0) {
    throw new ValidationError(
      `Cannot load evaluation set "${source}":\n  - ${problems.join("\n  - ")}`,
      { problems },
    );
  }
  const ids = new Set<string>();
  for (const row of rows) {
    if (ids.has(row.id)) {
      throw new ValidationError(
        `Cannot load evaluation set "${source}": duplicate row id "${row.id}"`,
      );
    }
    ids.add(row.id);
  }
  return rows;
}

/**
 * Read an evaluation set from a JSONL file.
 *
 * @example
 * ```ts ignore
 * const rows = await loadDataset("data/eval/test.jsonl");
 * ```
 */
export async function loadDataset(path: string): Promise<EvalCase[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new ValidationError(`Cannot load evaluation set "${path}": file not found`);
    }
    throw error;
  }
  const rows = parseDataset(text, path);
  if (rows.length === 0) {
    throw new ValidationError(`Cannot load evaluation set "${path}": no rows`);
  }
  return rows;
}
