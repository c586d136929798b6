/**
 * `deno task search:eval [--data DIR]… [--min-top1 X] [--min-mrr Y] [--json]`: measure the
 * embedded hybrid search (Orama with the offline model's embeddings, seeded exactly as
 * `deno task start` seeds it) on each catalog's labelled query set, `DIR/search/queries.jsonl`.
 * Prints top-1 accuracy, MRR over the top 10 and tiny-section wins per catalog, every miss
 * (query → expected vs got) and a table. With `--min-top1` / `--min-mrr` it exits 1 when a
 * catalog falls below either bound; without them it only reports.
 *
 * @module
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { loadConfig } from "../lib/config/mod.ts";
import { errorMessage } from "../lib/errors.ts";
import {
  evaluateSearch,
  formatMisses,
  loadLabelledQueries,
  type SearchQualityReport,
} from "../lib/products/search_eval.ts";
import { createRuntime, resolveProjectPath } from "../lib/runtime/mod.ts";
import type { DataProblem } from "../lib/seed/load_data.ts";

/** The catalogs measured when no `--data` is given: the workshop's and the foreign test catalog. */
export const DEFAULT_CATALOGS = ["data", "lib/seed/testdata/paddle_catalog"];

/** The goal of issue 10 for every catalog. */
export const SEARCH_GOAL = { top1: 0.8, mrr: 0.85 } as const;

/** One catalog's measurement. */
export interface CatalogQuality extends SearchQualityReport {
  /** The data folder as given. */
  dir: string;
  documents: number;
  /** Records the loader skipped (a manual it could not link shows up here). */
  problems: DataProblem[];
}

const USAGE = `Usage: deno task search:eval [--data DIR]... [--min-top1 X] [--min-mrr Y] [--json]

  --data DIR     a data folder with search/queries.jsonl (repeatable;
                 default: ${DEFAULT_CATALOGS.join(" and ")})
  --min-top1 X   exit 1 when a catalog's top-1 accuracy is below X (0-1)
  --min-mrr Y    exit 1 when a catalog's MRR is below Y (0-1)
  --json         print the figures as JSON`;

/**
 * Seed an embedded runtime from `dir` (no Azure configuration is read) and score its query set.
 *
 * @example
 * ```ts ignore
 * const q = await evaluateCatalog("data");
 * console.log(q.top1, q.mrr, q.tinyWins);
 * ```
 */
export async function evaluateCatalog(
  dir: string,
  options: { queries?: string; depth?: number } = {},
): Promise<CatalogQuality> {
  const path = resolveProjectPath(dir);
  const queries = await loadLabelledQueries(
    options.queries ?? join(path, "search", "queries.jsonl"),
  );
  const problems: DataProblem[] = [];
  const runtime = await createRuntime(loadConfig({ CONTOSO_DATA_DIR: path }), {
    onDataProblem: (p) => problems.push(p),
  });
  try {
    const report = await evaluateSearch(runtime.products, runtime.embeddingModel, queries, {
      depth: options.depth,
    });
    return { dir, documents: await runtime.products.count(), problems, ...report };
  } finally {
    await runtime.close();
  }
}

/** Whether a catalog meets the given bounds (an absent bound always passes). */
export function meetsBounds(q: SearchQualityReport, bounds: { top1?: number; mrr?: number }) {
  return (bounds.top1 === undefined || q.top1 >= bounds.top1) &&
    (bounds.mrr === undefined || q.mrr >= bounds.mrr);
}

/** The summary table, one row per catalog. */
export function formatQualityTable(results: readonly CatalogQuality[]): string {
  const rows = results.map((r) => [
    r.dir,
    String(r.queries),
    r.top1.toFixed(3),
    r.mrr.toFixed(3),
    String(r.tinyWins),
    meetsBounds(r, SEARCH_GOAL) && r.tinyWins === 0 ? "met" : "missed",
  ]);
  const header = ["catalog", "queries", "top-1", `MRR@10`, "tiny wins", "goal"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (c: string[]) => c.map((v, i) => v.padEnd(widths[i])).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

function bound(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) {
    throw new TypeError(`--${name} must be between 0 and 1`);
  }
  return n;
}

async function main(): Promise<number> {
  let values;
  let bounds;
  try {
    ({ values } = parseArgs({
      args: Deno.args,
      options: {
        data: { type: "string", multiple: true },
        "min-top1": { type: "string" },
        "min-mrr": { type: "string" },
        json: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
    bounds = {
      top1: bound("min-top1", values["min-top1"]),
      mrr: bound("min-mrr", values["min-mrr"]),
    };
  } catch (error) {
    console.error(`Error: ${errorMessage(error)}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const results: CatalogQuality[] = [];
  for (const dir of values.data ?? DEFAULT_CATALOGS) results.push(await evaluateCatalog(dir));
  const failed = results.filter((r) => !meetsBounds(r, bounds));

  if (values.json) {
    console.log(JSON.stringify({
      goal: SEARCH_GOAL,
      catalogs: results.map(({ outcomes, problems, ...r }) => ({
        ...r,
        skipped: problems.length,
        misses: formatMisses({ ...r, outcomes }),
      })),
    }));
  } else {
    console.log(
      "Search quality: embedded hybrid search (Orama, offline embeddings), each question as its own query\n",
    );
    for (const r of results) {
      console.log(`${r.dir}: ${r.queries} queries over ${r.documents} search documents`);
      console.log(
        `  top-1 ${r.top1.toFixed(3)}  MRR@${r.depth} ${
          r.mrr.toFixed(3)
        }  tiny sections won ${r.tinyWins}`,
      );
      if (r.problems.length > 0) {
        console.log(`  ${r.problems.length} record(s) skipped while loading:`);
        for (const p of r.problems) {
          console.log(`    ${p.file}${p.line ? `:${p.line}` : ""}: ${p.message}`);
        }
      }
      const misses = formatMisses(r);
      if (misses.length > 0) console.log(`  misses:\n${misses.map((m) => `    ${m}`).join("\n")}`);
      console.log();
    }
    console.log(formatQualityTable(results));
    console.log(
      `\ngoal: top-1 ≥ ${SEARCH_GOAL.top1}, MRR ≥ ${SEARCH_GOAL.mrr}, no tiny-section wins`,
    );
    if (failed.length > 0) {
      console.log(`below the given bounds: ${failed.map((r) => r.dir).join(", ")}`);
    }
  }
  return failed.length > 0 ? 1 : 0;
}

if (import.meta.main) {
  try {
    Deno.exit(await main());
  } catch (error) {
    console.error(`Error: ${errorMessage(error)}`);
    Deno.exit(error instanceof TypeError || error instanceof SyntaxError ? 2 : 1);
  }
}
