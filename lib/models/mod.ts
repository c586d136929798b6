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
export { backoffDelay, parseRetryAfter, sleep, withRetry } from "./retry.ts";
export type { RetryOptions } from "./retry.ts";
export { toUpstreamError, unsupportedParameter } from "./openai_errors.ts";
export type { AdaptableParameter } from "./openai_errors.ts";
export { createOfflineFetch } from "./offline/handler.ts";
export type { FetchFn, OfflineModelOptions } from "./offline/handler.ts";
export { hashEmbedding } from "./offline/embedding.ts";
