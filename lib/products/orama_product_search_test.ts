import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { hashEmbedding } from "../models/offline/embedding.ts";
import { embeddingText } from "./documents.ts";
import { createOramaProductSearch } from "./orama_product_search.ts";
import type { SearchDocument, SearchFields } from "./types.ts";

const fields: SearchFields[] = [
  {
    id: "1",
    kind: "product",
    productId: "1",
    title: "Summit Dome 2 Tent",
    content: "A freestanding two-person dome tent with a waterproof fly.",
    url: "/products/1",
    category: "Tents",
    brand: "Northpeak",
  },
  {
    id: "1-manual-care",
    kind: "manual",
    productId: "1",
    title: "Summit Dome 2 Tent — Care",
    content: "Clean the fly with lukewarm water. Dry the tent before storing it.",
    url: "/manuals/1.md#care",
    category: "Tents",
    brand: "Northpeak",
  },
  {
    id: "17",
    kind: "product",
    productId: "17",
    title: "Trailchef Two-Burner Stove",
    content: "A propane camp stove with two burners.",
    url: "/products/17",
    category: "Stoves",
    brand: "Emberline",
  },
];
const DIMS = 64;
const docs: SearchDocument[] = fields.map((f) => ({
  ...f,
  contentVector: hashEmbedding(embeddingText(f), DIMS),
}));
const query = (text: string) => ({ text, vector: hashEmbedding(text, DIMS) });

Deno.test("createOramaProductSearch() finds products and manual passages by hybrid search", async () => {
  const search = createOramaProductSearch({ dimensions: DIMS });
  equal(search.backend, "embedded");
  equal(await search.upsert(docs), 3);
  equal(await search.count(), 3);

  const stove = await search.search(query("propane camp stove"), { top: 1 });
  deepEqual(stove.map((h) => h.id), ["17"]);
  ok(stove[0].score > 0);
  deepEqual(Object.keys(stove[0]).sort(), [
    "brand",
    "category",
    "content",
    "id",
    "kind",
    "productId",
    "score",
    "title",
    "url",
  ]);

  const care = await search.search(query("how to clean the tent fly"), { top: 2 });
  equal(care[0].id, "1-manual-care");
  equal(care[0].kind, "manual");
  equal((await search.search(query("tent"))).length <= 3, true);
});

Deno.test("createOramaProductSearch() ignores stop words, which would prefix-match most words", async () => {
  const search = createOramaProductSearch({ dimensions: DIMS });
  await search.upsert(docs);
  // "the", "with" and "a" prefix-match "tent", "water", "two"... without the stop-word list.
  const wordy = await search.search(
    { text: "what is the best thing to use with a stove", vector: new Array(DIMS).fill(0) },
    { top: 3 },
  );
  deepEqual(wordy.map((h) => h.id), ["17"]);
});

Deno.test("createOramaProductSearch() upsert is idempotent by id", async () => {
  const search = createOramaProductSearch({ dimensions: DIMS });
  await search.upsert(docs);
  await search.upsert([{ ...docs[2], title: "Trailchef Stove v2" }]);
  equal(await search.count(), 3);
  const [hit] = await search.search(query("Trailchef stove"), { top: 1 });
  equal(hit.title, "Trailchef Stove v2");
});

Deno.test("createOramaProductSearch() rejects vectors of the wrong size", async () => {
  const search = createOramaProductSearch({ dimensions: DIMS });
  await rejects(
    search.upsert([{ ...docs[0], contentVector: [1, 2, 3] }]),
    new TypeError('Document "1" has a 3-dimension vector; expected 64'),
  );
  await rejects(
    search.search({ text: "tent", vector: [1] }),
    new TypeError("Query vector has 1 dimensions; the index expects 64"),
  );
  equal(await search.count(), 0);
});

Deno.test("createOramaProductSearch() matches whole words, after stemming", async (t) => {
  const none = new Array(DIMS).fill(0);
  const doc = (id: string, content: string): SearchDocument => ({
    ...docs[0],
    id,
    productId: id,
    title: `Item ${id}`,
    content,
    category: "",
    brand: "",
    contentVector: none,
  });
  const search = createOramaProductSearch({ dimensions: DIMS });
  await search.upsert([
    doc("a", "Carry the cartridge in the campfire bag."),
    doc("b", "Cleaning the tents after each trip."),
  ]);
  const ids = async (text: string) =>
    (await search.search({ text, vector: none }, { top: 5 })).map((h) => h.id);
  await t.step("a word is not a prefix of longer words", async () => {
    deepEqual(await ids("car"), []);
    deepEqual(await ids("camp"), []);
    deepEqual(await ids("carry"), ["a"]);
  });
  await t.step("inflections still meet at their stem", async () => {
    deepEqual(await ids("how do I clean my tent"), ["b"]);
    deepEqual(await ids("carried cartridges"), ["a"]);
  });
});

Deno.test("createOramaProductSearch() does not divide by length twice (bm25 b = 0)", async () => {
  const none = new Array(DIMS).fill(0);
  // Orama counts each distinct word once, so a long passage needs many different words.
  const filler = [
    "The stove folds flat and packs into its own pot with room to spare.",
    "Its burner head swivels, the legs lock open, and a windscreen clips around the base.",
    "Simmer control reaches a gentle flame for sauces; boiling a liter takes four minutes.",
    "Store it dry, brush soot from the jets monthly, and inspect seals before long journeys.",
  ].join(" ");
  const passage = (id: string, content: string): SearchDocument => ({
    ...docs[1],
    id,
    content,
    contentVector: none,
  });
  // The short passage mentions one query word; the long one answers with both.
  const both = [
    passage("short", "Zipper pulls are replaced free."),
    passage("long", `${filler} The zipper is covered by the lifetime warranty.`),
  ];
  const top = async (search: ReturnType<typeof createOramaProductSearch>) => {
    await search.upsert(both);
    return (await search.search({ text: "zipper warranty", vector: none }, { top: 1 }))[0].id;
  };
  equal(await top(createOramaProductSearch({ dimensions: DIMS })), "long");
  const orama = { k: 1.2, b: 0.75, d: 0.5 };
  equal(await top(createOramaProductSearch({ dimensions: DIMS, bm25: orama })), "short");
});
