/**
 * Seeding against Azure, at the HTTP boundary: `seedFromDirectory` with the real Azure AI Search
 * adapter (its `SearchClient` on a stateful stand-in) and the real Azure OpenAI embedding model
 * (its `fetch` on a stand-in that refuses requests over the documented limits, counted with the
 * real tokenizer). A large first seed embeds in requests within the limits and uploads in
 * batches of at most 1,000 documents; a second seed reads the content hashes back and sends no
 * embedding request and no upload; a changed manual sends only its own passages.
 *
 * @module
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { join } from "node:path";
import { AzureKeyCredential, SearchClient, SearchIndexClient } from "@azure/search-documents";
import {
  createAzureProductSearch,
  createEmbeddingModel,
  createMemoryCustomerStore,
  loadConfig,
  type SearchDocument,
  seedFromDirectory,
} from "../lib/mod.ts";
import { manualFileOf, manualTextOf, skuOf, writeTestCatalog } from "../lib/seed/_test_catalog.ts";
import { createEmbeddingsStandIn, createSearchStandIn } from "./_azure_seed_stand_ins.ts";

const ENDPOINT = "https://contoso-search.search.windows.net";
const INDEX = "contoso-products";
const DEPLOYMENT = "text-embedding-3-small";
const DIMENSIONS = 64;
const PRODUCTS = 600;

function azure() {
  const search = createSearchStandIn(INDEX);
  const embeddingsService = createEmbeddingsStandIn(DEPLOYMENT, DIMENSIONS);
  const credential = new AzureKeyCredential("admin-key");
  const sdk = { httpClient: search.httpClient, retryOptions: { maxRetries: 0 } };
  const products = createAzureProductSearch(
    new SearchClient<SearchDocument>(ENDPOINT, INDEX, credential, sdk),
    new SearchIndexClient(ENDPOINT, credential, sdk),
    { indexName: INDEX, dimensions: DIMENSIONS, semanticConfiguration: "default" },
  );
  const config = loadConfig({
    AZURE_OPENAI_ENDPOINT: "https://contoso-aoai.openai.azure.com",
    AZURE_OPENAI_API_KEY: "aoai-key",
    AZURE_OPENAI_CHAT_DEPLOYMENT: "gpt-4.1-mini",
    AZURE_OPENAI_EMBEDDING_DEPLOYMENT: DEPLOYMENT,
    AZURE_OPENAI_EMBEDDING_DIMENSIONS: String(DIMENSIONS),
  });
  const embeddings = createEmbeddingModel(config.embedding, {
    fetch: embeddingsService.fetch,
    maxRetries: 0,
  });
  return { search, embeddingsService, products, embeddings };
}

Deno.test("seedFromDirectory() against Azure: limit-sized requests, and a re-run sends nothing", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "contoso-azure-seed-" });
  try {
    await writeTestCatalog(dir, { products: PRODUCTS });
    const { search, embeddingsService, products, embeddings } = azure();
    const customers = createMemoryCustomerStore();
    await products.ensureIndex();
    const seed = () =>
      seedFromDirectory(dir, { customers, products, embeddings }, {
        // Large enough that one writer batch needs two uploads of at most 1,000.
        uploadBatchSize: 1500,
      });

    const first = await seed();
    const embedded = embeddingsService.calls;
    await t.step("the index definition has the contentHash field", () => {
      const fields = search.definition()!.fields as { name: string; type: string }[];
      const field = fields.find((f) => f.name === "contentHash") as Record<string, unknown>;
      deepEqual(
        [field?.type, field?.filterable, field?.searchable],
        ["Edm.String", true, false],
      );
    });

    await t.step("first seed: every document embedded once, within Azure's limits", () => {
      equal(first.products, PRODUCTS);
      ok(first.manualPassages >= PRODUCTS * 2, `${first.manualPassages} passages`);
      equal(first.embedded, first.documents);
      equal(embedded.refused.length, 0, embedded.refused.join("; "));
      equal(embedded.requests.reduce((a, b) => a + b, 0), first.documents);
      ok(embedded.tokens.every((n) => n <= 8192), `most tokens: ${Math.max(...embedded.tokens)}`);
      // Packed, not one text per request: at least half the token budget used on average.
      const mean = embedded.tokens.reduce((a, b) => a + b, 0) / embedded.tokens.length;
      ok(mean > 4096, `mean ${Math.round(mean)} tokens per request`);
      equal(first.embedRequests, embedded.requests.length);
    });

    await t.step("first seed: uploads of at most 1,000 documents, each with its hash", () => {
      equal(search.calls.refused, 0);
      ok(search.calls.uploads.every((n) => n <= 1000), search.calls.uploads.join(","));
      ok(search.calls.uploads.length >= 3, search.calls.uploads.join(","));
      equal(search.calls.uploads.reduce((a, b) => a + b, 0), first.documents);
      equal(search.documents.size, first.documents);
      for (const doc of search.documents.values()) {
        ok(/^[0-9a-f]{64}$/.test(String(doc.contentHash)), doc.id);
        equal((doc.contentVector as number[]).length, DIMENSIONS);
      }
    });

    const requestsAfterFirst = embedded.requests.length;
    const uploadsAfterFirst = search.calls.uploads.length;
    const second = await seed();
    await t.step("second seed: hashes read back in pages, zero embeddings, zero uploads", () => {
      equal(embedded.requests.length, requestsAfterFirst, "no embedding request");
      equal(search.calls.uploads.length, uploadsAfterFirst, "no upload");
      deepEqual(
        [second.embedded, second.embedRequests, second.uploadBatches, second.removed],
        [0, 0, 0, 0],
      );
      equal(search.calls.deleted, 0);
      // The catalog's documents listed 100 products at a time, to find passages gone stale.
      ok(search.calls.listings.every((n) => n <= 100));
      equal(search.calls.listings.reduce((a, b) => a + b, 0), 2 * PRODUCTS);
      equal(second.unchanged, first.documents);
      equal(second.documents, first.documents);
      ok(search.calls.lookups.every((n) => n <= 1000));
      ok(search.calls.lookups.length >= 2 * Math.ceil(first.documents / 1500));
    });

    await t.step("one manual edited: only its passages are embedded and uploaded", async () => {
      const i = 123;
      await Deno.writeTextFile(join(dir, "manuals", manualFileOf(i)), manualTextOf(i, 2));
      const before = embedded.texts.length;
      const third = await seed();
      const sent = embedded.texts.slice(before);
      equal(third.embedded, 1, "the care section is one passage");
      equal(sent.length, 1);
      ok(sent[0].includes("Edition 2"), sent[0]);
      deepEqual(search.calls.uploads.slice(uploadsAfterFirst), [1]);
      const care = [...search.documents.values()].find((d) =>
        d.productId === skuOf(i) && String(d.content).includes("Edition 2")
      );
      ok(care, "the index holds the new text");
      equal(third.removed, 0);
    });

    await t.step("a section taken out of a manual: its passage leaves the index", async () => {
      const i = 124;
      const file = join(dir, "manuals", manualFileOf(i));
      const before = [...search.documents.keys()].filter((id) => id.startsWith(`${skuOf(i)}-`));
      await Deno.writeTextFile(file, manualTextOf(i).replace(/## Setting up\n[^\n]*\n\n/, ""));
      const fourth = await seed();
      const after = [...search.documents.keys()].filter((id) => id.startsWith(`${skuOf(i)}-`));
      equal(fourth.removed, 1);
      equal(after.length, before.length - 1);
      ok(!after.some((id) => id.includes("setting-up")), after.join(", "));
      equal(search.documents.size, fourth.documents);
      const fifth = await seed();
      deepEqual([fifth.removed, fifth.embedded], [0, 0]);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
