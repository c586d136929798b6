/**
 * The resolved configuration: for each part of the app, which backend serves it and with what
 * settings. Produced once by `loadConfig(env)`; adapters receive plain pieces of it.
 *
 * @module
 */
import type { AuthConfig } from "./auth.ts";

export type { AuthConfig, EntraAuthConfig } from "./auth.ts";
import type { SourcesConfig } from "./sources.ts";

export type { SourcesConfig } from "./sources.ts";

/** How a model (chat, embeddings or evaluation judge) is reached. */
export type ModelConfig =
  | {
    backend: "azure-openai";
    endpoint: string;
    deployment: string;
    apiVersion: string;
    /** Absent means keyless (Microsoft Entra ID through DefaultAzureCredential). */
    apiKey?: string;
    dimensions?: number;
    /** A reasoning model: sent `max_completion_tokens` and no `temperature`/`top_p`. */
    reasoning?: boolean;
  }
  | {
    backend: "openai-compatible";
    baseURL: string;
    model: string;
    apiKey?: string;
    dimensions?: number;
    /** A reasoning model: sent `max_completion_tokens` and no `temperature`/`top_p`. */
    reasoning?: boolean;
  }
  | {
    /** GitHub Models (MODEL_PROVIDER=github): OpenAI-compatible, free within rate limits. */
    backend: "github-models";
    /** Inference endpoint (GITHUB_MODELS_ENDPOINT, default https://models.github.ai/inference). */
    endpoint: string;
    /** Model identifier, `publisher/model`, e.g. `openai/gpt-4.1-mini`. */
    model: string;
    /** The GitHub token (GITHUB_TOKEN); never printed. */
    apiKey: string;
    /** `X-GitHub-Api-Version` (GITHUB_MODELS_API_VERSION, default 2022-11-28). */
    apiVersion: string;
    dimensions?: number;
    /** A reasoning model: sent `max_completion_tokens` and no `temperature`/`top_p`. */
    reasoning?: boolean;
  }
  | {
    backend: "offline";
    model: string;
    /** Simulated latency of every call, for benchmarks (OFFLINE_MODEL_LATENCY_MS). */
    latencyMs: number;
    /** Pause between streamed words (OFFLINE_STREAM_DELAY_MS; absent or 0: none). */
    streamDelayMs?: number;
    dimensions?: number;
  };

/** Where customers live. */
export type CustomersConfig =
  | { backend: "cosmos"; endpoint: string; key?: string; database: string; container: string }
  | { backend: "embedded"; database: string; container: string };

/** Where products and manuals are searched. */
export type ProductsConfig =
  | {
    backend: "azure-search";
    endpoint: string;
    index: string;
    apiKey?: string;
    /** Semantic configuration name; empty string disables semantic ranking. */
    semanticConfiguration: string;
  }
  | { backend: "embedded"; index: string };

/** Settings of the embedded product index (used when `products.backend` is "embedded"). */
export interface EmbeddedIndexConfig {
  /**
   * Folder of the persisted index (CONTOSO_INDEX_CACHE_DIR, default `.cache/index`, relative to
   * the project); `undefined` when the cache is off.
   */
  cacheDir?: string;
  /**
   * Compare every vector instead of the text-first vector half (CONTOSO_EXACT_VECTORS); unset:
   * text-first for the offline model's hashed embeddings, exact for any other embedding model.
   */
  exactVectors?: boolean;
}

/** Settings of the HTTP server. */
export interface ServerConfig {
  port: number;
  allowedOrigins: string[];
  /** The first accepted API key (what a client of this configuration sends, e.g. the eval CLI). */
  apiKey?: string;
  /** Who may call the API (lib/config/auth.ts). */
  auth: AuthConfig;
  /** Requests per minute per client on /api/*. */
  rateLimitPerMinute: number;
  /**
   * Proxies in front of the server whose `X-Forwarded-For` entries are trusted (counted from the
   * right) to find the client for the rate limit. 1 in Azure Container Apps (its ingress).
   */
  trustedProxyHops: number;
  maxQuestionLength: number;
  maxBodyBytes: number;
}

/** A model's price in US dollars per million tokens (an entry of `MODEL_PRICES`). */
export interface ModelPrice {
  input: number;
  output: number;
}

/** Everything the app needs to know, resolved. */
export interface Config {
  chat: ModelConfig;
  embedding: ModelConfig;
  /** The evaluation judge; `undefined` when only the offline model is available (it cannot judge). */
  evaluation?: ModelConfig;
  customers: CustomersConfig;
  products: ProductsConfig;
  /** Settings of the embedded index (absent in hand-built configurations: the defaults). */
  embeddedIndex?: EmbeddedIndexConfig;
  server: ServerConfig;
  /** Folder that seeds the embedded stores (CONTOSO_DATA_DIR, default `data`). */
  dataDir: string;
  /** Chat prompt file of the pipeline (CONTOSO_CHAT_PROMPT, default `prompts/chat.prompty`). */
  chatPromptPath: string;
  /** Managed identity client id for DefaultAzureCredential in Azure. */
  azureClientId?: string;
  applicationInsightsConnectionString?: string;
  /** Where source urls point (CONTOSO_SOURCE_BASE_URL, lib/config/sources.ts); absent: relative. */
  sources?: SourcesConfig;
  /**
   * Longest wait for a rate-limited provider's allowance before a call gives up with
   * AllowanceExhaustedError (GITHUB_MODELS_MAX_WAIT_MS; absent: 60 s).
   */
  rateLimitMaxWaitMs?: number;
  /** Per-call model timeout and retry budget. */
  modelTimeoutMs: number;
  modelMaxRetries: number;
  /** Prices by model or deployment name (MODEL_PRICES; empty when unset), for the `cost` metric. */
  modelPrices: Record<string, ModelPrice>;
}
