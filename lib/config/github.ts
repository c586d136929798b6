/**
 * The GitHub Models track of the configuration: `MODEL_PROVIDER=github` selects GitHub Models
 * for chat, embeddings and the judge, authenticated by `GITHUB_TOKEN`. Nothing switches to it
 * on its own: a `GITHUB_TOKEN` alone (every Codespace has one) leaves the models as they were.
 * The defaults and the documentation behind them are in `lib/models/github_models.ts`.
 *
 * @module
 */
import type { Env } from "./load.ts";
import type { ModelConfig } from "./types.ts";
import {
  GITHUB_MODELS_API_VERSION,
  GITHUB_MODELS_CHAT_MODEL,
  GITHUB_MODELS_EMBEDDING_DIMENSIONS,
  GITHUB_MODELS_EMBEDDING_MODEL,
  GITHUB_MODELS_ENDPOINT,
  isReasoningModel,
} from "../models/github_models.ts";
import { envReader } from "./env_reader.ts";

/** The GitHub Models part of the configuration, or why it cannot be used. */
export interface GitHubModelsSettings {
  /** MODEL_PROVIDER=github was asked for. */
  selected: boolean;
  chat?: ModelConfig;
  embedding?: ModelConfig;
  evaluation?: ModelConfig;
  /** GITHUB_MODELS_MAX_WAIT_MS (when selected). */
  maxWaitMs?: number;
  problems: string[];
}

const PROVIDERS = ["github", "auto"];
const MODEL_ID = /^[\w.-]+\/[\w.:-]+$/;

/**
 * Read the GitHub Models variables. Only `MODEL_PROVIDER` is read unless it says `github`.
 *
 * @example
 * ```ts
 * import { parseGitHubModels } from "./github.ts";
 * const github = parseGitHubModels({ MODEL_PROVIDER: "github", GITHUB_TOKEN: "t" });
 * console.assert(github.chat?.backend === "github-models");
 * console.assert(!parseGitHubModels({ GITHUB_TOKEN: "t" }).selected);
 * ```
 */
export function parseGitHubModels(
  env: Env,
  options: { requireAzure?: boolean } = {},
): GitHubModelsSettings {
  const problems: string[] = [];
  const { read, url, int } = envReader(env, problems);
  const provider = read("MODEL_PROVIDER")?.toLowerCase();
  if (provider === undefined || provider === "auto") return { selected: false, problems };
  if (!PROVIDERS.includes(provider)) {
    problems.push(
      `MODEL_PROVIDER must be "github" (GitHub Models) or unset, got "${read("MODEL_PROVIDER")}"`,
    );
    return { selected: false, problems };
  }
  if (options.requireAzure) {
    problems.push(
      "MODEL_PROVIDER=github is for learning (free-tier rate limits), not production: unset it and set AZURE_OPENAI_ENDPOINT",
    );
  }
  const token = read("GITHUB_TOKEN");
  if (token === undefined) {
    problems.push(
      "GITHUB_TOKEN is required when MODEL_PROVIDER=github (a GitHub token with the models:read permission; Codespaces sets one)",
    );
  }
  const endpoint = url("GITHUB_MODELS_ENDPOINT") ?? GITHUB_MODELS_ENDPOINT;
  const modelId = (name: string, fallback: string): string => {
    const value = read(name);
    if (value === undefined) return fallback;
    if (!MODEL_ID.test(value)) {
      problems.push(
        `${name} must be a model identifier like ${fallback} (publisher/model), got "${value}"`,
      );
      return fallback;
    }
    return value;
  };
  const base = {
    backend: "github-models" as const,
    endpoint,
    apiKey: token ?? "",
    apiVersion: read("GITHUB_MODELS_API_VERSION") ?? GITHUB_MODELS_API_VERSION,
  };
  const reasoning = (model: string) => isReasoningModel(model) ? { reasoning: true } : {};
  const chatModel = modelId("GITHUB_MODELS_CHAT_MODEL", GITHUB_MODELS_CHAT_MODEL);
  const judgeModel = modelId("GITHUB_MODELS_JUDGE_MODEL", chatModel);
  const embeddingModel = modelId("GITHUB_MODELS_EMBEDDING_MODEL", GITHUB_MODELS_EMBEDDING_MODEL);
  return {
    selected: true,
    chat: { ...base, model: chatModel, ...reasoning(chatModel) },
    embedding: {
      ...base,
      model: embeddingModel,
      dimensions: int(
        "GITHUB_MODELS_EMBEDDING_DIMENSIONS",
        GITHUB_MODELS_EMBEDDING_DIMENSIONS,
        1,
        8192,
      ),
    },
    evaluation: { ...base, model: judgeModel, ...reasoning(judgeModel) },
    maxWaitMs: int("GITHUB_MODELS_MAX_WAIT_MS", 60_000, 0, 3_600_000),
    problems,
  };
}
