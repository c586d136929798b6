import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { UpstreamError } from "../errors.ts";
import type { EmbeddingModel } from "../models/types.ts";
import type { UnembeddedDocument } from "../products/documents.ts";
import type { ProductSearch, SearchDocument } from "../products/types.ts";
import { createIndexWriter, documentHash, embeddingKeyOf } from "./index_writer.ts";

/** A store that keeps documents by id and, unless told otherwise, reads their hashes back. */
function memoryStore(o: { hashes?: boolean } = {}) {
  const docs = new Map<string, SearchDocument>();
  const upserts: number[] = [];
  const lookups: number[] = [];
  const store: ProductSearch = {
    backend: "memory",
    search: () => Promise.resolve([]),
    upsert(batch) {
      upserts.push(batch.length);
      for (const d of batch) docs.set(d.id, d);
      return Promise.resolve(batch.length);
    },
    count: () => Promise.resolve(docs.size),
    ...(o.hashes === false ? {} : {
      existingHashes(ids: string[]) {
        lookups.push(ids.length);
        const found = new Map<string, string>();
        for (const id of ids) {
          const hash = docs.get(id)?.contentHash;
          if (hash) found.set(id, hash);
        }
        return Promise.resolve(found);
      },
    }),
  };
  return { store, docs, upserts, lookups };
}

/** An embedding model that records each request; `refuseOver` fails larger ones with a 400. */
function recordingModel(
  o: { name?: string; backend?: string; refuseOver?: number; refusal?: string } = {},
) {
  const requests: string[][] = [];
  const model: EmbeddingModel = {
    name: o.name ?? "emb",
    backend: o.backend ?? "offline",
    dimensions: 2,
    embed(texts) {
      requests.push(texts);
      if (o.refuseOver !== undefined && texts.length > o.refuseOver) {
        return Promise.reject(
          new UpstreamError("The embedding-model returned HTTP 400", {
            service: "embedding-model",
            status: 400,
            isRetryable: false,
            cause: new Error(
              o.refusal ??
                "400 This model's maximum context length is 8192 tokens, however you requested 9120 tokens",
            ),
          }),
        );
      }
      return Promise.resolve(texts.map((t) => [t.length, 1]));
    },
  };
  return { model, requests };
}

const doc = (id: string, content = `About ${id}.`): UnembeddedDocument => ({
  id,
  kind: "manual",
  productId: id.split("-")[0],
  title: `Product ${id}`,
  content,
  url: `/manuals/${id}.md`,
  category: "Tents",
  brand: "Acme",
});

const docs = (n: number) => Array.from({ length: n }, (_, i) => doc(`p${i}-manual-care`));

async function write(
  store: ProductSearch,
  model: EmbeddingModel,
  items: UnembeddedDocument[],
  options: Parameters<typeof createIndexWriter>[2] = {},
) {
  const writer = createIndexWriter(store, model, options);
  // Fed in small arrays, as a manual at a time would be.
  for (let i = 0; i < items.length; i += 7) await writer.add(items.slice(i, i + 7));
  await writer.flush();
  return writer.stats;
}

Deno.test("createIndexWriter() embeds and uploads in bounded batches", async (t) => {
  await t.step(
    "uploads never exceed uploadBatchSize; requests never exceed maxInputs",
    async () => {
      const { store, docs: stored, upserts } = memoryStore({ hashes: false });
      const { model, requests } = recordingModel();
      const stats = await write(store, model, docs(1000), {
        uploadBatchSize: 300,
        limits: { maxInputs: 128 },
      });
      deepEqual(upserts, [300, 300, 300, 100]);
      ok(requests.every((r) => r.length <= 128));
      equal(requests.flat().length, 1000);
      equal(stored.size, 1000);
      deepEqual(
        { ...stats },
        {
          documents: 1000,
          unchanged: 0,
          embedded: 1000,
          written: 1000,
          embedRequests: requests.length,
          uploadBatches: 4,
        },
      );
      equal(
        stored.get("p0-manual-care")!.contentHash,
        undefined,
        "no hashes for a store without them",
      );
    },
  );

  await t.step("embedding requests follow the Azure token limit", async () => {
    const { store } = memoryStore();
    const { model, requests } = recordingModel({ backend: "azure-openai" });
    // About 900 estimated tokens each: nine fit in 8,192.
    const long = Array.from({ length: 40 }, (_, i) => doc(`p${i}-manual-x`, "pack ".repeat(700)));
    await write(store, model, long);
    ok(requests.length >= 5, `${requests.length} requests`);
    ok(requests.every((r) => r.length <= 9), requests.map((r) => r.length).join(","));
  });

  await t.step("a text over the per-input limit is cut, not refused", async () => {
    const { store } = memoryStore();
    const { model, requests } = recordingModel({ backend: "azure-openai" });
    await write(store, model, [doc("p1-manual-huge", "waterproof ".repeat(20_000))]);
    equal(requests.length, 1);
    ok(requests[0][0].length < 20_000 * 11 && requests[0][0].length > 25_000);
  });
});

Deno.test("createIndexWriter() skips documents whose content hash is unchanged", async (t) => {
  const { store, docs: stored, upserts } = memoryStore();
  const { model, requests } = recordingModel();
  const all = docs(1200);
  const first = await write(store, model, all);
  equal(first.embedded, 1200);
  const requestsAfterFirst = requests.length;
  const upsertsAfterFirst = upserts.length;

  await t.step("the stored documents carry their hash", () => {
    const d = stored.get("p5-manual-care")!;
    equal(d.contentHash, documentHash(all[5], embeddingKeyOf(model)));
  });

  await t.step("a second run embeds and uploads nothing", async () => {
    const second = await write(store, model, all);
    deepEqual([second.embedded, second.written, second.unchanged], [0, 0, 1200]);
    deepEqual([second.embedRequests, second.uploadBatches], [0, 0]);
    equal(requests.length, requestsAfterFirst);
    equal(upserts.length, upsertsAfterFirst);
  });

  await t.step("a changed text, url or category: only that document again", async () => {
    const changed = all.map((d, i) =>
      i === 3
        ? { ...d, content: d.content + " Now with a footprint." }
        : i === 700
        ? { ...d, url: "/manuals/moved.md" }
        : i === 1100
        ? { ...d, category: "Shelters" }
        : d
    );
    const before = requests.length;
    const third = await write(store, model, changed);
    deepEqual([third.embedded, third.unchanged], [3, 1197]);
    deepEqual(requests.slice(before).flat().length, 3);
    equal(stored.get("p700-manual-care")!.url, "/manuals/moved.md");
  });

  await t.step("another embedding model: everything again", async () => {
    const other = recordingModel({ name: "emb-v2" });
    const fourth = await write(store, other.model, all);
    equal(fourth.embedded, 1200);
    const fifth = await write(store, other.model, all);
    equal(fifth.embedded, 0);
  });

  await t.step("skipUnchanged: false embeds everything even so", async () => {
    const forced = await write(store, model, all, { skipUnchanged: false });
    equal(forced.embedded, 1200);
  });
});

Deno.test("createIndexWriter() splits a request the service refuses as too large", async (t) => {
  await t.step("a 400 on 64 inputs: halves until it fits, in order", async () => {
    const { store, docs: stored } = memoryStore();
    const { model, requests } = recordingModel({ refuseOver: 20 });
    const stats = await write(store, model, docs(64), { limits: { maxInputs: 64 } });
    equal(stats.embedded, 64);
    deepEqual(requests.map((r) => r.length), [64, 32, 16, 16, 32, 16, 16]);
    const d = stored.get("p10-manual-care")!;
    deepEqual(d.contentVector, [`Product p10-manual-care\nAbout p10-manual-care.`.length, 1]);
  });
  await t.step("a 400 that is not about size (a wrong deployment) is not split", async () => {
    const { store } = memoryStore();
    const { model, requests } = recordingModel({
      refuseOver: 0,
      refusal: "400 The API deployment for this resource does not exist",
    });
    await rejects(write(store, model, docs(64)), (e: Error) => e instanceof UpstreamError);
    equal(requests.length, 1);
  });
  await t.step("a single input refused: the error surfaces", async () => {
    const { store } = memoryStore();
    const { model } = recordingModel({ refuseOver: 0 });
    await rejects(write(store, model, docs(3)), (e: Error) => e instanceof UpstreamError);
  });
});

Deno.test("createIndexWriter() keeps the later of two documents with one id", async () => {
  const { store, docs: stored } = memoryStore();
  const { model } = recordingModel();
  const stats = await write(store, model, [doc("a", "first"), doc("b"), doc("a", "second")]);
  equal(stats.documents, 2);
  ok(stored.get("a")!.content === "second");
});

Deno.test("documentHash() depends on the fields and the embedding key, not the key order", () => {
  const a = doc("p1-manual-care");
  const reordered = Object.fromEntries(Object.entries(a).reverse()) as UnembeddedDocument;
  equal(documentHash(a, "k"), documentHash(reordered, "k"));
  ok(documentHash(a, "k") !== documentHash({ ...a, brand: "Other" }, "k"));
  ok(documentHash(a, "k") !== documentHash(a, "k2"));
  ok(/^[0-9a-f]{64}$/.test(documentHash(a, "k")));
});
