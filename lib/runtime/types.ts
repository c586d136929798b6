/**
 * The runtime: every client and store of one process, built once from a {@link Config} by
 * `createRuntime` (the composition root of the CLI, the server and the notebooks).
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
