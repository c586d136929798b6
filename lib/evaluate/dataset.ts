/**
 * Evaluation sets: JSONL rows `{customerId, question, chat_history, intent, truth?}` (the
 * original workshop's `customer_id` and a `chat_history` given as a JSON string are accepted
 * too). Every malformed line is reported at once, with its line number.
 *
 * @module
 */
import type { ChatTurn } from "../chat/types.ts";
import type { EvalRow } from "./types.ts";

/** Short, stable FNV-1a hash of a string (hex), for row fingerprints. */
export function fingerprint(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}

function parseHistory(value: unknown, where: string): ChatTurn[] {
  if (value === undefined || value === null || value === "") return [];
  let list = value;
  if (typeof value === "string") {
    try {
      list = JSON.parse(value);
    } catch {
      throw new SyntaxError(`${where}: "chat_history" is a string but not JSON`);
    }
  }
  if (!Array.isArray(list)) throw new TypeError(`${where}: "chat_history" must be an array`);
  return list.map((turn, i) => {
    const t = turn as Record<string, unknown>;
    if (
      !t || typeof t.content !== "string" ||
      !["user", "assistant", "system"].includes(String(t.role))
    ) {
      throw new TypeError(`${where}: chat_history[${i}] must be {role, content}`);
    }
    return { role: t.role as ChatTurn["role"], content: t.content };
  });
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
export function parseDataset(text: string, source: string): EvalRow[] {
  const rows: EvalRow[] = [];
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
      const customerId = data.customerId ?? data.customer_id;
      if (typeof customerId !== "string" && typeof customerId !== "number") {
        throw new TypeError(`${where}: "customerId" is required`);
      }
      if (typeof data.question !== "string" || data.question.trim() === "") {
        throw new TypeError(`${where}: "question" is required`);
      }
      const index = rows.length;
      rows.push({
        id: typeof data.id === "string" && data.id
          ? data.id
          : `row-${String(index + 1).padStart(4, "0")}`,
        index,
        customerId: String(customerId),
        question: data.question,
        chatHistory: parseHistory(data.chat_history ?? data.chatHistory, where),
        intent: typeof data.intent === "string" ? data.intent : undefined,
        truth: typeof data.truth === "string" && data.truth.trim() ? data.truth : undefined,
        fingerprint: fingerprint(line),
      });
    } catch (error) {
      problems.push(
        error instanceof SyntaxError && !error.message.startsWith(where)
          ? `${where}: invalid JSON (${error.message})`
          : (error as Error).message,
      );
    }
  }
  if (problems.length > 0) {
    throw new SyntaxError(
      `Cannot load evaluation set "${source}":\n  - ${problems.join("\n  - ")}`,
    );
  }
  const ids = new Set<string>();
  for (const row of rows) {
    if (ids.has(row.id)) {
      throw new SyntaxError(`Cannot load evaluation set "${source}": duplicate row id "${row.id}"`);
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
export async function loadDataset(path: string): Promise<EvalRow[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new TypeError(`Cannot load evaluation set "${path}": file not found`);
    }
    throw error;
  }
  const rows = parseDataset(text, path);
  if (rows.length === 0) throw new TypeError(`Cannot load evaluation set "${path}": no rows`);
  return rows;
}
