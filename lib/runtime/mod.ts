/**
 * The composition root's building block: `createRuntime(config)` builds the credential, the
 * model clients, the stores and the pipeline once. With no Azure configuration it starts the
 * embedded services (Cosmos DB server, hybrid index, offline model) and seeds them from the
 * data folder, streaming its manuals (`seedFromDirectory`); a large catalog's index is persisted
 * in the index cache (`lib/products/index_cache.ts`) and loaded again while the data and the
 * embedding model are unchanged, so everything runs on a laptop with no cloud account.
 *
 * @module
 */
import { CosmosClient } from "@azure/cosmos";
import type { TokenCredential } from "@azure/identity";
import type { Config } from "../config/types.ts";
import { createChatPipeline } from "../chat/pipeline.ts";
import type { ChatPipeline } from "../chat/types.ts";
import { createCosmosCustomerStore } from "../customers/cosmos_customer_store.ts";
import { type EmbeddedCosmos, startEmbeddedCosmos } from "../customers/embedded_cosmos.ts";
import {
  createChatModel,
  createEmbeddingModel,
  type ModelFactoryOptions,
} from "../models/factory.ts";
import type { FetchFn } from "../models/offline/handler.ts";
import { createGitHubPacing } from "../models/github_models.ts";
import type { ModelRateLimits } from "../models/rate_limits.ts";
import { embeddingIdentity } from "../products/index_cache.ts";
import { createOramaProductSearch } from "../products/orama_product_search.ts";
import { createAzureSources } from "../products/azure_sources.ts";
import { createEmbeddedSources, type SourceStore, withSourceBaseUrl } from "../products/sources.ts";
import type { ProductSearch, SearchDocument } from "../products/types.ts";
import type { HybridIndex } from "../products/hybrid_index.ts";
import { loadPrompty } from "../prompty/load.ts";
import type { Prompty } from "../prompty/types.ts";
import type { DataProblem } from "../seed/load_data.ts";
import type { SeedCounts } from "../seed/seed_stores.ts";
import { checkServices } from "./checks.ts";
import { type IndexCacheReport, seedEmbedded, usesExactVectors } from "./embedded_seed.ts";
import { loadCredential } from "./credential.ts";
import { resolveProjectPath } from "./paths.ts";
import type { Runtime } from "./types.ts";

export type * from "./types.ts";
export type { IndexCacheReport } from "./embedded_seed.ts";
export { projectRoot, resolveProjectPath } from "./paths.ts";
export { createConfiguredChatModel } from "./credential.ts";

/** Options of {@link createRuntime}. */
export interface RuntimeOptions {
  /** Chat prompt file (default: the configuration's `chatPromptPath`, CONTOSO_CHAT_PROMPT). */
  chatPromptPath?: string;
  /** Query prompt file (default `prompts/product.prompty`). */
  queryPromptPath?: string;
  /** Environment for `${env:…}` in prompt files. */
  env?: Record<string, string | undefined>;
  /** Replaces the network for model calls (tests). */
  fetch?: FetchFn;
  /** Replaces DefaultAzureCredential (tests). */
  credential?: TokenCredential;
  /** Seed the embedded stores from the data folder (default true). */
  seed?: boolean;
  /** Told about skipped data records while seeding the embedded stores. */
  onDataProblem?: (problem: DataProblem) => void;
  /** Told when the index cache cannot be read or written (default `console.warn`). */
  onWarning?: (message: string) => void;
  /** Smallest embedded index written to the index cache (default 2,000 documents; tests). */
  indexCacheMinDocuments?: number;
  /** Told before a model call waits for a rate-limited provider (GitHub Models). */
  onRateLimitWait?: (info: { model: string; delayMs: number }) => void;
  retryBaseDelayMs?: number;
}

/** A runtime that also says what it seeded into the embedded stores. */
export interface RuntimeWithSeed extends Runtime {
  /** Counts seeded at start-up (embedded stores only). */
  seeded?: SeedCounts;
  /** How the embedded index was obtained at start-up (absent when it was not seeded). */
  indexCache?: IndexCacheReport;
  /** Build another pipeline on the same clients with a different chat prompt. */
  pipelineWith(options: { chatPrompt: Prompty }): ChatPipeline;
  /** The loaded prompts. */
  prompts: { chat: Prompty; query: Prompty };
}

/** Customer profiles are cached this long per process (a chat request reads one every time). */
const CUSTOMER_CACHE_TTL_MS = 15_000;

function needsCredential(config: Config): boolean {
  const models = [config.chat, config.embedding, config.evaluation];
  return models.some((m) => m?.backend === "azure-openai" && !m.apiKey) ||
    (config.customers.backend === "cosmos" && !config.customers.key) ||
    (config.products.backend === "azure-search" && !config.products.apiKey);
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
): Promise<RuntimeWithSeed> {
  const closers: (() => Promise<void> | void)[] = [];
  try {
    // The Azure-only SDKs load on demand: on the embedded defaults they would be a third of
    // the start-up time (module evaluation) for clients that are never built.
    const credential = options.credential ??
      await loadCredential(config, needsCredential(config));
    const modelOptions: ModelFactoryOptions = {
      credential,
      fetch: options.fetch,
      timeoutMs: config.modelTimeoutMs,
      maxRetries: config.modelMaxRetries,
      retryBaseDelayMs: options.retryBaseDelayMs,
    };
    // GitHub Models counts requests per model: one tracker per model for every client.
    const github = [config.chat, config.embedding, config.evaluation].some((m) =>
      m?.backend === "github-models"
    );
    if (github) {
      modelOptions.pacing = createGitHubPacing({
        fetch: options.fetch,
        maxWaitMs: config.rateLimitMaxWaitMs,
        onWait: options.onRateLimitWait,
      });
    }
    const chatModel = createChatModel(config.chat, modelOptions);
    const embeddingModel = createEmbeddingModel(config.embedding, modelOptions);
    const evaluationModel = config.evaluation
      ? createChatModel(config.evaluation, { ...modelOptions, service: "eval-model" })
      : undefined;

    let embedded: EmbeddedCosmos | undefined;
    const c = config.customers;
    let customers;
    if (c.backend === "cosmos") {
      const client = new CosmosClient({
        endpoint: c.endpoint,
        ...(c.key ? { key: c.key } : { aadCredentials: credential }),
      });
      closers.push(() => client.dispose());
      customers = await createCosmosCustomerStore(client, {
        database: c.database,
        container: c.container,
        cacheTtlMs: CUSTOMER_CACHE_TTL_MS,
      });
    } else {
      embedded = await startEmbeddedCosmos();
      closers.push(() => embedded!.close());
      customers = await createCosmosCustomerStore(embedded.client, {
        database: c.database,
        container: c.container,
        backend: "embedded",
        createIfMissing: true,
        cacheTtlMs: CUSTOMER_CACHE_TTL_MS,
      });
    }

    const p = config.products;
    const dimensions = config.embedding.dimensions ?? 1536;
    let products!: ProductSearch;
    let sources: SourceStore | undefined;
    if (p.backend === "azure-search") {
      const [
        { AzureKeyCredential, SearchClient, SearchIndexClient },
        { createAzureProductSearch },
      ] = await Promise.all([
        import("@azure/search-documents"),
        import("../products/azure_ai_search.ts"),
      ]);
      const searchCredential = p.apiKey ? new AzureKeyCredential(p.apiKey) : credential!;
      const searchClient = new SearchClient<SearchDocument>(p.endpoint, p.index, searchCredential);
      products = createAzureProductSearch(
        searchClient,
        new SearchIndexClient(p.endpoint, searchCredential),
        { indexName: p.index, dimensions, semanticConfiguration: p.semanticConfiguration },
      );
      sources = createAzureSources(searchClient);
    }

    const [chatPrompt, queryPrompt] = await Promise.all([
      loadPrompty(resolveProjectPath(options.chatPromptPath ?? config.chatPromptPath), {
        env: options.env,
      }),
      loadPrompty(resolveProjectPath(options.queryPromptPath ?? "prompts/product.prompty"), {
        env: options.env,
      }),
    ]);

    // Only the embedded stores are filled at start-up; Azure stores are seeded by `deno task seed`.
    let seeded: SeedCounts | undefined;
    let indexCache: IndexCacheReport | undefined;
    // A hand-built configuration (tests, notebooks) has no embeddedIndex: no cache.
    const settings = config.embeddedIndex ?? {};
    const exactVectors = usesExactVectors(config);
    if ((c.backend === "embedded" || p.backend === "embedded") && options.seed !== false) {
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
        embeddings: embeddingModel,
        onDataProblem: options.onDataProblem,
        warn: options.onWarning ?? ((message) => console.warn(message)),
      });
      seeded = result.seeded;
      indexCache = result.indexCache;
      if (result.search) products = result.search;
    } else if (p.backend === "embedded") {
      products = createOramaProductSearch({ dimensions, exactVectors });
    }

    const pipelineWith = (o: { chatPrompt: Prompty }) =>
      createChatPipeline({
        chatModel,
        embeddings: embeddingModel,
        customers,
        // Context urls point at the storefront when one is configured.
        products: withSourceBaseUrl(products, config.sources?.baseUrl),
        chatPrompt: o.chatPrompt,
        queryPrompt,
      });
    const trackerOf = (m: Config["chat"] | undefined) =>
      m?.backend === "github-models" ? modelOptions.pacing?.trackerFor(m.model) : undefined;
    const rateLimits: ModelRateLimits | undefined = github
      ? {
        chat: trackerOf(config.chat)!,
        embedding: trackerOf(config.embedding)!,
        evaluation: trackerOf(config.evaluation),
      }
      : undefined;
    let closed = false;
    const runtime: RuntimeWithSeed = {
      config,
      chatModel,
      embeddingModel,
      evaluationModel,
      ...(rateLimits ? { rateLimits } : {}),
      customers,
      products,
      sources: sources ??
        ("index" in products ? createEmbeddedSources(products.index as HybridIndex) : undefined),
      pipeline: pipelineWith({ chatPrompt }),
      pipelineWith,
      prompts: { chat: chatPrompt, query: queryPrompt },
      seeded,
      indexCache,
      checkServices: (o) => checkServices(runtime, o),
      async close() {
        if (closed) return;
        closed = true;
        for (const close of closers.reverse()) await close();
      },
    };
    return runtime;
  } catch (error) {
    for (const close of closers.reverse()) await close();
    throw error;
  }
}
