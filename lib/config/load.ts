/**
 * `loadConfig(env)`: a pure function from environment variables to a resolved {@link Config}.
 * It collects every problem before throwing, so a learner fixes their `.env` in one go.
 *
 * @module
 */
import type { Config, CustomersConfig, ModelConfig, ModelPrice, ProductsConfig } from "./types.ts";
import { envReader } from "./env_reader.ts";
import { parseModelPrices } from "./model_prices.ts";
import { parseGitHubModels } from "./github.ts";
import { parseAuthConfig } from "./auth.ts";
import { parseSourceConfig } from "./sources.ts";
import { DEFAULT_EMBEDDING_DIMENSIONS, DEFAULT_MODEL_TIMEOUT_MS } from "../models/defaults.ts";
import { MAX_QUESTION_LENGTH } from "../chat/validate.ts";
import { ValidationError } from "../errors.ts";

/** An environment as a plain record (tests pass object literals). */
export type Env = Record<string, string | undefined>;

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /**
   * Production mode: every part must be served by Azure (the container's `deno task serve`);
   * missing variables are reported instead of falling back to embedded services.
   */
  requireAzure?: boolean;
}

/**
 * Thrown by {@link loadConfig}; lists every missing or malformed variable. A kind of
 * `ValidationError` (bad input: the environment), so every command line exits 2 for it.
 */
export class ConfigError extends ValidationError {
  override name = "ConfigError";
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`, { problems });
  }
}

const DEFAULT_API_VERSION = "2024-10-21";
/** The chat prompt the pipeline answers with unless CONTOSO_CHAT_PROMPT names another. */
export const DEFAULT_CHAT_PROMPT = "prompts/chat.prompty";
const OFFLINE_EMBEDDING_DIMENSIONS = 256;
/** Where the embedded index is persisted unless CONTOSO_INDEX_CACHE_DIR says otherwise. */
export const DEFAULT_INDEX_CACHE_DIR = ".cache/index";

/** `{ reasoning: true }` for a reasoning model, nothing otherwise (configs stay as they were). */
function reasoning(value: boolean | undefined): { reasoning?: true } {
  return value ? { reasoning: true } : {};
}

/**
 * Resolve the configuration from environment variables.
 *
 * @example
 * ```ts
 * import { loadConfig } from "./load.ts";
 * const config = loadConfig({});
 * console.assert(config.chat.backend === "offline");
 * ```
 */
export function loadConfig(env: Env, options: LoadConfigOptions = {}): Config {
  const problems: string[] = [];
  const { read, url, int, flag } = envReader(env, problems);
  const need = (name: string, why: string): string => {
    const value = read(name);
    if (value === undefined) problems.push(`${name} is required ${why}`);
    return value ?? "";
  };

  const azureOpenAI = url("AZURE_OPENAI_ENDPOINT");
  const openAIBase = url("OPENAI_BASE_URL");
  const latencyMs = int("OFFLINE_MODEL_LATENCY_MS", 0, 0, 600_000);
  let chat: ModelConfig;
  let embedding: ModelConfig;
  let evaluation: ModelConfig | undefined;

  // MODEL_PROVIDER=github is asked for by name; it wins over the other model variables.
  const github = parseGitHubModels(env, options);
  problems.push(...github.problems);
  if (github.selected && github.chat && github.embedding) {
    chat = github.chat;
    embedding = github.embedding;
    evaluation = github.evaluation;
  } else if (
    azureOpenAI || (options.requireAzure && read("AZURE_OPENAI_ENDPOINT") === undefined)
  ) {
    if (!azureOpenAI && read("AZURE_OPENAI_ENDPOINT") === undefined) {
      problems.push(
        "AZURE_OPENAI_ENDPOINT is required in production (Azure OpenAI serves the models)",
      );
    }
    const why = "when AZURE_OPENAI_ENDPOINT is set";
    const base = {
      backend: "azure-openai" as const,
      endpoint: azureOpenAI ?? "",
      apiVersion: read("AZURE_OPENAI_API_VERSION") ?? DEFAULT_API_VERSION,
      apiKey: read("AZURE_OPENAI_API_KEY"),
    };
    chat = {
      ...base,
      deployment: need("AZURE_OPENAI_CHAT_DEPLOYMENT", why),
      ...reasoning(flag("AZURE_OPENAI_CHAT_REASONING")),
    };
    embedding = {
      ...base,
      deployment: need("AZURE_OPENAI_EMBEDDING_DEPLOYMENT", why),
      dimensions: int("AZURE_OPENAI_EMBEDDING_DIMENSIONS", DEFAULT_EMBEDDING_DIMENSIONS, 1, 8192),
    };
    const judge = read("AZURE_OPENAI_EVAL_DEPLOYMENT");
    evaluation = {
      ...base,
      deployment: judge ?? chat.deployment,
      // The same deployment is the same model; another one says for itself.
      ...reasoning(flag("AZURE_OPENAI_EVAL_REASONING") ?? (judge ? undefined : chat.reasoning)),
    };
  } else if (openAIBase || read("OPENAI_API_KEY")) {
    const base = {
      backend: "openai-compatible" as const,
      baseURL: openAIBase ?? "https://api.openai.com/v1",
      apiKey: read("OPENAI_API_KEY"),
    };
    chat = {
      ...base,
      model: read("OPENAI_CHAT_MODEL") ?? "gpt-4o-mini",
      ...reasoning(flag("OPENAI_CHAT_REASONING")),
    };
    embedding = { ...base, model: read("OPENAI_EMBEDDING_MODEL") ?? "text-embedding-3-small" };
    const judge = read("OPENAI_EVAL_MODEL");
    evaluation = {
      ...base,
      model: judge ?? chat.model,
      ...reasoning(flag("OPENAI_EVAL_REASONING") ?? (judge ? undefined : chat.reasoning)),
    };
  } else {
    const streamDelayMs = int("OFFLINE_STREAM_DELAY_MS", 0, 0, 10_000);
    chat = {
      backend: "offline",
      model: "contoso-offline-chat",
      latencyMs,
      ...(streamDelayMs ? { streamDelayMs } : {}),
    };
    embedding = {
      backend: "offline",
      model: "contoso-offline-embedding",
      latencyMs,
      dimensions: int("OFFLINE_EMBEDDING_DIMENSIONS", OFFLINE_EMBEDDING_DIMENSIONS, 8, 8192),
    };
    evaluation = undefined; // the offline model cannot judge
  }

  const database = read("COSMOS_DATABASE") ?? "contoso-outdoor";
  const container = read("COSMOS_CONTAINER") ?? "customers";
  const cosmos = url("COSMOS_ENDPOINT");
  let customers: CustomersConfig;
  if (cosmos) {
    customers = {
      backend: "cosmos",
      endpoint: cosmos,
      key: read("COSMOS_KEY"),
      database,
      container,
    };
  } else {
    if (options.requireAzure && read("COSMOS_ENDPOINT") === undefined) {
      problems.push("COSMOS_ENDPOINT is required in production (Cosmos DB serves the customers)");
    }
    customers = { backend: "embedded", database, container };
  }

  const index = read("AZURE_SEARCH_INDEX") ?? "contoso-products";
  const search = url("AZURE_SEARCH_ENDPOINT");
  let products: ProductsConfig;
  if (search) {
    const semantic = read("AZURE_SEARCH_SEMANTIC_CONFIGURATION") ?? "default";
    products = {
      backend: "azure-search",
      endpoint: search,
      index,
      apiKey: read("AZURE_SEARCH_API_KEY"),
      semanticConfiguration: semantic.toLowerCase() === "none" ? "" : semantic,
    };
  } else {
    if (options.requireAzure && read("AZURE_SEARCH_ENDPOINT") === undefined) {
      problems.push(
        "AZURE_SEARCH_ENDPOINT is required in production (Azure AI Search serves the products)",
      );
    }
    products = { backend: "embedded", index };
  }

  const cacheSetting = read("CONTOSO_INDEX_CACHE_DIR") ?? DEFAULT_INDEX_CACHE_DIR;
  const embeddedIndex = {
    cacheDir: ["off", "none", "false"].includes(cacheSetting.toLowerCase())
      ? undefined
      : cacheSetting,
    exactVectors: flag("CONTOSO_EXACT_VECTORS"),
  };

  const origins = (read("ALLOWED_ORIGINS") ?? "").split(",").map((o) => o.trim()).filter(Boolean);
  for (const origin of origins) {
    if (origin === "*") {
      problems.push('ALLOWED_ORIGINS must list origins; "*" is not allowed');
      continue;
    }
    try {
      if (new URL(origin).origin !== origin.replace(/\/$/, "")) throw new Error();
    } catch {
      problems.push(
        `ALLOWED_ORIGINS entry "${origin}" is not an origin like https://shop.example.com`,
      );
    }
  }
  const codespace = read("CODESPACE_NAME");
  const forwarding = read("GITHUB_CODESPACES_PORT_FORWARDING_DOMAIN");
  const port = int("PORT", 8000, 0, 65535);
  if (codespace && forwarding) {
    origins.push(`https://${codespace}-${port}.${forwarding}`);
  }

  let modelPrices: Record<string, ModelPrice> = {};
  const pricesText = read("MODEL_PRICES");
  if (pricesText !== undefined) {
    const parsed = parseModelPrices(pricesText);
    if ("problem" in parsed) problems.push(parsed.problem);
    else modelPrices = parsed.prices;
  }

  const { sources, problems: sourceProblems } = parseSourceConfig(env);
  problems.push(...sourceProblems);

  const auth = parseAuthConfig(env, { requireAuth: options.requireAzure });
  problems.push(...auth.problems);

  const config: Config = {
    chat,
    embedding,
    evaluation,
    customers,
    products,
    embeddedIndex,
    server: {
      port,
      allowedOrigins: origins.map((o) => o.replace(/\/$/, "")),
      apiKey: auth.auth.apiKeys[0],
      auth: auth.auth,
      rateLimitPerMinute: int("RATE_LIMIT_PER_MINUTE", 120, 1, 1_000_000),
      // Container Apps sets CONTAINER_APP_NAME; its ingress is one proxy hop.
      trustedProxyHops: int("TRUSTED_PROXY_HOPS", read("CONTAINER_APP_NAME") ? 1 : 0, 0, 10),
      maxQuestionLength: MAX_QUESTION_LENGTH,
      maxBodyBytes: 64 * 1024,
    },
    dataDir: read("CONTOSO_DATA_DIR") ?? "data",
    chatPromptPath: read("CONTOSO_CHAT_PROMPT") ?? DEFAULT_CHAT_PROMPT,
    azureClientId: read("AZURE_CLIENT_ID"),
    applicationInsightsConnectionString: read("APPLICATIONINSIGHTS_CONNECTION_STRING"),
    ...(sources.baseUrl ? { sources } : {}),
    ...(github.maxWaitMs !== undefined ? { rateLimitMaxWaitMs: github.maxWaitMs } : {}),
    modelTimeoutMs: int("MODEL_TIMEOUT_MS", DEFAULT_MODEL_TIMEOUT_MS, 1, 600_000),
    modelMaxRetries: int("MODEL_MAX_RETRIES", 3, 0, 10),
    modelPrices,
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
