/**
 * Benchmark: search quality. Each catalog with a labelled query set (`data/` and the paddle
 * catalog) is seeded into the embedded hybrid search as `deno task start` seeds it, and every
 * question is searched as the pipeline's search step searches (text plus offline embedding).
 * Reports top-1 accuracy, MRR over the top 10 and how often a tiny manual section came first,
 * beside the goal of issue 10 (top-1 ≥ 0.8, MRR ≥ 0.85, no tiny-section wins).
 *
 * Run: deno run -A bench/search_quality.ts [--json]
 *
 * @module
 */
import { parseArgs } from "node:util";
import { DEFAULT_CATALOGS, evaluateCatalog, SEARCH_GOAL } from "../cli/search_eval.ts";
import type { FigureRow } from "./_stats.ts";

/** One catalog's figures, as the benchmark reports them. */
export interface CatalogFigures {
  dir: string;
  queries: number;
  depth: number;
  top1: number;
  mrr: number;
  tinyWins: number;
}

/** What the benchmark reports. */
export interface SearchQualityResult {
  catalogs: CatalogFigures[];
}

/** Measure every catalog that ships a query set. */
export async function runSearchQuality(
  dirs: readonly string[] = DEFAULT_CATALOGS,
): Promise<SearchQualityResult> {
  const catalogs: CatalogFigures[] = [];
  for (const dir of dirs) {
    const { queries, depth, top1, mrr, tinyWins } = await evaluateCatalog(dir);
    catalogs.push({ dir, queries, depth, top1, mrr, tinyWins });
  }
  return { catalogs };
}

/** The rows of `deno task bench`'s table: top-1, MRR and tiny wins per catalog, with the goals. */
export function searchQualityRows(r: SearchQualityResult): FigureRow[] {
  return r.catalogs.flatMap((c) => {
    const name = c.dir.replace(/^.*\//, "");
    return [
      {
        benchmark: "search",
        figure: `${name}: top-1 accuracy`,
        value: c.top1,
        unit: "",
        goal: SEARCH_GOAL.top1,
        kind: "min" as const,
        note: `${c.queries} labelled queries`,
      },
      {
        benchmark: "search",
        figure: `${name}: MRR@${c.depth}`,
        value: c.mrr,
        unit: "",
        goal: SEARCH_GOAL.mrr,
        kind: "min" as const,
      },
      {
        benchmark: "search",
        figure: `${name}: tiny sections ranked first`,
        value: c.tinyWins,
        unit: "",
        goal: 0,
        kind: "max" as const,
      },
    ];
  });
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: { json: { type: "boolean", default: false } },
  });
  const result = await runSearchQuality();
  if (values.json) console.log(JSON.stringify(result));
  else {
    for (const c of result.catalogs) {
      console.log(
        `${c.dir}: top-1 ${c.top1.toFixed(3)}, MRR@${c.depth} ${
          c.mrr.toFixed(3)
        }, tiny wins ${c.tinyWins} (${c.queries} queries)`,
      );
    }
    console.log(
      `goal: top-1 ≥ ${SEARCH_GOAL.top1}, MRR ≥ ${SEARCH_GOAL.mrr}, no tiny-section wins`,
    );
  }
}
