import { deepEqual, equal, ok } from "node:assert/strict";
import type { SearchClient } from "@azure/search-documents";
import { hashEmbedding } from "../models/offline/embedding.ts";
import { createAzureSources } from "./azure_sources.ts";
import { embeddingText, manualDocuments, productDocument } from "./documents.ts";
import { createOramaProductSearch } from "./orama_product_search.ts";
import {
  createEmbeddedSources,
  fileNameIds,
  type SourceStore,
  withSourceBaseUrl,
} from "./sources.ts";
import type { SearchDocument, SearchFields } from "./types.ts";

const DIMS = 32;

const lantern = {
  id: "L-40",
  name: "Glowtrail Camp Lantern",
  price: 39.5,
  category: "Lighting",
  brand: "Firefly Works",
  description: "A rechargeable lantern with three brightness levels.",
};
const stove = {
  id: "9",
  name: "Pinecone Backpacking Stove",
  price: 54,
  category: "Stoves",
  brand: "Emberline",
  description: "A folding canister stove.",
};

// A manual named by its id, and one whose file name does not start with its product's id.
const LANTERN_MANUAL = `# Glowtrail Camp Lantern — User Guide

Thanks for picking the Glowtrail. It lights a four-person tent for a whole night on the low
setting and charges from any USB port in about four hours from empty.

## Charging

Plug the lantern into a USB port with the supplied cable. The ring glows amber while it
charges and turns green when the battery is full; a full charge takes about four hours.

## Warranty

Firefly Works repairs or replaces a lantern that fails within two years of purchase when it was
used as this guide describes. Keep the receipt and contact the shop you bought it from.
`;
const STOVE_MANUAL = `---
product_id: 9
---
# Pinecone stove manual

## Lighting the stove

Screw the stove onto a canister, open the valve a quarter turn and light it with a match held to
the side of the burner. Never light it inside a tent or a closed vestibule, whatever the weather.
`;

function documents(): SearchDocument[] {
  const unembedded = [
    productDocument(lantern),
    productDocument(stove),
    ...manualDocuments(
      { productId: "L-40", file: "L-40-lantern.md", markdown: LANTERN_MANUAL },
      lantern,
    ),
    ...manualDocuments(
      { productId: "9", file: "pinecone stove.md", markdown: STOVE_MANUAL },
      stove,
    ),
  ];
  return unembedded.map((d) => ({ ...d, contentVector: hashEmbedding(embeddingText(d), DIMS) }));
}

/**
 * A stand-in for the Azure search client at its port: `getDocument` by key, and `search("*")`
 * or a title search with the OData filters the adapter sends (`kind eq`, `search.in(productId)`).
 */
function fakeSearchClient(docs: SearchDocument[], calls: string[]): SearchClient<SearchDocument> {
  const matches = (doc: SearchDocument, filter = "") => {
    const kind = /kind eq '([^']+)'/.exec(filter)?.[1];
    const inList = /search\.in\(productId, '((?:[^']|'')*)', '\|'\)/.exec(filter)?.[1];
    const one = /productId eq '((?:[^']|'')*)'/.exec(filter)?.[1];
    return (!kind || doc.kind === kind) &&
      (one === undefined || one.replaceAll("''", "'") === doc.productId) &&
      (inList === undefined || inList.replaceAll("''", "'").split("|").includes(doc.productId));
  };
  return {
    getDocument(key: string) {
      calls.push(`get ${key}`);
      const doc = docs.find((d) => d.id === key);
      if (!doc) return Promise.reject(Object.assign(new Error("Not Found"), { statusCode: 404 }));
      return Promise.resolve(doc);
    },
    search(text: string, options: { filter?: string; searchFields?: string[]; top?: number }) {
      calls.push(`search ${text} | ${options.filter ?? ""}`);
      const words = text === "*" ? [] : text.toLowerCase().split(/\s+/);
      const found = docs.filter((d) => matches(d, options.filter)).filter((d) =>
        words.length === 0 || words.some((w) => d.title.toLowerCase().includes(w))
      ).slice(0, options.top ?? 50);
      return Promise.resolve({
        results: (async function* () {
          for (const document of found) yield { document, score: 1 };
        })(),
      });
    },
  } as unknown as SearchClient<SearchDocument>;
}

async function contract(t: Deno.TestContext, sources: SourceStore) {
  await t.step(`${sources.backend}: a product by id`, async () => {
    const product = await sources.product("L-40");
    equal(product?.title, "Glowtrail Camp Lantern");
    equal(product?.url, "/products/L-40");
    equal(await sources.product("missing"), undefined);
    // A passage id is not a product.
    equal(await sources.product("L-40-manual-warranty"), undefined);
  });
  await t.step(`${sources.backend}: a manual's passages by file name`, async () => {
    const passages = await sources.manual("L-40-lantern.md");
    deepEqual(passages.map((p) => p.url).sort(), [
      "/manuals/L-40-lantern.md#charging",
      "/manuals/L-40-lantern.md#overview",
      "/manuals/L-40-lantern.md#warranty",
    ]);
    ok(passages.every((p) => p.kind === "manual" && p.productId === "L-40"));
  });
  await t.step(`${sources.backend}: a manual whose file name is not its product's id`, async () => {
    const passages = await sources.manual("pinecone stove.md");
    equal(passages.length, 1);
    equal(passages[0].url, "/manuals/pinecone%20stove.md#lighting-the-stove");
    deepEqual(await sources.manual("L-40.md"), []);
    deepEqual(await sources.manual("nothing-here.md"), []);
  });
  await t.step(`${sources.backend}: the manuals of a product`, async () => {
    deepEqual(await sources.manualsOf?.("L-40"), ["/manuals/L-40-lantern.md"]);
    deepEqual(await sources.manualsOf?.("9"), ["/manuals/pinecone%20stove.md"]);
    deepEqual(await sources.manualsOf?.("missing"), []);
  });
}

Deno.test("SourceStore adapters read products and manuals back by id", async (t) => {
  const search = createOramaProductSearch({ dimensions: DIMS });
  await search.upsert(documents());
  await contract(t, createEmbeddedSources(search.index));
  const calls: string[] = [];
  await contract(t, createAzureSources(fakeSearchClient(documents(), calls)));
  await t.step("azure-search: the file name's leading id is tried before a title search", () => {
    ok(
      calls.some((c) => c.includes("search.in(productId, 'L-40-lantern|L-40|L'")),
      calls.join("\n"),
    );
    ok(calls.some((c) => c.startsWith("search pinecone stove |")), calls.join("\n"));
  });
});

Deno.test("createEmbeddedSources() sees documents added after its first read", async () => {
  const search = createOramaProductSearch({ dimensions: DIMS });
  const sources = createEmbeddedSources(search.index);
  equal(await sources.product("9"), undefined);
  await search.upsert(documents());
  equal((await sources.product("9"))?.title, "Pinecone Backpacking Stove");
});

Deno.test("fileNameIds() lists the ids a file name can lead with, longest first", () => {
  deepEqual(fileNameIds("B-202-stove.md"), ["B-202-stove", "B-202", "B"]);
  deepEqual(fileNameIds("7.md"), ["7"]);
  deepEqual(fileNameIds("tent_care guide.markdown"), ["tent_care guide", "tent_care", "tent"]);
});

Deno.test("withSourceBaseUrl() makes hit urls absolute against a storefront", async (t) => {
  const hit: SearchFields = {
    id: "L-40-manual-warranty",
    kind: "manual",
    productId: "L-40",
    title: "t",
    content: "c",
    url: "/manuals/L-40-lantern.md#warranty",
    category: "",
    brand: "",
  };
  const store = {
    backend: "fake",
    search: () => Promise.resolve([{ ...hit, score: 1 }]),
    upsert: () => Promise.resolve(0),
    count: () => Promise.resolve(7),
  };
  const query = { text: "warranty", vector: [] };
  await t.step("a base with a path keeps it", async () => {
    const [h] = await withSourceBaseUrl(store, "https://shop.example/outdoor/").search(query);
    equal(h.url, "https://shop.example/outdoor/manuals/L-40-lantern.md#warranty");
  });
  await t.step("a bare origin", async () => {
    const [h] = await withSourceBaseUrl(store, "http://localhost:3000").search(query);
    equal(h.url, "http://localhost:3000/manuals/L-40-lantern.md#warranty");
  });
  await t.step("no base: the store itself; other methods still reach the store", async () => {
    equal(withSourceBaseUrl(store, undefined), store);
    equal(await withSourceBaseUrl(store, "https://shop.example/").count(), 7);
  });
});
