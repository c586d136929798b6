/**
 * The contract every {@link ProductSearch} keeps, as one suite each implementation runs (the
 * way Hono's routers all pass one `runTest`): the embedded hybrid index and Azure AI Search
 * through its stand-in. A search passes when it counts what it holds, replaces by id, returns
 * at most `top` hits (3 by default) in descending score order carrying the document's fields and
 * never its vector or hash, and finds a document by its own words and embedding. The lookups
 * seeding uses (`existingHashes`, `documentIds`, `remove`) are declared by the implementation
 * and then held to the contract too, so one that lacks them cannot pass by saying nothing.
 *
 * @module
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { hashEmbedding } from "../models/offline/embedding.ts";
import { contractSteps, type Opened } from "../_port_contract.ts";
import type { ProductSearch, SearchDocument, SearchFields } from "./types.ts";

/** An empty search under test and how to release what it holds. */
export interface OpenedProductSearch extends Opened {
  search: ProductSearch;
}

/** Options of {@link testProductSearchContract}. */
export interface ProductSearchContractOptions {
  /** Opens a new, empty search for vectors of `dimensions` floats; called once per case. */
  open(dimensions: number): Promise<OpenedProductSearch> | OpenedProductSearch;
  /** Whether it has `existingHashes`, `documentIds` and `remove` (checked either way). */
  seedingLookups: boolean;
}

const DIMENSIONS = 48;

const FIELDS: SearchFields[] = [
  {
    id: "41",
    kind: "product",
    productId: "41",
    title: "Glacier Line Insulated Bottle",
    content: "A double-walled steel bottle that keeps water cold for a full day on the trail.",
    url: "/products/glacier-line-insulated-bottle",
    category: "Hydration",
    brand: "Fjellwater",
  },
  {
    id: "41-manual-cleaning",
    kind: "manual",
    productId: "41",
    title: "Glacier Line Insulated Bottle: cleaning",
    content: "Rinse with warm soapy water; never put the vacuum lid in a dishwasher.",
    url: "/manuals/glacier-line-insulated-bottle#cleaning",
    category: "Hydration",
    brand: "Fjellwater",
  },
  {
    id: "58",
    kind: "product",
    productId: "58",
    title: "Emberfold Titanium Spork",
    content: "A folding titanium spork weighing 14 grams, with a bottle-opener tip.",
    url: "/products/emberfold-titanium-spork",
    category: "Cookware",
    brand: "Emberfold",
  },
  {
    id: "63",
    kind: "product",
    productId: "63",
    title: "Talus Approach Shoe",
    content: "A sticky-rubber approach shoe for scrambling granite and long hut-to-hut days.",
    url: "/products/talus-approach-shoe",
    category: "Footwear",
    brand: "Talus",
  },
];

const textOf = (f: SearchFields) => `${f.title}\n${f.content}`;
const documents = (): SearchDocument[] =>
  FIELDS.map((f) => ({ ...f, contentVector: hashEmbedding(textOf(f), DIMENSIONS) }));
const queryFor = (text: string) => ({ text, vector: hashEmbedding(text, DIMENSIONS) });
const FIELD_NAMES = [...Object.keys(FIELDS[0]), "score"].sort();

/**
 * Runs the product search contract as steps of the calling test.
 *
 * @example
 * ```ts ignore
 * Deno.test("createOramaProductSearch() keeps the ProductSearch contract", (t) =>
 *   testProductSearchContract(t, {
 *     open: (dimensions) => ({ search: createOramaProductSearch({ dimensions }) }),
 *     seedingLookups: false,
 *   }));
 * ```
 */
export async function testProductSearchContract(
  t: Deno.TestContext,
  options: ProductSearchContractOptions,
): Promise<void> {
  const steps = contractSteps(t, () => options.open(DIMENSIONS));
  const step = (name: string, fn: (search: ProductSearch) => Promise<void>) =>
    steps(name, (opened) => fn(opened.search));

  await step("an empty index counts 0 and finds nothing", async (search) => {
    ok(typeof search.backend === "string" && search.backend !== "");
    equal(await search.count(), 0);
    deepEqual(await search.search(queryFor("insulated bottle")), []);
  });

  await step("upsert() counts what it stored; again by id it replaces", async (search) => {
    equal(await search.upsert(documents()), FIELDS.length);
    equal(await search.count(), FIELDS.length);
    const renamed = { ...documents()[2], title: "Emberfold Titanium Spork (long handle)" };
    equal(await search.upsert([renamed]), 1);
    equal(await search.count(), FIELDS.length);
    const hits = await search.search(queryFor(textOf(renamed)), { top: 4 });
    equal(hits.find((h) => h.id === "58")?.title, renamed.title);
  });

  await step("a document is found by its own words and embedding, first", async (search) => {
    await search.upsert(documents());
    for (const fields of FIELDS) {
      const [first] = await search.search(queryFor(textOf(fields)), { top: 4 });
      equal(first?.id, fields.id, `query: ${fields.title}`);
      equal(first.kind, fields.kind);
      equal(first.productId, fields.productId);
    }
  });

  await step(
    "hits: at most top (3 by default), best first, fields without the vector",
    async (search) => {
      await search.upsert(documents().map((d) => ({ ...d, contentHash: `hash-${d.id}` })));
      const query = queryFor("bottle water trail");
      for (const [top, most] of [[undefined, 3], [1, 1], [2, 2], [10, FIELDS.length]] as const) {
        const hits = await search.search(query, top === undefined ? {} : { top });
        ok(hits.length > 0 && hits.length <= most, `top ${top}: ${hits.length} hits`);
        for (const hit of hits) {
          deepEqual(Object.keys(hit).sort(), FIELD_NAMES, `hit ${hit.id}`);
          ok(Number.isFinite(hit.score), `score of ${hit.id}`);
          const { score: _, ...fields } = hit;
          deepEqual(fields, FIELDS.find((f) => f.id === hit.id));
        }
        const scores = hits.map((h) => h.score);
        deepEqual(scores, [...scores].sort((a, b) => b - a), "descending score");
      }
    },
  );

  await step(
    options.seedingLookups
      ? "existingHashes(), documentIds() and remove() answer for what is stored"
      : "declares no seeding lookups, and has none",
    async (search) => {
      const methods = [search.existingHashes, search.documentIds, search.remove];
      deepEqual(
        methods.map((m) => typeof m === "function"),
        methods.map(() => options.seedingLookups),
      );
      if (!options.seedingLookups) return;
      const stored = documents().map((d, i) => i === 3 ? d : { ...d, contentHash: `hash-${d.id}` });
      await search.upsert(stored);
      const hashes = await search.existingHashes!(["41", "41-manual-cleaning", "63", "99"]);
      deepEqual(
        [...hashes].sort(),
        [["41", "hash-41"], ["41-manual-cleaning", "hash-41-manual-cleaning"]],
        "a document without a hash and an unknown id are absent",
      );
      deepEqual((await search.documentIds!(["41", "77"])).sort(), ["41", "41-manual-cleaning"]);
      equal(await search.remove!(["41-manual-cleaning", "58"]), 2);
      equal(await search.count(), FIELDS.length - 2);
      deepEqual(await search.documentIds!(["41", "58"]), ["41"]);
      const ids = (await search.search(queryFor("spork cleaning"), { top: 10 })).map((h) => h.id);
      ok(!ids.includes("58") && !ids.includes("41-manual-cleaning"), ids.join());
    },
  );
}
