/**
 * Building the chat, embedding and evaluation models from their configuration: Azure OpenAI
 * (keyless bearer token by default, API key optional), an OpenAI-compatible endpoint, GitHub
 * Models (the GitHub token as bearer, GitHub's headers, a client that paces itself to the rate
 * limits), or the offline model. Called once by the composition root.
 *
 * @module
 */
import OpenAI, { AzureOpenAI } from "openai";
import type { TokenCredential } from "@azure/identity";
import type { ModelConfig } from "../config/types.ts";
import type { ServiceName } from "../errors.ts";
import type { ChatModel, EmbeddingModel } from "./types.ts";
import { DEFAULT_EMBEDDING_DIMENSIONS, DEFAULT_MODEL_TIMEOUT_MS } from "./defaults.ts";
import { createOpenAIChatModel, createOpenAIEmbeddingModel } from "./openai_models.ts";
import { createOfflineFetch, type FetchFn } from "./offline/handler.ts";
import { createGitHubPacing, githubModelsHeaders, type GitHubPacing } from "./github_models.ts";

/** Scope of Azure OpenAI / AI Services data-plane tokens. */
export const COGNITIVE_SERVICES_SCOPE = "https://cognitiveservices.azure.com/.default";

/** Dependencies of the model factory. */
export interface ModelFactoryOptions {
  /** Needed for keyless Azure OpenAI. */
  credential?: TokenCredential;
  /** Replaces the network (tests; the offline model uses its own). */
  fetch?: FetchFn;
  timeoutMs?: number;
  maxRetries?: number;
  retryBaseDelayMs?: number;
  /**
   * Rate-limit pacing shared by the GitHub Models clients of one process (one tracker per
   * model); absent, each client gets its own.
   */
  pacing?: GitHubPacing;
  /** Longest pacing wait before AllowanceExhaustedError (default 60 s). */
  rateLimitMaxWaitMs?: number;
  /** Service the client is for, named in errors ("chat-model", "eval-model", ...). */
  service?: ServiceName;
}

/** A bearer-token provider over a credential, as the Azure client wants it. */
export function bearerTokenProvider(
  credential: TokenCredential,
  scope = COGNITIVE_SERVICES_SCOPE,
): () => Promise<string> {
  return async () => {
    const token = await credential.getToken(scope);
    if (!token) throw new Error(`Cannot get a token for ${scope}`);
    return token.token;
  };
}

/** An `openai` client for one model configuration. */
export function createClient(config: ModelConfig, options: ModelFactoryOptions = {}): OpenAI {
  const common = { maxRetries: 0, timeout: options.timeoutMs ?? DEFAULT_MODEL_TIMEOUT_MS };
  switch (config.backend) {
    case "azure-openai": {
      if (!config.apiKey && !options.credential) {
        throw new TypeError(
          "Cannot create the Azure OpenAI client: no API key and no credential for keyless auth",
        );
      }
      return new AzureOpenAI({
        ...common,
        endpoint: config.endpoint,
        apiVersion: config.apiVersion,
        deployment: config.deployment,
        ...(config.apiKey
          ? { apiKey: config.apiKey }
          : { azureADTokenProvider: bearerTokenProvider(options.credential!) }),
        fetch: options.fetch,
      });
    }
    case "openai-compatible":
      return new OpenAI({
        ...common,
        baseURL: config.baseURL,
        apiKey: config.apiKey ?? "not-needed",
        fetch: options.fetch,
      });
    case "github-models": {
      const pacing = pacingOf(options);
      return new OpenAI({
        ...common,
        baseURL: config.endpoint,
        apiKey: config.apiKey,
        defaultHeaders: githubModelsHeaders(config.apiVersion),
        fetch: pacing.fetchFor(config.model, options.service),
      });
    }
    case "offline":
      return new OpenAI({
        ...common,
        baseURL: "http://offline-model.invalid/v1",
        apiKey: "offline",
        fetch: options.fetch ??
          createOfflineFetch({
            latencyMs: config.latencyMs,
            chunkDelayMs: config.streamDelayMs,
            dimensions: config.dimensions,
          }),
      });
  }
}

/** The shared pacing, or one for this client alone; kept on the options so the model sees it. */
function pacingOf(options: ModelFactoryOptions): GitHubPacing {
  options.pacing ??= createGitHubPacing({
    fetch: options.fetch,
    maxWaitMs: options.rateLimitMaxWaitMs,
  });
  return options.pacing;
}

/** How calls of a GitHub Models client pace themselves; nothing for other backends. */
function paceOf(config: ModelConfig, options: ModelFactoryOptions, service: ServiceName) {
  if (config.backend !== "github-models") return undefined;
  const pacing = pacingOf(options);
  return {
    tracker: pacing.trackerFor(config.model),
    maxWaitMs: pacing.maxWaitMs,
    label: config.model,
    service,
    onWait: pacing.onWait &&
      ((info: { delayMs: number }) => pacing.onWait!({ model: config.model, ...info })),
  };
}

function modelName(config: ModelConfig): string {
  return config.backend === "azure-openai" ? config.deployment : config.model;
}

/** The chat (or evaluation) model for a configuration. */
export function createChatModel(
  config: ModelConfig,
  options: ModelFactoryOptions = {},
): ChatModel {
  const service = options.service ?? "chat-model";
  const own = { ...options, service };
  return createOpenAIChatModel(createClient(config, own), {
    model: modelName(config),
    backend: config.backend,
    service,
    pace: paceOf(config, own, service),
    reasoning: config.backend !== "offline" && config.reasoning === true,
    timeoutMs: options.timeoutMs,
    maxRetries: options.maxRetries,
    retryBaseDelayMs: options.retryBaseDelayMs,
  });
}

/** The embedding model for a configuration. */
export function createEmbeddingModel(
  config: ModelConfig,
  options: ModelFactoryOptions = {},
): EmbeddingModel {
  const own: ModelFactoryOptions = { ...options, service: "embedding-model" };
  return createOpenAIEmbeddingModel(
    createClient(config, own),
    {
      model: modelName(config),
      backend: config.backend,
      service: "embedding-model",
      pace: paceOf(config, own, "embedding-model"),
      dimensions: config.dimensions ?? DEFAULT_EMBEDDING_DIMENSIONS,
      sendDimensions: config.backend !== "offline" && config.dimensions !== undefined &&
        config.dimensions !== DEFAULT_EMBEDDING_DIMENSIONS,
      timeoutMs: options.timeoutMs,
      maxRetries: options.maxRetries,
      retryBaseDelayMs: options.retryBaseDelayMs,
    },
  );
}
