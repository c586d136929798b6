import { deepEqual, equal, ok } from "node:assert/strict";
import { loadConfig } from "../config/load.ts";
import { createRuntime } from "./mod.ts";
import { resolveProjectPath } from "./paths.ts";

const DATA = resolveProjectPath("lib/seed/testdata/paddle_catalog");

Deno.test("createRuntime() seed() fills the stores it opened, as deno task seed does", async () => {
  const runtime = await createRuntime(loadConfig({ CONTOSO_DATA_DIR: DATA }), { seed: false });
  try {
    equal(runtime.seeded, undefined);
    equal(await runtime.products.count(), 0);
    const report = await runtime.seed(DATA);
    equal(await runtime.customers.count(), report.customers);
    equal(await runtime.products.count(), report.documents);
    ok(report.documents > report.products && report.products > 0);
    const again = await runtime.seed(DATA, { skip: { products: true } });
    deepEqual([again.customers, again.documents], [report.customers, 0]);
  } finally {
    await runtime.close();
  }
});
