/**
 * The model clients of one process: chat, embedding and (when configured) evaluation models,
 * built once from the configuration with one set of transport options (credential, `fetch`,
 * timeout, retries). GitHub Models counts requests per model, so one pacing tracker per model
 * is shared by every client, and its allowances are what the runtime reports as `rateLimits`.
 *
 * @module
 */
import type { TokenCredential } from "@azure/identity";
import type { Config } from "../config/types.ts";
import {
  createChatModel,
  createEmbeddingModel,
  type ModelFactoryOptions,
} from "../models/factory.ts";
import { createGitHubPacing } from "../models/github_models.ts";
import type { FetchFn } from "../models/offline/handler.ts";
import type { ModelRateLimits } from "../models/rate_limits.ts";
import type { Runtime } from "./types.ts";

/** Options of {@link createModelClients}. */
export interface ModelClientOptions {
  /** Entra ID credential of the Azure OpenAI clients without a key. */
  credential?: TokenCredential;
  /** Replaces the network for model calls (tests). */
  fetch?: FetchFn;
  /** Told before a model call waits for a rate-limited provider (GitHub Models). */
  onRateLimitWait?: (info: { model: string; delayMs: number }) => void;
  retryBaseDelayMs?: number;
}

/** The model clients of a runtime. */
export type ModelClients = Pick<
  Runtime,
  "chatModel" | "embeddingModel" | "evaluationModel" | "rateLimits"
>;

/**
 * Build the configured models.
 *
 * @example
 * ```ts ignore
 * const { chatModel, embeddingModel } = createModelClients(loadConfig({}));
 * ```
 */
export function createModelClients(
  config: Config,
  options: ModelClientOptions = {},
): ModelClients {
  const models = [config.chat, config.embedding, config.evaluation];
  const github = models.some((m) => m?.backend === "github-models");
  const pacing = github
    ? createGitHubPacing({
      fetch: options.fetch,
      maxWaitMs: config.rateLimitMaxWaitMs,
      onWait: options.onRateLimitWait,
    })
    : undefined;
  const transport: ModelFactoryOptions = {
    credential: options.credential,
    fetch: options.fetch,
    timeoutMs: config.modelTimeoutMs,
    maxRetries: config.modelMaxRetries,
    retryBaseDelayMs: options.retryBaseDelayMs,
    pacing,
  };
  const clients: ModelClients = {
    chatModel: createChatModel(config.chat, transport),
    embeddingModel: createEmbeddingModel(config.embedding, transport),
    evaluationModel: config.evaluation
      ? createChatModel(config.evaluation, { ...transport, service: "eval-model" })
      : undefined,
  };
  if (pacing) {
    const trackerOf = (m: Config["chat"] | undefined) =>
      m?.backend === "github-models" ? pacing.trackerFor(m.model) : undefined;
    const rateLimits: ModelRateLimits = {
      chat: trackerOf(config.chat)!,
      embedding: trackerOf(config.embedding)!,
      evaluation: trackerOf(config.evaluation),
    };
    clients.rateLimits = rateLimits;
  }
  return clients;
}
