/**
 * Search quality on the embedded defaults: each catalog's labelled queries
 * (`DIR/search/queries.jsonl`) run through the Orama hybrid index seeded as `deno task start`
 * seeds it, scored by `deno task search:eval`'s code. The labels are checked against the
 * catalog first, so a renamed section shows up as a bad label, not as a search miss.
 *
 * @module
 */
import { equal, ok } from "node:assert/strict";
import { join } from "node:path";
import { DEFAULT_CATALOGS, evaluateCatalog, queryFiles, SEARCH_GOAL } from "../cli/search_eval.ts";
import { loadLabelledQueries, matchesQuery } from "../lib/products/search_eval.ts";
import { resolveProjectPath } from "../lib/runtime/mod.ts";
import { loadDataSet, searchDocuments } from "../lib/seed/mod.ts";

/**
 * Measured on the embedded search (offline hashed embeddings), after manual linking and merging
 * landed: data/ top-1 0.413, MRR 0.590; paddle catalog top-1 0.567, MRR 0.726. Below the goal, so
 * the goal step is ignored until the search meets it. Meanwhile these floors, about two queries
 * under the measured figures, catch a real regression without failing on a one-query wobble.
 */
const FLOORS: Record<string, { top1: number; mrr: number }> = {
  "data": { top1: 0.37, mrr: 0.54 },
  "lib/seed/testdata/paddle_catalog": { top1: 0.5, mrr: 0.67 },
};
const GOAL_MET = false;

Deno.test("evaluateCatalog() on data/ and the paddle catalog", async (t) => {
  await t.step("every label names a product and a manual section of its catalog", async () => {
    for (const dir of DEFAULT_CATALOGS) {
      const path = resolveProjectPath(dir);
      const data = await loadDataSet(path);
      const docs = searchDocuments(data).map((d) => ({ ...d, score: 0 }));
      const files = await queryFiles(join(path, "search"));
      ok(files.includes("holdout.jsonl"), `${dir}: no held-out set`);
      for (const file of files) {
        const queries = await loadLabelledQueries(join(path, "search", file));
        if (file === "queries.jsonl") {
          ok(queries.length >= (dir === "data" ? 40 : 20), `${dir}: ${queries.length} queries`);
        }
        for (const q of queries) {
          ok(docs.some((d) => matchesQuery(d, q)), `${dir}/${file}: no document for label ${q.id}`);
        }
      }
    }
  });

  const results = await Promise.all(DEFAULT_CATALOGS.map((dir) => evaluateCatalog(dir)));

  await t.step("a tiny section never ranks first", () => {
    for (const r of results) {
      for (const set of r.sets) {
        equal(set.tinyWins, 0, `${r.dir}/${set.file}: ${set.tinyWins} tiny wins`);
      }
    }
  });

  await t.step("no catalog falls below the figures measured so far", () => {
    for (const r of results) {
      ok(r.top1 >= FLOORS[r.dir].top1, `${r.dir}: top-1 ${r.top1}`);
      ok(r.mrr >= FLOORS[r.dir].mrr, `${r.dir}: MRR ${r.mrr}`);
    }
  });

  await t.step({
    name: `meets the goal: top-1 ≥ ${SEARCH_GOAL.top1}, MRR ≥ ${SEARCH_GOAL.mrr} on both`,
    ignore: !GOAL_MET,
    fn: () => {
      for (const r of results) {
        ok(r.top1 >= SEARCH_GOAL.top1, `${r.dir}: top-1 ${r.top1}`);
        ok(r.mrr >= SEARCH_GOAL.mrr, `${r.dir}: MRR ${r.mrr}`);
      }
    },
  });
});
