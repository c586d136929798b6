import { deepEqual, equal, ok } from "node:assert/strict";
import { create, insertMultiple, search } from "@orama/orama";
import { hashEmbedding } from "../models/offline/embedding.ts";
import { loadDataSet, searchDocuments } from "../seed/mod.ts";
import { embeddingText } from "./documents.ts";
import { HybridIndex } from "./hybrid_index.ts";
import {
  createIndexTokenizer,
  DEFAULT_BM25,
  DEFAULT_HYBRID_WEIGHTS,
} from "./orama_product_search.ts";
import type { SearchDocument } from "./types.ts";

const DIMS = 64;

async function catalog(dir: string): Promise<{ docs: SearchDocument[]; questions: string[] }> {
  const data = await loadDataSet(dir);
  const docs = searchDocuments(data).map((d) => ({
    ...d,
    contentVector: hashEmbedding(embeddingText(d), DIMS),
  }));
  const questions: string[] = [];
  for await (const entry of Deno.readDir(`${dir}/search`)) {
    if (!entry.name.endsWith(".jsonl")) continue;
    const text = await Deno.readTextFile(`${dir}/search/${entry.name}`);
    for (const line of text.split("\n")) if (line.trim()) questions.push(JSON.parse(line).question);
  }
  return { docs, questions: questions.sort() };
}

/** The reference: Orama's own hybrid search, set up as the embedded search was before. */
async function oramaReference(docs: SearchDocument[]) {
  const tokenize = createIndexTokenizer();
  const db = create({
    schema: {
      id: "string",
      kind: "enum",
      productId: "string",
      title: "string",
      content: "string",
      url: "string",
      category: "string",
      brand: "string",
      contentVector: `vector[${DIMS}]`,
    } as const,
    components: {
      tokenizer: {
        language: "english",
        normalizationCache: new Map(),
        tokenize: (text: string) => tokenize(text),
      },
    },
  });
  await insertMultiple(db, docs.map((d) => ({ ...d })));
  return async (text: string, top: number) =>
    (await search(db, {
      mode: "hybrid",
      term: text,
      properties: ["title", "content", "category", "brand"],
      vector: { value: hashEmbedding(text, DIMS), property: "contentVector" },
      similarity: 0.05,
      hybridWeights: DEFAULT_HYBRID_WEIGHTS,
      relevance: DEFAULT_BM25,
      limit: top,
    })).hits.map((h) => ({ id: h.document.id, score: h.score }));
}

Deno.test("HybridIndex.search() ranks as Orama's hybrid search does", async (t) => {
  for (const dir of ["data", "lib/seed/testdata/paddle_catalog"]) {
    await t.step(dir, async () => {
      const { docs, questions } = await catalog(dir);
      const reference = await oramaReference(docs);
      const index = new HybridIndex(DIMS, createIndexTokenizer());
      index.upsert(docs);
      ok(questions.length >= 30);
      for (const question of questions) {
        const expected = await reference(question, 10);
        const got = index.search(question, hashEmbedding(question, DIMS), {
          top: 10,
          weights: DEFAULT_HYBRID_WEIGHTS,
          bm25: DEFAULT_BM25,
          exact: true,
        }).map(({ row, score }) => ({ id: index.fieldsOf(row).id, score }));
        deepEqual(got.map((h) => h.id), expected.map((h) => h.id), question);
        got.forEach((h, i) => ok(Math.abs(h.score - expected[i].score) < 1e-9, question));
      }
    });
  }
});

Deno.test("HybridIndex round-trips through its data", () => {
  const tokenize = createIndexTokenizer();
  const a = new HybridIndex(4, tokenize);
  a.upsert([
    {
      id: "p-1",
      kind: "product",
      productId: "p-1",
      title: "Kestrel Hammock",
      content: "A single hammock with tree straps.",
      url: "/products/p-1",
      category: "Hammocks",
      brand: "Osprey Works",
      contentVector: [1, 0, 0, 0],
    },
    {
      id: "p-2",
      kind: "product",
      productId: "p-2",
      title: "Kestrel Tarp",
      content: "A rain tarp for a hammock.",
      url: "/products/p-2",
      category: "Shelters",
      brand: "Osprey Works",
      contentVector: [0, 1, 0, 0],
    },
  ]);
  // A replaced document leaves its old bytes behind in memory, never in the saved data.
  a.upsert([{
    id: "p-2",
    kind: "product",
    productId: "p-2",
    title: "Kestrel Tarp",
    content: "A rain tarp for a hammock, with guy lines.",
    url: "/products/p-2",
    category: "Shelters",
    brand: "Osprey Works",
    contentVector: [0, 1, 0, 0],
  }]);
  equal(a.size, 2);
  const saved = a.data();
  equal(saved.fields.offsets.length, 3);
  equal(saved.fields.values.length, saved.fields.offsets[2]);
  const b = new HybridIndex(4, tokenize, saved);
  equal(b.fieldsOf(1).content, "A rain tarp for a hammock, with guy lines.");
  equal(b.size, 2);
  const options = { top: 2, weights: DEFAULT_HYBRID_WEIGHTS, bm25: DEFAULT_BM25 };
  deepEqual(
    b.search("tarp for rain", [0, 1, 0, 0], options),
    a.search("tarp for rain", [0, 1, 0, 0], options),
  );
  equal(b.fieldsOf(b.search("tarp", [0, 0, 0, 0], options)[0].row).title, "Kestrel Tarp");
});

Deno.test("HybridIndex.reserve() changes no result, and an index may outgrow it", async (t) => {
  const { docs, questions } = await catalog("data");
  const tokenize = createIndexTokenizer();
  const options = { top: 5, weights: DEFAULT_HYBRID_WEIGHTS, bm25: DEFAULT_BM25 };
  const plain = new HybridIndex(DIMS, tokenize);
  plain.upsert(docs);
  for (const [name, rows] of [["room for all", docs.length * 3], ["room for a few", 5]] as const) {
    await t.step(name, () => {
      const reserved = new HybridIndex(DIMS, tokenize);
      reserved.reserve(rows);
      // In two upserts, with a replacement in the second, as a streamed seed does.
      reserved.upsert(docs.slice(0, 40));
      reserved.upsert(docs.slice(30));
      equal(reserved.size, docs.length);
      const a = reserved.data();
      const b = plain.data();
      deepEqual(a.ids, b.ids);
      deepEqual(a.fields.offsets, b.fields.offsets);
      deepEqual(a.fields.values, b.fields.values);
      deepEqual(a.tokens.values, b.tokens.values);
      deepEqual(a.vectors, b.vectors);
      for (const question of questions.slice(0, 12)) {
        const vector = hashEmbedding(question, DIMS);
        deepEqual(
          reserved.search(question, vector, options),
          plain.search(question, vector, options),
        );
      }
    });
  }
});
