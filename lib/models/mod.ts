/**
 * Models: the chat and embedding ports, their adapters on the `openai` client (Azure OpenAI,
 * OpenAI-compatible, offline), retries and error mapping.
 *
 * @module
 */
export type * from "./types.ts";
export * from "./factory.ts";
export { createOpenAIChatModel, createOpenAIEmbeddingModel } from "./openai_models.ts";
export type { OpenAIModelOptions } from "./openai_models.ts";
export * from "./embedding_batches.ts";
export { backoffDelay, parseRetryAfter, withRetry } from "./retry.ts";
export * from "./defaults.ts";
export type { RetryOptions } from "./retry.ts";
export { toUpstreamError, unsupportedParameter } from "./openai_errors.ts";
export type { AdaptableParameter } from "./openai_errors.ts";
export { createOfflineFetch } from "./offline/handler.ts";
export type { FetchFn, OfflineModelOptions } from "./offline/handler.ts";
export { hashEmbedding } from "./offline/embedding.ts";
export * from "./rate_limits.ts";
export {
  createGitHubPacing,
  createPacedFetch,
  GITHUB_FREE_TIER_LIMITS,
  GITHUB_MODELS_API_VERSION,
  GITHUB_MODELS_CHAT_MODEL,
  GITHUB_MODELS_EMBEDDING_DIMENSIONS,
  GITHUB_MODELS_EMBEDDING_MODEL,
  GITHUB_MODELS_ENDPOINT,
  githubModelsHeaders,
  isReasoningModel,
  rateTierOf,
} from "./github_models.ts";
export type { GitHubPacing, GitHubRateTier } from "./github_models.ts";
export { waitForAllowance } from "./retry.ts";
export type { Pacing } from "./retry.ts";
