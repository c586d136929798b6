import { deepEqual, equal, ok } from "node:assert/strict";
import { createMemoryCustomerStore } from "../customers/memory_customer_store.ts";
import type { EmbeddingModel } from "../models/types.ts";
import type { ProductSearch, SearchDocument } from "../products/types.ts";
import { type DataProblem, loadDataSet, scanDataSet } from "./load_data.ts";
import {
  seedCustomers,
  seedFromDirectory,
  seedSearchIndex,
  streamSearchDocuments,
} from "./seed_directory.ts";
import { searchDocuments } from "./seed_stores.ts";
import { writeTestCatalog } from "./_test_catalog.ts";

const PRODUCTS = 10_000;

/** A search store that records upload batch sizes, and when each came, in a shared log. */
function loggingStore(log: string[]) {
  const docs = new Map<string, SearchDocument>();
  const batches: number[] = [];
  const store: ProductSearch = {
    backend: "memory",
    search: () => Promise.resolve([]),
    upsert(batch) {
      batches.push(batch.length);
      log.push(`upsert ${batch.length}`);
      for (const d of batch) docs.set(d.id, d);
      return Promise.resolve(batch.length);
    },
    count: () => Promise.resolve(docs.size),
  };
  return { store, docs, batches };
}

const embeddings: EmbeddingModel = {
  name: "tiny",
  backend: "offline",
  dimensions: 1,
  embed: (texts) => Promise.resolve(texts.map((t) => [t.length])),
};

Deno.test("seedFromDirectory() streams 10,000 products and still names each bad record", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "contoso-large-" });
  try {
    const planted = await writeTestCatalog(dir, { products: PRODUCTS, bad: true });
    const log: string[] = [];
    const found: DataProblem[] = [];
    const { store, docs, batches } = loggingStore(log);
    const customers = createMemoryCustomerStore();
    const report = await seedFromDirectory(dir, { customers, products: store, embeddings }, {
      uploadBatchSize: 400,
      onProblem: (p) => found.push(p),
      onProgress: (stage, done, total) => {
        if (stage === "manuals" && (done % 1000 === 0 || done === total)) {
          log.push(`manuals ${done}/${total}`);
        }
      },
    });

    await t.step("every planted bad record, by file and line", () => {
      const where = (p: DataProblem) =>
        `${p.file.slice(dir.length + 1)}${p.line ? `:${p.line}` : ""}`;
      deepEqual(report.problems.map(where), [
        `products.csv:${planted.emptyNameLine}`,
        `products.csv:${planted.badPriceLine}`,
        "customers/customer-57.json",
        "customers/customer-133.json",
        "eval/large.jsonl:377",
        "manuals/zz-orphan.md",
      ]);
      ok(planted.emptyNameLine > planted.badRows[0] + 2, "lines count the multi-line rows before");
      ok(/name is empty/.test(report.problems[0].message));
      ok(/price "about ten"/.test(report.problems[1].message));
      ok(/invalid JSON/.test(report.problems[2].message));
      ok(/firstName is missing/.test(report.problems[3].message));
      ok(/invalid JSON/.test(report.problems[4].message));
      ok(/cannot tell which product/.test(report.problems[5].message));
      deepEqual(found, report.problems, "onProblem heard each one");
    });

    await t.step("the good records are all seeded", () => {
      equal(report.products, PRODUCTS - 2);
      equal(report.customers, 198);
      equal(report.manuals, PRODUCTS - 2);
      equal(report.manualsSkipped, 1);
      deepEqual(report.linkedBy, {
        "file name": 3334,
        "front matter": 3332,
        "declared id": 3332,
      });
      equal(report.evalRows, 499);
      deepEqual(report.productsWithoutManual, []);
      equal(report.documents, docs.size);
      equal(report.manualPassages, report.documents - report.products);
    });

    await t.step("uploads are bounded and start long before the last manual is read", () => {
      ok(batches.every((n) => n <= 400), `largest batch ${Math.max(...batches)}`);
      // Manual files: 9,998 linked and the orphan. Uploads run while manuals are still being read.
      const at = (entry: string) => log.indexOf(entry);
      const first = log.findIndex((l) => l.startsWith("upsert"));
      ok(first >= 0 && first < at("manuals 1000/9999"), log.slice(0, 5).join(", "));
      for (let k = 1000; k < 9000; k += 1000) {
        const window = log.slice(at(`manuals ${k}/9999`), at(`manuals ${k + 1000}/9999`));
        ok(window.some((l) => l.startsWith("upsert")), `no upload between ${k} and ${k + 1000}`);
      }
    });

    await t.step("the same documents as loadDataSet() + searchDocuments()", async () => {
      const data = await loadDataSet(dir);
      const key = (p: DataProblem) => `${p.file}:${p.line}:${p.message}`;
      deepEqual(data.problems.map(key).sort(), report.problems.map(key).sort());
      const expected = searchDocuments(data);
      equal(docs.size, new Set(expected.map((d) => d.id)).size);
      for (const d of expected) equal(docs.get(d.id)?.content, d.content, d.id);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("streamSearchDocuments() yields the products, then one array per manual file", async () => {
  const dir = new URL("./testdata/paddle_catalog", import.meta.url).pathname;
  const scan = await scanDataSet(dir);
  const skipped: string[] = [];
  const arrays: string[][] = [];
  for await (
    const docs of streamSearchDocuments(scan, { onProblem: (p) => skipped.push(p.file) })
  ) {
    arrays.push(docs.map((d) => d.id));
  }
  equal(arrays[0].length, scan.products.length);
  equal(arrays.length - 1 + skipped.length, scan.manualFiles.length);
  for (const ids of arrays.slice(1)) {
    equal(new Set(ids.map((id) => id.split("-manual-")[0])).size, 1, "one product per array");
  }
  const data = await loadDataSet(dir);
  deepEqual(arrays.flat(), searchDocuments(data).map((d) => d.id));
});

Deno.test("seedFromDirectory() with skip leaves a store out and reads no manuals", async () => {
  const dir = new URL("./testdata/paddle_catalog", import.meta.url).pathname;
  const { store, docs } = loggingStore([]);
  const customers = createMemoryCustomerStore();
  const onlyProducts = await seedFromDirectory(dir, { customers, products: store, embeddings }, {
    skip: { customers: true },
  });
  equal(onlyProducts.customers, 0);
  equal(await customers.count(), 0);
  ok(docs.size > 0);
  const onlyCustomers = await seedFromDirectory(dir, { customers, products: store, embeddings }, {
    skip: { products: true },
  });
  deepEqual([onlyCustomers.customers, onlyCustomers.documents, onlyCustomers.manuals], [3, 0, 0]);
});

Deno.test("seedFromDirectory() reuses a scan it is given", async () => {
  const dir = new URL("./testdata/paddle_catalog", import.meta.url).pathname;
  const scan = await scanDataSet(dir);
  // A scan without its customers and problems: seeding uses it, not the folder's.
  const partial = { ...scan, customers: scan.customers.slice(0, 1), problems: [] };
  const { store } = loggingStore([]);
  const customers = createMemoryCustomerStore();
  const report = await seedFromDirectory(dir, { customers, products: store, embeddings }, {
    scan: partial,
  });
  deepEqual([report.customers, report.problems.length], [1, 0]);
  equal(report.products, scan.products.length);
});

Deno.test("seedFromDirectory() removes the catalog's stale documents, and only those", async (t) => {
  const dir = new URL("./testdata/paddle_catalog", import.meta.url).pathname;
  const scan = await scanDataSet(dir);
  const { store, docs } = loggingStore([]);
  const removed: string[] = [];
  const pruning: ProductSearch = {
    ...store,
    documentIds: (productIds) => {
      const wanted = new Set(productIds);
      return Promise.resolve(
        [...docs.values()].filter((d) => wanted.has(d.productId)).map((d) => d.id),
      );
    },
    remove: (ids) => {
      removed.push(...ids);
      ids.forEach((id) => docs.delete(id));
      return Promise.resolve(ids.length);
    },
  };
  const plant = () => {
    const base = {
      kind: "manual" as const,
      title: "t",
      content: "c",
      url: "u",
      category: "",
      brand: "",
    };
    const catalogId = scan.products[0].id;
    docs.set(`${catalogId}-manual-gone`, {
      ...base,
      id: `${catalogId}-manual-gone`,
      productId: catalogId,
      contentVector: [1],
    });
    docs.set("zz-manual-x", { ...base, id: "zz-manual-x", productId: "zz", contentVector: [1] });
    return catalogId;
  };
  const customers = createMemoryCustomerStore();
  await t.step("a passage of a catalog product the folder no longer has is removed", async () => {
    const catalogId = plant();
    const report = await seedFromDirectory(dir, { customers, products: pruning, embeddings });
    equal(report.removed, 1);
    deepEqual(removed, [`${catalogId}-manual-gone`]);
    ok(docs.has("zz-manual-x"), "a product not in the catalog is left alone");
    equal(docs.size, report.documents + 1);
  });
  await t.step("prune: false keeps it", async () => {
    removed.length = 0;
    plant();
    const report = await seedFromDirectory(dir, { customers, products: pruning, embeddings }, {
      prune: false,
    });
    deepEqual([report.removed, removed.length], [0, 0]);
  });
});

Deno.test("seedCustomers() upserts the list in parts side by side", async (t) => {
  const dir = new URL("./testdata/paddle_catalog", import.meta.url).pathname;
  const scan = await scanDataSet(dir, { catalog: false });
  const people = [...scan.customers, ...scan.customers.map((c) => ({ ...c, id: `${c.id}-b` }))];
  const calls: number[] = [];
  const store = createMemoryCustomerStore();
  const counting = {
    upsert: (list: typeof people) => {
      calls.push(list.length);
      return store.upsert(list);
    },
  };
  await t.step("one call with the whole list by default", async () => {
    equal(await seedCustomers(counting, people), people.length);
    deepEqual(calls.splice(0), [people.length]);
  });
  await t.step("parallel: 4 cuts it into at most four parts, every customer once", async () => {
    equal(await seedCustomers(counting, people, { parallel: 4 }), people.length);
    ok(calls.length <= 4 && calls.length > 1, `${calls}`);
    equal(calls.reduce((a, b) => a + b, 0), people.length);
    equal(await store.count(), people.length);
  });
  await t.step("an empty list with parallel upserts writes nothing", async () => {
    calls.length = 0;
    equal(await seedCustomers(counting, [], { parallel: 8 }), 0);
    deepEqual(calls, []);
  });
});

Deno.test("seedSearchIndex() needs only the search store and the embeddings", async () => {
  const dir = new URL("./testdata/paddle_catalog", import.meta.url).pathname;
  const scan = await scanDataSet(dir);
  const { store, docs } = loggingStore([]);
  const problems: DataProblem[] = [];
  const report = await seedSearchIndex({ products: store, embeddings }, scan, {
    onProblem: (p) => problems.push(p),
  });
  const whole = await seedFromDirectory(dir, {
    customers: createMemoryCustomerStore(),
    products: loggingStore([]).store,
    embeddings,
  });
  equal(docs.size, whole.documents);
  deepEqual(
    [report.products, report.manualPassages, report.documents, report.manuals],
    [whole.products, whole.manualPassages, whole.documents, whole.manuals],
  );
  // Only the manuals' problems: the scan's own are the caller's to report.
  equal(problems.length, whole.problems.length - scan.problems.length);
});
