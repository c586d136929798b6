import { deepEqual, equal, ok } from "node:assert/strict";
import { join } from "node:path";
import { loadConfig } from "../config/load.ts";
import type { EmbeddingModel } from "../models/types.ts";
import { hashEmbedding } from "../models/offline/embedding.ts";
import type { DataProblem } from "../seed/load_data.ts";
import { startFakeOpenAIServer } from "../models/_fake_openai_server.ts";
import { seedEmbedded, usesExactVectors } from "./embedded_seed.ts";
import { createRuntime, resolveProjectPath } from "./mod.ts";

async function copyDir(from: string, to: string) {
  await Deno.mkdir(to, { recursive: true });
  for await (const e of Deno.readDir(from)) {
    if (e.isDirectory) await copyDir(join(from, e.name), join(to, e.name));
    else if (e.isFile) await Deno.copyFile(join(from, e.name), join(to, e.name));
  }
}

Deno.test("createRuntime() persists the embedded index and loads it on the next start", async (t) => {
  const root = await Deno.makeTempDir({ prefix: "runtime-index-cache-" });
  const dataDir = join(root, "data");
  const cacheDir = join(root, "cache");
  await copyDir(resolveProjectPath("data"), dataDir);
  // A manual no product claims: a problem found only while reading manuals.
  await Deno.writeTextFile(
    join(dataDir, "manuals", "zz-weather-radio.md"),
    "# Stormwatch Weather Radio\n\n## Charging\n\nTurn the crank for one minute to get an hour of listening.\n",
  );
  // A customer file that cannot be parsed: a problem of the customers, read at every start.
  const brokenCustomer = join(dataDir, "customers", "zz-broken.json");
  await Deno.writeTextFile(brokenCustomer, '{ "id": "zz-1", "firstName": ');
  const env = { CONTOSO_DATA_DIR: dataDir, CONTOSO_INDEX_CACHE_DIR: cacheDir };
  const start = async (minDocuments?: number) => {
    const problems: DataProblem[] = [];
    const runtime = await createRuntime(loadConfig(env), {
      onDataProblem: (p) => problems.push(p),
      indexCacheMinDocuments: minDocuments,
    });
    try {
      const question = "How do I clean the tent fly?";
      const reply = await runtime.pipeline.getResponse({ customerId: "1", question });
      return {
        problems,
        seeded: runtime.seeded,
        cache: runtime.indexCache,
        context: reply.context.map((c) => c.id),
      };
    } finally {
      await runtime.close();
    }
  };
  try {
    let cold: Awaited<ReturnType<typeof start>>;
    await t.step(
      "the shipped catalog is below the size worth caching: nothing is written",
      async () => {
        const small = await start();
        equal(small.cache?.status, "not-written");
        equal(await Deno.stat(cacheDir).catch(() => undefined), undefined);
      },
    );
    await t.step("a cold start builds and writes the index", async () => {
      cold = await start(0);
      equal(cold.cache?.status, "built");
      equal(cold.cache?.reused, 0);
      equal(cold.cache?.embedded, cold.seeded?.documents);
      ok(cold.problems.some((p) => p.file.includes("zz-weather-radio.md")));
      ok(cold.context.length > 0);
    });
    await t.step(
      "a warm start loads it: same counts, problems and answers, nothing embedded",
      async () => {
        const warm = await start(0);
        equal(warm.cache?.status, "loaded");
        equal(warm.cache?.embedded, 0);
        deepEqual(warm.seeded, cold.seeded);
        deepEqual(
          warm.problems.map((p) => JSON.stringify(p)).sort(),
          cold.problems.map((p) => JSON.stringify(p)).sort(),
        );
        deepEqual(warm.context, cold.context);
      },
    );
    await t.step("a cache folder that cannot be written only warns", async () => {
      const blocked = join(root, "not-a-folder");
      await Deno.writeTextFile(blocked, "a file where the cache folder should be");
      const warnings: string[] = [];
      const runtime = await createRuntime(
        loadConfig({ ...env, CONTOSO_INDEX_CACHE_DIR: blocked }),
        { onWarning: (m) => warnings.push(m), indexCacheMinDocuments: 0 },
      );
      try {
        equal(runtime.indexCache?.status, "not-written");
        deepEqual(runtime.seeded, cold.seeded);
        ok(warnings.some((w) => w.startsWith("Cannot write the index cache")), warnings.join("\n"));
      } finally {
        await runtime.close();
      }
    });
    await t.step("another embedding dimension is another index, built from scratch", async () => {
      const problems: DataProblem[] = [];
      const runtime = await createRuntime(
        loadConfig({ ...env, OFFLINE_EMBEDDING_DIMENSIONS: "128" }),
        { onDataProblem: (p) => problems.push(p), indexCacheMinDocuments: 0 },
      );
      try {
        equal(runtime.indexCache?.status, "built");
        equal(runtime.indexCache?.reused, 0);
        equal(runtime.embeddingModel.dimensions, 128);
      } finally {
        await runtime.close();
      }
      const names = [...Deno.readDirSync(cacheDir)].map((e) => e.name);
      equal(names.filter((n) => n.endsWith(".index")).length, 2);
    });
    await t.step(
      "a warm start reads customers again: a customer file fixed since the build is not reported",
      async () => {
        ok(cold.problems.some((p) => p.file === brokenCustomer));
        await Deno.writeTextFile(
          brokenCustomer,
          JSON.stringify({ id: "zz-1", firstName: "Mira", lastName: "Olsen", orders: [] }),
        );
        const warm = await start(0);
        equal(warm.cache?.status, "loaded");
        equal(warm.seeded?.customers, cold.seeded!.customers + 1);
        ok(!warm.problems.some((p) => p.file === brokenCustomer), JSON.stringify(warm.problems));
        ok(warm.problems.some((p) => p.file.includes("zz-weather-radio.md")));
      },
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("createRuntime() keeps a small index when GitHub Models embeds it", async () => {
  // Elsewhere a small catalog is rebuilt at every start; on GitHub Models each rebuild spends
  // requests of a free daily allowance, so the index is kept at any size.
  const root = await Deno.makeTempDir({ prefix: "runtime-index-cache-remote-" });
  const server = startFakeOpenAIServer({ embeddingDimensions: 1536 });
  const env = {
    CONTOSO_DATA_DIR: resolveProjectPath("data"),
    CONTOSO_INDEX_CACHE_DIR: join(root, "cache"),
    MODEL_PROVIDER: "github",
    GITHUB_TOKEN: "ghp_cache_test",
    GITHUB_MODELS_ENDPOINT: server.inferenceURL,
  };
  const embeddingRequests = () => server.requests.filter((r) => r.path.endsWith("/embeddings"));
  try {
    const cold = await createRuntime(loadConfig(env));
    const coldRequests = embeddingRequests().length;
    await cold.close();
    equal(cold.indexCache?.status, "built");
    ok(coldRequests > 0, "the cold start embeds through the remote model");
    ok((cold.seeded?.documents ?? 0) < 2_000, "the shipped catalog is a small one");

    const warm = await createRuntime(loadConfig(env));
    await warm.close();
    equal(warm.indexCache?.status, "loaded");
    equal(embeddingRequests().length, coldRequests, "the warm start sends no embedding request");
  } finally {
    await server.close();
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("usesExactVectors() is text-first only for the offline model unless set", async (t) => {
  await t.step("offline: text-first", () => equal(usesExactVectors(loadConfig({})), false));
  await t.step("another embedding model: exact", () => {
    const config = loadConfig({ OPENAI_BASE_URL: "http://127.0.0.1:11434/v1" });
    equal(config.embedding.backend, "openai-compatible");
    equal(usesExactVectors(config), true);
  });
  await t.step("CONTOSO_EXACT_VECTORS wins either way", () => {
    equal(usesExactVectors(loadConfig({ CONTOSO_EXACT_VECTORS: "true" })), true);
    equal(
      usesExactVectors(
        loadConfig({
          OPENAI_BASE_URL: "http://127.0.0.1:11434/v1",
          CONTOSO_EXACT_VECTORS: "false",
        }),
      ),
      false,
    );
  });
});

Deno.test("seedEmbedded() embeds in small batches only for the in-process offline model", async (t) => {
  const sizesFor = async (backend: string) => {
    const sizes: number[] = [];
    const embeddings: EmbeddingModel = {
      name: "recording",
      backend,
      dimensions: 32,
      embed: (texts) => {
        sizes.push(texts.length);
        return Promise.resolve(texts.map((text) => hashEmbedding(text, 32)));
      },
    };
    const { seeded, search } = await seedEmbedded({
      dataDir: resolveProjectPath("data"),
      search: { dimensions: 32, exactVectors: false, identity: { backend } },
      embeddings,
      warn: () => {},
    });
    return { sizes, documents: seeded.documents, indexed: await search!.count() };
  };
  const offline = await sizesFor("offline");
  const remote = await sizesFor("openai-compatible");
  await t.step("offline: at most 64 texts a request", () => {
    ok(Math.max(...offline.sizes) <= 64, `largest request ${Math.max(...offline.sizes)}`);
  });
  await t.step("a remote model: fewer, larger requests", () => {
    ok(Math.max(...remote.sizes) > 64, `largest request ${Math.max(...remote.sizes)}`);
    ok(remote.sizes.length < offline.sizes.length);
  });
  await t.step("the same documents either way", () => {
    equal(offline.documents, remote.documents);
    equal(offline.indexed, offline.documents);
    equal(remote.indexed, remote.documents);
  });
});
