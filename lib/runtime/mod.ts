/**
 * The composition root's building block: `createRuntime(config)` builds the credential, the
 * model clients (`clients.ts`), the stores (`stores.ts`) and the prompts (`prompts.ts`) once,
 * then wires the pipeline. With no Azure configuration it starts the embedded services
 * (Cosmos DB server, hybrid index, offline model) and seeds them from the data folder
 * (`embedded_seed.ts`); a large catalog's index is persisted in the index cache
 * (`lib/products/index_cache.ts`) and loaded again while the data and the embedding model are
 * unchanged, so everything runs on a laptop with no cloud account.
 *
 * @module
 */
import type { Config } from "../config/types.ts";
import { createChatPipeline } from "../chat/pipeline.ts";
import { DEFAULT_EMBEDDING_DIMENSIONS } from "../models/defaults.ts";
import { embeddingIdentity } from "../products/index_cache.ts";
import { createOramaProductSearch } from "../products/orama_product_search.ts";
import { withSourceBaseUrl } from "../products/sources.ts";
import type { Prompty } from "../prompty/types.ts";
import type { DataProblem } from "../seed/load_data.ts";
import { seedFromDirectory } from "../seed/seed_directory.ts";
import { checkServices } from "./checks.ts";
import { createModelClients, type ModelClientOptions } from "./clients.ts";
import { loadCredential, needsCredential } from "./credential.ts";
import { type IndexCacheReport, seedEmbedded, usesExactVectors } from "./embedded_seed.ts";
import { resolveProjectPath } from "./paths.ts";
import { loadPipelinePrompts, type PipelinePromptOptions } from "./prompts.ts";
import {
  embeddedSearch,
  openAzureSearch,
  openCustomerStore,
  type SearchBackend,
} from "./stores.ts";
import type { ComposedRuntime } from "./types.ts";

export type * from "./types.ts";
export type { IndexCacheReport } from "./embedded_seed.ts";
export { projectRoot, resolveProjectPath } from "./paths.ts";
export { createConfiguredChatModel, loadCredential } from "./credential.ts";

/**
 * Options of {@link createRuntime}: the prompts' ({@link PipelinePromptOptions}), the model
 * clients' ({@link ModelClientOptions}; `credential` replaces DefaultAzureCredential for every
 * client, `fetch` the network of the model calls, in tests) and seeding's.
 */
export interface RuntimeOptions extends PipelinePromptOptions, ModelClientOptions {
  /** Seed the embedded stores from the data folder (default true). */
  seed?: boolean;
  /** Told about skipped data records while seeding the embedded stores. */
  onDataProblem?: (problem: DataProblem) => void;
  /** Told when the index cache cannot be read or written (default `console.warn`). */
  onWarning?: (message: string) => void;
  /** Smallest embedded index written to the index cache (default 2,000 documents; tests). */
  indexCacheMinDocuments?: number;
}

/**
 * Build everything one process needs.
 *
 * @example
 * ```ts ignore
 * const runtime = await createRuntime(loadConfig({}));
 * const reply = await runtime.pipeline.getResponse({ customerId: "1", question: "Which tent is lightest?" });
 * await runtime.close();
 * ```
 */
export async function createRuntime(
  config: Config,
  options: RuntimeOptions = {},
): Promise<ComposedRuntime> {
  const closers: (() => Promise<void> | void)[] = [];
  const closeAll = async () => {
    for (const close of closers.reverse()) await close();
  };
  try {
    // The Azure-only SDKs load on demand: on the embedded defaults they would be a third of
    // the start-up time (module evaluation) for clients that are never built.
    const credential = options.credential ??
      await loadCredential(config, needsCredential(config));
    const models = createModelClients(config, {
      credential,
      fetch: options.fetch,
      retryBaseDelayMs: options.retryBaseDelayMs,
      onRateLimitWait: options.onRateLimitWait,
    });
    const store = await openCustomerStore(config.customers, credential);
    closers.push(store.close);
    const { customers } = store;
    const c = config.customers;
    const p = config.products;
    const dimensions = config.embedding.dimensions ?? DEFAULT_EMBEDDING_DIMENSIONS;
    const exactVectors = usesExactVectors(config);
    let search: SearchBackend | undefined = p.backend === "azure-search"
      ? await openAzureSearch(p, { dimensions, credential })
      : undefined;
    const prompts = await loadPipelinePrompts(config, options);

    // Only the embedded stores are filled at start-up; Azure stores are seeded by `deno task seed`.
    let seeded: ComposedRuntime["seeded"];
    let indexCache: IndexCacheReport | undefined;
    if ((c.backend === "embedded" || p.backend === "embedded") && options.seed !== false) {
      // A hand-built configuration (tests, notebooks) has no embeddedIndex: no cache.
      const settings = config.embeddedIndex ?? {};
      const result = await seedEmbedded({
        dataDir: resolveProjectPath(config.dataDir),
        customers: c.backend === "embedded" ? customers : undefined,
        search: p.backend === "embedded"
          ? {
            dimensions,
            exactVectors,
            cacheDir: settings.cacheDir ? resolveProjectPath(settings.cacheDir) : undefined,
            identity: embeddingIdentity(config.embedding),
            cacheMinDocuments: options.indexCacheMinDocuments,
          }
          : undefined,
        embeddings: models.embeddingModel,
        onDataProblem: options.onDataProblem,
        warn: options.onWarning ?? ((message) => console.warn(message)),
      });
      seeded = result.seeded;
      indexCache = result.indexCache;
      if (result.search) search = embeddedSearch(result.search);
    }
    search ??= embeddedSearch(createOramaProductSearch({ dimensions, exactVectors }));
    const { products, sources, ensureIndex } = search;

    const pipelineWith = (o: { chatPrompt: Prompty }) =>
      createChatPipeline({
        chatModel: models.chatModel,
        embeddings: models.embeddingModel,
        customers,
        // Context urls point at the storefront when one is configured.
        products: withSourceBaseUrl(products, config.sources?.baseUrl),
        chatPrompt: o.chatPrompt,
        queryPrompt: prompts.query,
      });
    let closed = false;
    const runtime: ComposedRuntime = {
      config,
      ...models,
      customers,
      products,
      sources,
      pipeline: pipelineWith({ chatPrompt: prompts.chat }),
      pipelineWith,
      prompts,
      seeded,
      indexCache,
      checkServices: (o) => checkServices(runtime, o),
      async seed(dir, seedOptions) {
        await ensureIndex();
        return await seedFromDirectory(dir, {
          customers,
          products,
          embeddings: models.embeddingModel,
        }, seedOptions);
      },
      async close() {
        if (closed) return;
        closed = true;
        await closeAll();
      },
    };
    return runtime;
  } catch (error) {
    await closeAll();
    throw error;
  }
}
