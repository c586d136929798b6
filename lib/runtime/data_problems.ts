/**
 * Skipped data records, told so a learner can fix them: each problem the seed reports (file,
 * line, reason) as a row with the file relative to the repository, the line read from the JSON
 * parser's message when the loader gave none, and the sentence that explains a customer missing
 * from the store by naming the data file that was skipped. Pure, apart from reading a skipped
 * customer file to find which id it was meant to hold.
 *
 * @module
 */
import { basename, extname, isAbsolute, relative } from "node:path";
import type { DataProblem } from "../seed/load_data.ts";
import { projectRoot } from "./paths.ts";

/** One skipped record, ready to show: `{file: "data/customers/1.json", line: 3, reason}`. */
export interface DataProblemRow {
  /** Relative to the repository root when inside it, else as the loader gave it. */
  file: string;
  /** 1-based line, when known. */
  line?: number;
  reason: string;
}

/** The file as a learner would type it: relative to the repository root when inside it. */
export function displayPath(file: string, root: string = projectRoot()): string {
  if (!isAbsolute(file)) return file;
  const rel = relative(root, file);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : file;
}

// V8: `Expected ',' or '}' after property value in JSON at position 45 (line 3 column 5)`.
const JSON_LINE = /\(line (\d+) column \d+\)/;

/**
 * A problem as a row: the path made relative, the line taken from the parser's message when the
 * loader did not set one.
 *
 * @example
 * ```ts
 * import { dataProblemRow } from "./data_problems.ts";
 * const row = dataProblemRow(
 *   { file: "/repo/data/customers/1.json", message: "invalid JSON: Unexpected token in JSON at position 9 (line 2 column 3)" },
 *   { root: "/repo" },
 * );
 * console.assert(row.file === "data/customers/1.json" && row.line === 2);
 * ```
 */
export function dataProblemRow(
  problem: DataProblem,
  options: { root?: string } = {},
): DataProblemRow {
  const line = problem.line ?? Number(JSON_LINE.exec(problem.message)?.[1] ?? NaN);
  return {
    file: displayPath(problem.file, options.root),
    ...(Number.isFinite(line) ? { line } : {}),
    reason: problem.message,
  };
}

/** `data/customers/1.json (line 3): invalid JSON: …` — one problem on one line. */
export function formatDataProblem(problem: DataProblem, options: { root?: string } = {}): string {
  const row = dataProblemRow(problem, options);
  return `${row.file}${row.line === undefined ? "" : ` (line ${row.line})`}: ${row.reason}`;
}

function isCustomerFile(file: string): boolean {
  return /[\\/]customers[\\/][^\\/]+$/.test(file) || file.startsWith("customers/");
}

function mentionsId(file: string, id: string): boolean {
  try {
    const text = Deno.readTextFileSync(file);
    const quoted = JSON.stringify(id).slice(1, -1).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    return new RegExp(`"id"\\s*:\\s*("${quoted}"|${quoted}(?![\\w.]))`).test(text);
  } catch {
    return false;
  }
}

/**
 * Why customer `id` is not in the store, naming the skipped data file to fix when one explains
 * it (its name is the id, or its text declares that id), else listing the skipped customer
 * files, else saying that no data file was skipped (or, with `seeded: false`, that the store
 * was filled elsewhere, by `deno task seed`).
 *
 * @example
 * ```ts
 * import { explainMissingCustomer } from "./data_problems.ts";
 * const why = explainMissingCustomer("7", [
 *   { file: "/repo/data/customers/7.json", message: "invalid JSON: Unexpected end of JSON input" },
 * ], { root: "/repo" });
 * console.assert(why.startsWith("Customer 7 is not in the store: data/customers/7.json was skipped"));
 * ```
 */
export function explainMissingCustomer(
  id: string,
  problems: readonly DataProblem[],
  options: { root?: string; seeded?: boolean } = {},
): string {
  const skipped = problems.filter((p) => isCustomerFile(p.file));
  const stem = (file: string) => basename(file, extname(file));
  const culprit = skipped.find((p) => stem(p.file) === id) ??
    skipped.find((p) => mentionsId(p.file, id));
  if (culprit) {
    const row = dataProblemRow(culprit, options);
    const at = row.line === undefined ? "" : `line ${row.line}: `;
    return `Customer ${id} is not in the store: ${row.file} was skipped (${at}${row.reason}). ` +
      "Fix the file, then re-run the cell that starts the services";
  }
  if (skipped.length > 0) {
    const files = skipped.map((p) => formatDataProblem(p, options)).join("; ");
    return `Customer ${id} is not in the store; ${skipped.length} customer ` +
      `file${skipped.length === 1 ? " was" : "s were"} skipped: ${files}`;
  }
  if (options.seeded === false) {
    return `Customer ${id} is not in the store (the store was not seeded here: ` +
      "seed it with `deno task seed`, or check the id)";
  }
  return `Customer ${id} is not in the store (no customer data file was skipped: check the id)`;
}
