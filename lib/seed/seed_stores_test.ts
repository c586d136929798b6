import { deepEqual, equal, ok } from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { loadConfig } from "../config/load.ts";
import { createCosmosCustomerStore } from "../customers/cosmos_customer_store.ts";
import { startEmbeddedCosmos } from "../customers/embedded_cosmos.ts";
import { createMemoryCustomerStore } from "../customers/memory_customer_store.ts";
import { createEmbeddingModel } from "../models/factory.ts";
import type { EmbeddingModel } from "../models/types.ts";
import { createOramaProductSearch } from "../products/orama_product_search.ts";
import { loadDataSet } from "./load_data.ts";
import type { DataSet } from "./load_data.ts";
import { searchDocuments, seedStores } from "./seed_stores.ts";

const small: DataSet = {
  dir: "mem",
  products: [
    {
      id: "t1",
      name: "Ridge Tarp",
      price: 59,
      category: "Shelters",
      brand: "A",
      description: "A tarp.",
    },
    {
      id: "s1",
      name: "Trail Stove",
      price: 45,
      category: "Kitchen",
      brand: "B",
      description: "A stove.",
    },
  ],
  customers: [{
    id: "1",
    firstName: "Ana",
    lastName: "L",
    age: 30,
    email: "a@example.com",
    phone: "1",
    address: "x",
    membership: "Gold",
    orders: [],
  }],
  manuals: [{
    productId: "t1",
    file: "t1-ridge-tarp.md",
    markdown: [
      "# Ridge Tarp",
      "A flat tarp for bikepacking and ultralight trips that pitches between two trekking poles or two",
      "trees, with twelve reinforced tie-outs and a stuff sack that doubles as a pillow on cold nights.",
      "## Care",
      "Dry it before you pack it away, clean it with a sponge and lukewarm water, and never put it in a",
      "washing machine or a dryer.",
      "## Warranty",
      "Two years against defects in materials and workmanship, including the seams and the tie-outs;",
      "tears, punctures, UV damage and wear from normal use are not covered by the warranty.",
    ].join("\n"),
  }],
  manualsSkipped: 0,
  eval: {},
  problems: [],
};

/** The offline embedding model, counting its calls. */
function countingEmbeddings(): EmbeddingModel & { calls: number[] } {
  const inner = createEmbeddingModel(loadConfig({}).embedding);
  const calls: number[] = [];
  return {
    name: inner.name,
    backend: inner.backend,
    dimensions: inner.dimensions,
    calls,
    embed(texts, o) {
      calls.push(texts.length);
      return inner.embed(texts, o);
    },
  };
}

Deno.test("searchDocuments() makes one document per product and per manual section", () => {
  const docs = searchDocuments(small);
  deepEqual(docs.map((d) => [d.id, d.kind]), [
    ["t1", "product"],
    ["s1", "product"],
    ["t1-manual-overview", "manual"],
    ["t1-manual-care", "manual"],
    ["t1-manual-warranty", "manual"],
  ]);
  equal(docs[3].title, "Ridge Tarp — Care");
  equal(docs[3].category, "Shelters", "passages inherit the product's category");
});

Deno.test("seedStores() upserts customers and embedded documents, in batches, with progress", async () => {
  const customers = createMemoryCustomerStore();
  const products = createOramaProductSearch({ dimensions: 256 });
  const embeddings = countingEmbeddings();
  const progress: string[] = [];
  const counts = await seedStores(small, { customers, products, embeddings }, {
    batchSize: 2,
    onProgress: (stage, done, total) => progress.push(`${stage} ${done}/${total}`),
  });
  deepEqual(counts, { customers: 1, products: 2, manualPassages: 3, documents: 5 });
  deepEqual(embeddings.calls, [2, 2, 1]);
  deepEqual(progress, [
    "customers 0/1",
    "customers 1/1",
    "embeddings 2/5",
    "embeddings 4/5",
    "embeddings 5/5",
    "index 5/5",
  ]);
  equal(await products.count(), 5);
  const [vector] = await embeddings.embed(["tarp care dry"]);
  const hits = await products.search({ text: "tarp care", vector }, { top: 1 });
  equal(hits[0].productId, "t1");
});

Deno.test("seedStores() is idempotent: the repository's data twice leaves the same counts", async () => {
  const data = await loadDataSet(fileURLToPath(new URL("../../data", import.meta.url)));
  const cosmos = await startEmbeddedCosmos();
  try {
    const customers = await createCosmosCustomerStore(cosmos.client, {
      database: "contoso-outdoor",
      container: "customers",
      createIfMissing: true,
    });
    const products = createOramaProductSearch({ dimensions: 256 });
    const embeddings = countingEmbeddings();
    const first = await seedStores(data, { customers, products, embeddings });
    const after1 = [await customers.count(), await products.count()];
    const second = await seedStores(data, { customers, products, embeddings });
    const after2 = [await customers.count(), await products.count()];
    deepEqual(second, first);
    deepEqual(after2, after1);
    equal(after1[0], data.customers.length);
    equal(after1[1], first.documents);
    ok(first.manualPassages > first.products, "manuals are chunked into several passages");
  } finally {
    await cosmos.close();
  }
});
