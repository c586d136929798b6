import assert from "node:assert/strict";
import { loadConfig } from "../config/load.ts";
import { createRuntime } from "../runtime/mod.ts";
import { resolveProjectPath } from "../runtime/paths.ts";
import { loadDataSet } from "./load_data.ts";
import { sampleSearch, verifyData } from "./verify.ts";

Deno.test("verifyData() and sampleSearch() on the embedded services seeded from data/", async () => {
  const runtime = await createRuntime(loadConfig({}));
  try {
    const data = await loadDataSet(resolveProjectPath("data"));
    const checks = await verifyData(runtime, data);
    assert.deepEqual(checks.filter((c) => !c.ok), [], JSON.stringify(checks));
    assert.equal(checks.length, 4);
    const hits = await sampleSearch(runtime, "waterproof tent for rain", { top: 5 });
    assert.ok(hits.length > 0 && hits.length <= 5);
    assert.ok(hits.every((h) => typeof h.score === "number" && h.id));
  } finally {
    await runtime.close();
  }
});

Deno.test("verifyData() flags an empty store", async () => {
  const empty = { count: () => Promise.resolve(0) };
  const checks = await verifyData(
    { customers: empty, products: empty } as never,
    { customers: [], products: [], manuals: [] },
  );
  assert.deepEqual(checks.map((c) => c.ok), [false, false, false, true]);
});
