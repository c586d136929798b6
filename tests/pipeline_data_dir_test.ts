/**
 * Integration: `CONTOSO_DATA_DIR` points the embedded stores at another catalog in the same
 * formats (lib/seed/testdata/paddle_catalog, a paddle-sports shop), and the pipeline answers
 * from that catalog alone.
 *
 * @module
 */
import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { fileURLToPath } from "node:url";
import {
  createRuntime,
  type DataProblem,
  loadConfig,
  NotFoundError,
  parseCsv,
} from "../lib/mod.ts";

const catalog = fileURLToPath(new URL("../lib/seed/testdata/paddle_catalog", import.meta.url));
// Every id in the catalog's products.csv (the bad row's id included: it must never be cited).
const catalogIds = new Set(
  parseCsv(Deno.readTextFileSync(`${catalog}/products.csv`)).slice(1).map((r) => r.fields[0]),
);

Deno.test("CONTOSO_DATA_DIR answers from another catalog", async (t) => {
  const problems: DataProblem[] = [];
  const config = loadConfig({ CONTOSO_DATA_DIR: catalog });
  equal(config.dataDir, catalog);
  const runtime = await createRuntime(config, { onDataProblem: (p) => problems.push(p) });
  try {
    await t.step("seeds that catalog and reports its bad row by file and line", async () => {
      deepEqual(
        runtime.seeded && {
          customers: runtime.seeded.customers,
          products: runtime.seeded.products,
        },
        { customers: 3, products: 18 },
      );
      equal(await runtime.customers.count(), 3);
      // Manuals the loader cannot link are reported too; tests/seed_cli_test.ts counts those.
      const records = problems.filter((p) => !p.file.includes("/manuals/"));
      deepEqual(records.map((p) => [p.file.replace(`${catalog}/`, ""), p.line]), [
        ["products.csv", 6],
      ]);
      ok(records[0].message.includes("name is empty"));
    });

    await t.step("greets that catalog's customer and cites its products", async () => {
      const response = await runtime.pipeline.getResponse({
        customerId: "c1",
        question: "What would go well with the kayak I bought?",
      });
      ok(/\bZed\b/.test(response.answer), response.answer);
      ok(response.context.length > 0);
      for (const item of response.context) {
        ok(catalogIds.has(item.productId), `context ${item.id} is not from the catalog`);
      }
      const cited = [...response.answer.matchAll(/\[([^\]\s]+)\]/g)].map((m) => m[1]);
      ok(cited.some((id) => catalogIds.has(id)), response.answer);
    });

    await t.step(
      "support questions find the manual passages, linked by id prefix or title",
      async () => {
        const care = await runtime.pipeline.getResponse({
          customerId: "c1",
          question: "How do I clean my kayak after salt water?",
        });
        ok(care.context.some((c) => c.id === "k1-manual-care-and-maintenance"));
        ok(care.answer.includes("fresh water"), care.answer);
        const paddle = await runtime.pipeline.getResponse({
          customerId: "c2",
          question: "How do I assemble the Featherblade paddle?",
        });
        ok(
          paddle.context.some((c) => c.id === "p1-manual-assembly"),
          JSON.stringify(paddle.context),
        );
        ok(/\bInes\b/.test(paddle.answer));
      },
    );

    await t.step("customers of the default data/ are not there", async () => {
      await rejects(
        runtime.pipeline.getResponse({ customerId: "1", question: "Hi?" }),
        NotFoundError,
      );
    });
  } finally {
    await runtime.close();
  }
});
