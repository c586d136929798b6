/**
 * `deno task search:eval [--data DIR]… [--min-top1 X] [--min-mrr Y] [--json]`: measure the
 * embedded hybrid search (Orama with the offline model's embeddings, seeded exactly as
 * `deno task start` seeds it) on each catalog's labelled query sets: every `*.jsonl` in
 * `DIR/search/`, each scored on its own (`queries.jsonl`, the set the search was developed
 * against, is required and comes first; others, such as a held-out `holdout.jsonl`, follow in
 * name order). Prints top-1 accuracy, MRR over the top 10 and tiny-section wins per query set,
 * every miss (query → expected vs got) and a table. With `--min-top1` / `--min-mrr` it exits 1
 * when any query set falls below either bound; without them it only reports.
 *
 * @module
 */
import { basename, join } from "node:path";
import { loadConfig } from "../lib/config/mod.ts";
import { parseCommandLine } from "../lib/cli/args.ts";
import { EXIT, runCommand, UsageError } from "../lib/cli/exit.ts";
import {
  evaluateSearch,
  formatMisses,
  loadLabelledQueries,
  type SearchQualityReport,
} from "../lib/products/mod.ts";
import { createRuntime, resolveProjectPath } from "../lib/runtime/mod.ts";
import type { DataProblem } from "../lib/seed/mod.ts";

/** The catalogs measured when no `--data` is given: the workshop's and the foreign test catalog. */
export const DEFAULT_CATALOGS = ["data", "lib/seed/testdata/paddle_catalog"];

/** The goal of issue 10 for every catalog. */
export const SEARCH_GOAL = { top1: 0.8, mrr: 0.85 } as const;

/** The figures of one query file of a catalog. */
export interface QuerySetQuality extends SearchQualityReport {
  /** The file name inside `DIR/search/`, e.g. `queries.jsonl`. */
  file: string;
}

/**
 * One catalog's measurement. The top-level figures are those of `queries.jsonl` (the development
 * set); `sets` holds every query file's, that one first.
 */
export interface CatalogQuality extends SearchQualityReport {
  /** The data folder as given. */
  dir: string;
  documents: number;
  /** Records the loader skipped (a manual it could not link shows up here). */
  problems: DataProblem[];
  sets: QuerySetQuality[];
}

/** The query files of a catalog: `queries.jsonl` first, then every other `*.jsonl` by name. */
export async function queryFiles(searchDir: string): Promise<string[]> {
  const others: string[] = [];
  try {
    for await (const entry of Deno.readDir(searchDir)) {
      if (entry.isFile && entry.name.endsWith(".jsonl") && entry.name !== "queries.jsonl") {
        others.push(entry.name);
      }
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return ["queries.jsonl", ...others.sort()];
}

const USAGE = `Usage: deno task search:eval [--data DIR]... [--min-top1 X] [--min-mrr Y] [--json]

  --data DIR     a data folder with search/queries.jsonl and optionally
                 more search/*.jsonl query sets (repeatable;
                 default: ${DEFAULT_CATALOGS.join(" and ")})
  --min-top1 X   exit 1 when a query set's top-1 accuracy is below X (0-1)
  --min-mrr Y    exit 1 when a query set's MRR is below Y (0-1)
  --json         print the figures as JSON`;

/**
 * Seed an embedded runtime from `dir` (no Azure configuration is read) and score each of its
 * query sets (`options.queries`: one file instead of `DIR/search/*.jsonl`).
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
  const files = options.queries
    ? [options.queries]
    : (await queryFiles(join(path, "search"))).map((f) => join(path, "search", f));
  const querySets = [];
  for (const file of files) querySets.push({ file, queries: await loadLabelledQueries(file) });
  const problems: DataProblem[] = [];
  const runtime = await createRuntime(loadConfig({ CONTOSO_DATA_DIR: path }), {
    onDataProblem: (p) => problems.push(p),
  });
  try {
    const sets: QuerySetQuality[] = [];
    for (const { file, queries } of querySets) {
      const report = await evaluateSearch(runtime.products, runtime.embeddingModel, queries, {
        depth: options.depth,
      });
      sets.push({ file: basename(file), ...report });
    }
    const { file: _, ...dev } = sets[0];
    return { dir, documents: await runtime.products.count(), problems, ...dev, sets };
  } finally {
    await runtime.close();
  }
}

/** Whether a catalog meets the given bounds (an absent bound always passes). */
export function meetsBounds(q: SearchQualityReport, bounds: { top1?: number; mrr?: number }) {
  return (bounds.top1 === undefined || q.top1 >= bounds.top1) &&
    (bounds.mrr === undefined || q.mrr >= bounds.mrr);
}

/** The summary table, one row per query set of each catalog. */
export function formatQualityTable(results: readonly CatalogQuality[]): string {
  const rows = results.flatMap((c) => c.sets.map((r) => ({ dir: c.dir, ...r }))).map((r) => [
    r.dir,
    r.file,
    String(r.queries),
    r.top1.toFixed(3),
    r.mrr.toFixed(3),
    String(r.tinyWins),
    meetsBounds(r, SEARCH_GOAL) && r.tinyWins === 0 ? "met" : "missed",
  ]);
  const header = ["catalog", "query set", "queries", "top-1", `MRR@10`, "tiny wins", "goal"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (c: string[]) => c.map((v, i) => v.padEnd(widths[i])).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

function bound(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) {
    throw new UsageError(`--${name} must be between 0 and 1`);
  }
  return n;
}

async function main(): Promise<number> {
  const { values } = parseCommandLine(Deno.args, {
    data: { type: "string", multiple: true },
    "min-top1": { type: "string" },
    "min-mrr": { type: "string" },
    json: { type: "boolean", default: false },
  });
  const bounds = {
    top1: bound("min-top1", values["min-top1"]),
    mrr: bound("min-mrr", values["min-mrr"]),
  };
  if (values.help) {
    console.log(USAGE);
    return EXIT.ok;
  }
  const results: CatalogQuality[] = [];
  for (const dir of values.data ?? DEFAULT_CATALOGS) results.push(await evaluateCatalog(dir));
  const failed = results.filter((r) => r.sets.some((set) => !meetsBounds(set, bounds)));

  if (values.json) {
    console.log(JSON.stringify({
      goal: SEARCH_GOAL,
      catalogs: results.map(({ outcomes, problems, sets, ...r }) => ({
        ...r,
        skipped: problems.length,
        misses: formatMisses({ ...r, outcomes }),
        sets: sets.map(({ outcomes, ...set }) => ({
          ...set,
          misses: formatMisses({ ...set, outcomes }),
        })),
      })),
    }));
  } else {
    console.log(
      "Search quality: embedded hybrid search (Orama, offline embeddings), each question as its own query\n",
    );
    for (const r of results) {
      console.log(`${r.dir}: ${r.documents} search documents`);
      for (const set of r.sets) {
        console.log(
          `  ${set.file}: ${set.queries} queries  top-1 ${set.top1.toFixed(3)}  MRR@${set.depth} ${
            set.mrr.toFixed(3)
          }  tiny sections won ${set.tinyWins}`,
        );
      }
      if (r.problems.length > 0) {
        console.log(`  ${r.problems.length} record(s) skipped while loading:`);
        for (const p of r.problems) {
          console.log(`    ${p.file}${p.line ? `:${p.line}` : ""}: ${p.message}`);
        }
      }
      for (const set of r.sets) {
        const misses = formatMisses(set);
        if (misses.length === 0) continue;
        console.log(`  misses (${set.file}):\n${misses.map((m) => `    ${m}`).join("\n")}`);
      }
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
  return failed.length > 0 ? EXIT.failed : EXIT.ok;
}

if (import.meta.main) Deno.exit(await runCommand(main, { usage: USAGE }));
