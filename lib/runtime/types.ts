/**
 * The runtime: every client and store of one process, built once from a {@link Config} by
 * `createRuntime` (the composition root of the CLI, the server and the notebooks). `Runtime`
 * is what the services' users read (the app, the service checks, the data verification, and a
 * test's fake); `ComposedRuntime`, what `createRuntime` returns, adds what only the
 * composition root knows: the prompts it loaded, what it seeded at start-up, and seeding.
 *
 * @module
 */
import type { Config } from "../config/types.ts";
import type { ChatModel, EmbeddingModel } from "../models/types.ts";
import type { ModelRateLimits } from "../models/rate_limits.ts";
import type { CustomerStore } from "../customers/types.ts";
import type { ProductSearch } from "../products/types.ts";
import type { SourceStore } from "../products/sources.ts";
import type { ChatPipeline } from "../chat/types.ts";
import type { Prompty } from "../prompty/types.ts";
import type { SeedCounts } from "../seed/seed_stores.ts";
import type { SeedDirectoryOptions, SeedReport } from "../seed/seed_directory.ts";
import type { IndexCacheReport } from "./embedded_seed.ts";

/** The result of checking one service. */
export interface ServiceCheck {
  service: "chat-model" | "embedding-model" | "eval-model" | "customers" | "products";
  backend: string;
  ok: boolean;
  latencyMs: number;
  /** What was seen: "12 customers", "answered in 3 tokens", or the error message. */
  detail: string;
  /** How to fix it when it failed. */
  fix?: string;
}

/** Everything one process needs, built once. */
export interface Runtime {
  config: Config;
  chatModel: ChatModel;
  embeddingModel: EmbeddingModel;
  /** Absent when only the offline model is configured (it cannot judge). */
  evaluationModel?: ChatModel;
  /**
   * What the models' rate-limited provider still allows (GitHub Models); absent for providers
   * without a rate-limited free tier (offline, Azure OpenAI, other OpenAI-compatible endpoints).
   */
  rateLimits?: ModelRateLimits;
  customers: CustomerStore;
  products: ProductSearch;
  /** Cited sources read back by id (the `/products` and `/manuals` pages); absent for a store that cannot. */
  sources?: SourceStore;
  pipeline: ChatPipeline;
  /** Check every service (a tiny call each), with latency and a fix for each failure. */
  checkServices(options?: { signal?: AbortSignal }): Promise<ServiceCheck[]>;
  /** Stop the embedded servers and release clients. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * What `createRuntime` returns: a {@link Runtime} plus the prompts it loaded, a pipeline on
 * the same clients with another chat prompt, what it seeded at start-up and seeding the
 * configured stores. An extension rather than one type, so that a fake of the services (the
 * service checks', the app's and the verification's tests) needs no prompts or seeding.
 */
export interface ComposedRuntime extends Runtime {
  /** The loaded prompts. */
  prompts: { chat: Prompty; query: Prompty };
  /** Build another pipeline on the same clients with a different chat prompt. */
  pipelineWith(options: { chatPrompt: Prompty }): ChatPipeline;
  /** Counts seeded at start-up (embedded stores only; absent when nothing was seeded). */
  seeded?: SeedCounts;
  /** How the embedded index was obtained at start-up (absent when it was not seeded). */
  indexCache?: IndexCacheReport;
  /**
   * Fill the configured stores from a data folder (`deno task seed`): the search index is
   * created or updated first (Azure AI Search), then the customers and the search documents
   * are upserted (`seedFromDirectory`; `skip` leaves one store out).
   */
  seed(dir: string, options?: SeedDirectoryOptions): Promise<SeedReport>;
}
