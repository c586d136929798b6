/**
 * The search quality step of the scale benchmark (bench/scale.ts), run as its own process so a
 * large catalog's index does not weigh on the benchmark's memory: the embedded runtime on the
 * data folder given (with the settings of the environment, such as the index cache folder and
 * exact vectors), every labelled set of `DIR/search/` scored by lib/products/search_eval.ts.
 * Prints one JSON line.
 *
 * Run: deno run -A bench/_scale_quality.ts DIR
 *
 * @module
 */
import { join } from "node:path";
import { queryFiles } from "../cli/search_eval.ts";
import { loadConfig } from "../lib/config/mod.ts";
import { evaluateSearch, loadLabelledQueries } from "../lib/products/search_eval.ts";
import { createRuntime } from "../lib/runtime/mod.ts";

/** One labelled query set's figures. */
export interface QualityFigures {
  file: string;
  queries: number;
  top1: number;
  mrr: number;
  tinyWins: number;
}

/** What the quality child reports. */
export interface QualityResult {
  documents: number;
  sets: QualityFigures[];
}

/** Score every labelled set of `dir/search` on the runtime of `env` (runs in the child). */
export async function measureQuality(
  dir: string,
  env: Record<string, string>,
): Promise<QualityResult> {
  const runtime = await createRuntime(loadConfig({ ...env, CONTOSO_DATA_DIR: dir }));
  try {
    const sets: QualityFigures[] = [];
    for (const file of await queryFiles(join(dir, "search"))) {
      const queries = await loadLabelledQueries(join(dir, "search", file));
      const r = await evaluateSearch(runtime.products, runtime.embeddingModel, queries);
      sets.push({ file, queries: r.queries, top1: r.top1, mrr: r.mrr, tinyWins: r.tinyWins });
    }
    return { documents: await runtime.products.count(), sets };
  } finally {
    await runtime.close();
  }
}

if (import.meta.main) {
  const [dir] = Deno.args;
  if (!dir) {
    console.error("Usage: deno run -A bench/_scale_quality.ts DIR");
    Deno.exit(2);
  }
  console.log(JSON.stringify(await measureQuality(dir, Deno.env.toObject())));
  Deno.exit(0);
}
