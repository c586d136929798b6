import { deepEqual, equal, notEqual, ok } from "node:assert/strict";
import { join } from "node:path";
import { hashEmbedding } from "../models/offline/embedding.ts";
import type { CustomerStore } from "../customers/types.ts";
import type { EmbeddingModel } from "../models/types.ts";
import { seedFromDirectory } from "../seed/seed_directory.ts";
import {
  embeddingIdentity,
  type IndexCache,
  openIndexCache,
  readWholeFile,
  reuseEmbeddings,
} from "./index_cache.ts";
import { encodeIndexFile } from "./index_file.ts";
import { createIndexTokenizer, createOramaProductSearch } from "./orama_product_search.ts";

const CSV = `id,name,price,category,brand,description
h-10,Larchwood Camp Hammock,79.00,Hammocks,Birchline,"A nylon hammock for one, with tree straps and a stuff sack."
h-11,Larchwood Bug Net,35.00,Hammocks,Birchline,"A zip-on mosquito net that fits every Larchwood hammock."
s-20,Copperpot Solo Cook Set,49.00,Cookware,Kettlerun,"A 750 ml anodised pot with a lid that doubles as a pan."
`;

const manual = (name: string, care: string) =>
  `# ${name}

## Setting Up

Pick two healthy trees about four to five metres apart and wrap a strap around each trunk at head
height. Clip the ends on, sit in the middle first, then lie back at a slight diagonal.

## Care

${care} Let it dry completely in the shade before it goes back into its sack for the winter.

## Warranty

Birchline repairs or replaces seams and buckles that fail in normal use for three years from the
date of purchase; keep the receipt and describe the fault when you write to the service desk.
`;

const COOK = `# Copperpot Solo Cook Set

## First Use

Wash the pot and lid in warm soapy water and dry them. Boil a pot of water once before cooking so
the anodised surface settles; a faint metallic smell on the first boil is normal and goes away.

## Cooking

Keep the flame under the base of the pot: flames licking up the sides scorch the handles. Stir
thick food often, the thin walls heat quickly, and never heat the pot empty on a stove.
`;

async function writeFolder(dir: string, hammockCare: string) {
  await Deno.mkdir(join(dir, "manuals"), { recursive: true });
  await Deno.mkdir(join(dir, "customers"), { recursive: true });
  await Deno.writeTextFile(join(dir, "products.csv"), CSV);
  await Deno.writeTextFile(
    join(dir, "manuals", "h-10-hammock.md"),
    manual("Larchwood Camp Hammock", hammockCare),
  );
  await Deno.writeTextFile(
    join(dir, "manuals", "h-11-bug-net.md"),
    manual("Larchwood Bug Net", "Shake the net out and rinse it with a garden hose."),
  );
  await Deno.writeTextFile(join(dir, "manuals", "s-20-cook-set.md"), COOK);
}

/** An embedding model that counts every text it is asked to embed. */
function countingModel(dimensions: number, name = "counting-embedding") {
  const texts: string[] = [];
  const model: EmbeddingModel = {
    name,
    backend: "offline",
    dimensions,
    embed: (batch) => {
      texts.push(...batch);
      return Promise.resolve(batch.map((t) => hashEmbedding(t, dimensions)));
    },
  };
  return { model, texts };
}

const noCustomers = {
  upsert: () => Promise.resolve(0),
  get: () => Promise.reject(),
  count: () => Promise.resolve(0),
};

/** What createRuntime does: load the index on a hit, else seed (reusing vectors) and save. */
async function startUp(
  dataDir: string,
  cacheDir: string,
  model: EmbeddingModel,
  warn = (_: string) => {},
) {
  const cache: IndexCache = await openIndexCache({
    dir: cacheDir,
    dataDir,
    identity: { backend: model.backend, model: model.name, dimensions: model.dimensions },
    tokenize: createIndexTokenizer(),
    minDocuments: 0,
    warn,
  });
  const search = createOramaProductSearch({
    dimensions: model.dimensions,
    index: cache.hit?.index,
  });
  if (!cache.hit) {
    const embeddings = reuseEmbeddings(model, cache.reuse);
    const report = await seedFromDirectory(dataDir, {
      customers: noCustomers as unknown as CustomerStore,
      products: search,
      embeddings,
    });
    await cache.save(search.index, {
      counts: {
        products: report.products,
        manualPassages: report.manualPassages,
        documents: report.documents,
      },
      problems: report.problems,
    });
    return { cache, search, stats: embeddings.stats };
  }
  return { cache, search, stats: { reused: cache.hit.index.size, embedded: 0 } };
}

async function top(
  search: ReturnType<typeof createOramaProductSearch>,
  dims: number,
  text: string,
) {
  return (await search.search({ text, vector: hashEmbedding(text, dims) }, { top: 3 })).map((h) =>
    h.id
  );
}

Deno.test("openIndexCache() persists the index and reuses embeddings per document", async (t) => {
  const root = await Deno.makeTempDir({ prefix: "index-cache-test-" });
  const dataDir = join(root, "data");
  const cacheDir = join(root, "cache");
  await writeFolder(dataDir, "Wash the hammock by hand in lukewarm water with a mild soap.");
  try {
    const { model, texts } = countingModel(32);
    let documents = 0;
    let coldTop: string[] = [];

    await t.step("a cold start embeds every document and writes one file", async () => {
      const cold = await startUp(dataDir, cacheDir, model);
      documents = cold.search.index.size;
      ok(documents >= 6, `${documents} documents`);
      equal(texts.length, documents);
      equal(cold.stats.reused, 0);
      const files = [...Deno.readDirSync(cacheDir)].map((e) => e.name).sort();
      const index = cold.cache.file.split("/").pop()!;
      const manifest = `${index.split("-")[0]}.files.json`;
      deepEqual(files, [manifest, index].sort(), "no temporary file is left behind");
      coldTop = await top(cold.search, 32, "how do I wash the hammock");
    });

    await t.step("a warm start loads it and embeds nothing", async () => {
      texts.length = 0;
      const warm = await startUp(dataDir, cacheDir, model);
      ok(warm.cache.hit);
      equal(texts.length, 0);
      equal(warm.search.index.size, documents);
      deepEqual(warm.cache.hit.meta.counts, {
        products: 3,
        manualPassages: documents - 3,
        documents,
      });
      deepEqual(await top(warm.search, 32, "how do I wash the hammock"), coldTop);
    });

    await t.step("changing one section of one manual embeds that passage alone", async () => {
      await Deno.writeTextFile(
        join(dataDir, "manuals", "h-10-hammock.md"),
        manual(
          "Larchwood Camp Hammock",
          "Machine wash the hammock cold on a gentle cycle, inside a pillowcase.",
        ),
      );
      texts.length = 0;
      const changed = await startUp(dataDir, cacheDir, model);
      equal(changed.cache.hit, undefined);
      deepEqual(texts.length, 1, texts.join("\n---\n"));
      ok(texts[0].includes("Machine wash"));
      equal(changed.stats.reused, documents - 1);
      equal((await top(changed.search, 32, "machine wash gentle cycle"))[0], "h-10-manual-care");
    });

    await t.step("another embedding model rebuilds everything, in its own file", async () => {
      const other = countingModel(48);
      const rebuilt = await startUp(dataDir, cacheDir, other.model);
      equal(rebuilt.cache.hit, undefined);
      equal(other.texts.length, documents);
      equal(rebuilt.stats.reused, 0);
      const names = [...Deno.readDirSync(cacheDir)].map((e) => e.name);
      equal(names.filter((n) => n.endsWith(".index")).length, 2);
      equal(names.length, 3, "one manifest for the data folder, whatever the model");
    });

    await t.step("a corrupt file is rebuilt with a warning", async () => {
      const { cache } = await startUp(dataDir, cacheDir, model);
      ok(cache.hit);
      const bytes = await Deno.readFile(cache.file);
      await Deno.writeFile(cache.file, bytes.subarray(0, bytes.length - 100));
      const warnings: string[] = [];
      texts.length = 0;
      const again = await startUp(dataDir, cacheDir, model, (m) => warnings.push(m));
      equal(again.cache.hit, undefined);
      equal(warnings.length, 1);
      ok(warnings[0].startsWith(`Index cache "${cache.file}" is unreadable`), warnings[0]);
      equal(texts.length, documents, "nothing is reused from a file that cannot be read");
      ok((await startUp(dataDir, cacheDir, model)).cache.hit, "the rebuilt file loads");
    });

    await t.step("a file of another format version is rebuilt", async () => {
      const { cache } = await startUp(dataDir, cacheDir, model);
      const bytes = await Deno.readFile(cache.file);
      new DataView(bytes.buffer).setUint32(4, 999, true);
      await Deno.writeFile(cache.file, bytes);
      const warnings: string[] = [];
      const again = await startUp(dataDir, cacheDir, model, (m) => warnings.push(m));
      equal(again.cache.hit, undefined);
      ok(warnings[0].includes("format version 999"), warnings[0]);
    });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("openIndexCache() writes nothing below minDocuments", async () => {
  const root = await Deno.makeTempDir({ prefix: "index-cache-test-" });
  try {
    await writeFolder(join(root, "data"), "Rinse it.");
    const cache = await openIndexCache({
      dir: join(root, "cache"),
      dataDir: join(root, "data"),
      identity: { backend: "offline" },
      tokenize: createIndexTokenizer(),
    });
    const search = createOramaProductSearch({ dimensions: 4 });
    await search.upsert([{
      id: "1",
      kind: "product",
      productId: "1",
      title: "T",
      content: "C",
      url: "/products/1",
      category: "X",
      brand: "Y",
      contentVector: [1, 0, 0, 0],
    }]);
    equal(
      await cache.save(search.index, {
        counts: { products: 1, manualPassages: 0, documents: 1 },
        problems: [],
      }),
      false,
    );
    equal(await Deno.stat(join(root, "cache")).catch(() => undefined), undefined);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("embeddingIdentity() keys by what changes vectors, never by secrets", () => {
  const azure = embeddingIdentity({
    backend: "azure-openai",
    endpoint: "https://contoso.openai.azure.com",
    deployment: "text-embedding-3-small",
    apiVersion: "2024-10-21",
    apiKey: "secret",
    dimensions: 1536,
  });
  ok(!JSON.stringify(azure).includes("secret"));
  equal(azure.deployment, "text-embedding-3-small");
  const offline = (latencyMs: number, dimensions: number) =>
    embeddingIdentity({
      backend: "offline",
      model: "contoso-offline-embedding",
      latencyMs,
      dimensions,
    });
  deepEqual(offline(0, 256), offline(50, 256), "simulated latency does not change vectors");
  notEqual(JSON.stringify(offline(0, 256)), JSON.stringify(offline(0, 128)));
});

Deno.test("encodeIndexFile() output is refused when truncated anywhere", async () => {
  const { decodeIndexFile } = await import("./index_file.ts");
  const search = createOramaProductSearch({ dimensions: 2 });
  await search.upsert([{
    id: "a",
    kind: "product",
    productId: "a",
    title: "Alpha",
    content: "First",
    url: "/products/a",
    category: "C",
    brand: "B",
    contentVector: [0.5, 0.5],
  }]);
  const bytes = encodeIndexFile(search.index.data(), { hello: "world" });
  deepEqual(decodeIndexFile(bytes).meta, { hello: "world" });
  for (const cut of [0, 8, 20, bytes.length - 8, bytes.length - 1]) {
    let refused = false;
    try {
      decodeIndexFile(bytes.slice(0, cut));
    } catch (error) {
      refused = error instanceof SyntaxError;
    }
    ok(refused, `cut at ${cut}`);
  }
});

Deno.test("decodeIndexFile() gives back the postings and magnitudes, which rank as rebuilt ones", async () => {
  const { decodeIndexFile } = await import("./index_file.ts");
  const { HybridIndex } = await import("./hybrid_index.ts");
  const dims = 24;
  const embed = (texts: string[]) => Promise.resolve(texts.map((t) => hashEmbedding(t, dims)));
  const built = createOramaProductSearch({ dimensions: dims });
  await seedFromDirectory(new URL("../seed/testdata/paddle_catalog", import.meta.url).pathname, {
    customers: noCustomers as unknown as CustomerStore,
    products: built,
    embeddings: { name: "h", backend: "offline", dimensions: dims, embed },
  });
  const { data } = decodeIndexFile(encodeIndexFile(built.index.data(), {}));
  ok(data.postings && data.postings.length === 4, "postings of the four text fields");
  equal(data.magnitudes?.length, built.index.size);
  const tokenize = createIndexTokenizer();
  const loaded = createOramaProductSearch({
    dimensions: dims,
    index: new HybridIndex(dims, tokenize, data),
  });
  const rebuilt = createOramaProductSearch({
    dimensions: dims,
    index: new HybridIndex(dims, tokenize, { ...data, postings: undefined, magnitudes: undefined }),
  });
  const questions = [
    "how do I put the paddle together",
    "which dry bag keeps a phone safe",
    "can I wash the spray skirt in a machine",
    "warranty",
  ];
  for (const text of questions) {
    const query = { text, vector: hashEmbedding(text, dims) };
    const a = await loaded.search(query, { top: 5 });
    ok(a.length > 0, text);
    deepEqual(a, await rebuilt.search(query, { top: 5 }), text);
    deepEqual(a, await built.search(query, { top: 5 }), text);
  }
});

Deno.test("readWholeFile() reads the same bytes as Deno.readFile", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "read-whole-" });
  try {
    // Empty, one byte, and larger than one read of the runtime (several MB, odd length).
    const sizes = [0, 1, 5 * 1024 * 1024 + 3];
    for (const size of sizes) {
      await t.step(`${size} bytes`, async () => {
        const path = join(dir, `f${size}.bin`);
        const bytes = new Uint8Array(size);
        for (let i = 0; i < size; i++) bytes[i] = (i * 131 + 7) & 0xff;
        await Deno.writeFile(path, bytes);
        const got = await readWholeFile(path);
        equal(got.length, size);
        deepEqual(got, await Deno.readFile(path));
      });
    }
    await t.step("a missing file is NotFound, as with Deno.readFile", async () => {
      let caught: unknown;
      await readWholeFile(join(dir, "missing.index")).catch((e) => (caught = e));
      ok(caught instanceof Deno.errors.NotFound);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
