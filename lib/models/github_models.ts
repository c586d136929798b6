/**
 * GitHub Models as a model backend: the documented facts (endpoint, headers, model identifiers,
 * free-tier rate limits) and the pacing `fetch` wrapper that keeps a client within them.
 *
 * What GitHub documents (read 2026-12-01):
 * - Endpoint and headers: `POST https://models.github.ai/inference/chat/completions` with
 *   `Authorization: Bearer <token>`, `Accept: application/vnd.github+json`,
 *   `X-GitHub-Api-Version: 2022-11-28`, `Content-Type: application/json`; streaming and
 *   non-streaming completions (https://docs.github.com/en/github-models/quickstart,
 *   https://docs.github.com/en/rest/models/inference,
 *   https://github.blog/changelog/2025-05-15-github-models-api-now-available). Embeddings at
 *   `POST https://models.github.ai/inference/embeddings` (https://docs.github.com/en/rest/models/embeddings;
 *   GitHub's own samples moved to it: https://github.com/github/codespaces-models/pull/28).
 *   The token needs the `models: read` permission (fine-grained PAT or GitHub App token).
 * - Model identifiers are `{publisher}/{model_name}`, e.g. `openai/gpt-4.1`; the catalog
 *   (`GET https://models.github.ai/catalog/models`) gives each model's `rate_limit_tier`
 *   (https://docs.github.com/en/rest/models/catalog).
 * - Free-tier limits ("Prototyping with AI models", Rate limits,
 *   https://docs.github.com/en/github-models/use-github-models/prototyping-with-ai-models), by
 *   tier, for Copilot Free / Pro: Low 15 requests per minute, 150 per day, 8000 tokens in and
 *   4000 out per request, 5 concurrent; High 10/min, 50/day, 8000 in / 4000 out, 2 concurrent;
 *   Embedding 15/min, 150/day, 64000 tokens per request, 5 concurrent; the o1/o3/gpt-5 class
 *   1/min, 8/day, 4000 in / 4000 out, 1 concurrent; the o1-mini, o3-mini, o4-mini, gpt-5-mini,
 *   gpt-5-nano and gpt-5-chat class 2/min, 12/day, 1 concurrent (Copilot Pro; not offered on
 *   Copilot Free). "If you get rate limited, you will need to wait for the rate limit that you
 *   hit to reset." Business and Enterprise plans allow more; we assume the smallest (Free).
 *
 * Where the documentation is silent, and what we chose:
 * - The 429 response's headers are not documented for GitHub Models. GitHub's REST API
 *   documents `retry-after` (seconds) and `x-ratelimit-remaining` / `x-ratelimit-reset` (epoch
 *   seconds) (https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api);
 *   OpenAI-compatible services send `x-ratelimit-remaining-requests` and friends. The tracker
 *   (`rate_limits.ts`) reads both families, and a 429 naming no time waits 60 s, as GitHub's
 *   REST guidance says.
 * - Which tier a model is in is published per model on its catalog page, not in a table; the
 *   tiers below for the models this workshop defaults to are from the catalog, and an unknown
 *   model is assumed to be in the High tier (the stricter of the two general tiers).
 * - Which API version to send: the REST reference calls the header optional and lists newer
 *   REST versions (2026-03-10) while the Models quickstart and catalog examples send
 *   2022-11-28; we send 2022-11-28, overridable (GITHUB_MODELS_API_VERSION).
 * - Whether the embeddings endpoint takes `dimensions`: not stated; it is sent only when a
 *   dimension other than the model's native 1536 is configured, as for OpenAI.
 * - Pacing is reactive (429s and headers), with the documented concurrency per tier as the only
 *   limit applied ahead of the service.
 *
 * @module
 */
import type { ServiceName } from "../errors.ts";
import type { FetchFn } from "./offline/handler.ts";
import {
  allowanceExhausted,
  createRateLimitTracker,
  type DocumentedLimits,
  type RateLimitTracker,
} from "./rate_limits.ts";

/** The documented inference endpoint. */
export const GITHUB_MODELS_ENDPOINT = "https://models.github.ai/inference";
/** The documented REST API version (`X-GitHub-Api-Version`). */
export const GITHUB_MODELS_API_VERSION = "2022-11-28";
/** Default chat (and judge) model: a Low-tier model (15/min, 150/day on the free tier). */
export const GITHUB_MODELS_CHAT_MODEL = "openai/gpt-4.1-mini";
/** Default embedding model (Embedding tier) and its native vector size. */
export const GITHUB_MODELS_EMBEDDING_MODEL = "openai/text-embedding-3-small";
/** Native dimension of the default embedding model. */
export const GITHUB_MODELS_EMBEDDING_DIMENSIONS = 1536;

/** GitHub Models' rate-limit tiers. */
export type GitHubRateTier = "low" | "high" | "embedding" | "reasoning" | "reasoning-mini";

/** Documented free-tier (Copilot Free, or Pro where Free has none) limits by tier. */
export const GITHUB_FREE_TIER_LIMITS: Readonly<Record<GitHubRateTier, DocumentedLimits>> = {
  low: {
    requestsPerMinute: 15,
    requestsPerDay: 150,
    tokensPerRequest: 12000,
    concurrentRequests: 5,
  },
  high: {
    requestsPerMinute: 10,
    requestsPerDay: 50,
    tokensPerRequest: 12000,
    concurrentRequests: 2,
  },
  embedding: {
    requestsPerMinute: 15,
    requestsPerDay: 150,
    tokensPerRequest: 64000,
    concurrentRequests: 5,
  },
  reasoning: {
    requestsPerMinute: 1,
    requestsPerDay: 8,
    tokensPerRequest: 8000,
    concurrentRequests: 1,
  },
  "reasoning-mini": {
    requestsPerMinute: 2,
    requestsPerDay: 12,
    tokensPerRequest: 8000,
    concurrentRequests: 1,
  },
};

/** Tiers of the models a learner is likely to pick (from their catalog pages). */
const KNOWN_TIERS: Record<string, GitHubRateTier> = {
  "openai/gpt-4.1-mini": "low",
  "openai/gpt-4.1-nano": "low",
  "openai/gpt-4o-mini": "low",
  "openai/gpt-4.1": "high",
  "openai/gpt-4o": "high",
  "openai/text-embedding-3-small": "embedding",
  "openai/text-embedding-3-large": "embedding",
};

/** The rate-limit tier of a model identifier (unknown chat models: "high", the stricter). */
export function rateTierOf(model: string): GitHubRateTier {
  const known = KNOWN_TIERS[model.toLowerCase()];
  if (known) return known;
  const name = model.toLowerCase().split("/").pop() ?? "";
  if (name.includes("embed")) return "embedding";
  if (/^(o\d|gpt-5)/.test(name)) {
    return /mini|nano|chat/.test(name) ? "reasoning-mini" : "reasoning";
  }
  if (/deepseek-r1|mai-ds-r1/.test(name)) return "reasoning";
  return "high";
}

/** True for identifiers of reasoning models (o-series, gpt-5, R1), sent `max_completion_tokens`. */
export function isReasoningModel(model: string): boolean {
  const name = model.toLowerCase().split("/").pop() ?? "";
  return /^(o\d|gpt-5(?!-chat))/.test(name) || /deepseek-r1|mai-ds-r1|phi-4-(mini-)?reasoning/
    .test(name);
}

/** Headers every GitHub Models request carries besides the bearer token. */
export function githubModelsHeaders(
  apiVersion = GITHUB_MODELS_API_VERSION,
): Record<string, string> {
  return { Accept: "application/vnd.github+json", "X-GitHub-Api-Version": apiVersion };
}

/** Options of {@link createPacedFetch}. */
export interface PacedFetchOptions {
  tracker: RateLimitTracker;
  /** Requests in flight at once (until their response headers arrive); default unlimited. */
  concurrency?: number;
  /** Service named in errors ("chat-model", ...). */
  service?: ServiceName;
  /** Model identifier named in errors. */
  model?: string;
  now?: () => number;
}

/** A 429 body's message, for the error (GitHub's says which limit and how long). */
async function messageOf(response: Response): Promise<string | undefined> {
  try {
    const body = await response.json() as { error?: { message?: unknown } };
    return typeof body.error?.message === "string" ? body.error.message : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Wrap `fetch` so every response feeds `tracker`, at most `concurrency` requests are in flight,
 * and a 429 that leaves the allowance exhausted (its wait is longer than pacing allows) throws
 * `AllowanceExhaustedError` with the service's own message. Shorter 429s are returned as
 * they are: the retry layer (`withRetry` with `pace`) waits them out without spending the retry
 * budget, outside the per-call deadline.
 */
export function createPacedFetch(inner: FetchFn, options: PacedFetchOptions): FetchFn {
  const { tracker } = options;
  const now = options.now ?? Date.now;
  const limit = options.concurrency ?? Infinity;
  let inFlight = 0;
  const queue: (() => void)[] = [];
  const acquire = async () => {
    while (inFlight >= limit) await new Promise<void>((resolve) => queue.push(resolve));
    inFlight++;
  };
  const release = () => {
    inFlight--;
    queue.shift()?.();
  };
  return async (input, init) => {
    await acquire();
    let response: Response;
    try {
      response = await inner(input, init);
    } finally {
      release();
    }
    tracker.observe(response.status, response.headers, now());
    if (response.status === 429 && tracker.current().exhausted) {
      throw allowanceExhausted(tracker, {
        label: options.model ?? options.service,
        service: options.service,
        detail: await messageOf(response),
      });
    }
    return response;
  };
}

/** One tracker (and one paced fetch) per model identifier, shared by every client of it. */
export interface GitHubPacing {
  /** Longest pacing wait (what `withRetry`'s `pace` is given). */
  maxWaitMs: number;
  /** Told before each wait for the rate limit. */
  onWait?: (info: { model: string; delayMs: number }) => void;
  /** The paced fetch for a model's client. */
  fetchFor(model: string, service?: ServiceName): FetchFn;
  /** The tracker of a model (created on first use, documented limits of its tier). */
  trackerFor(model: string): RateLimitTracker;
}

/** Options of {@link createGitHubPacing}. */
export interface GitHubPacingOptions {
  /** The network (tests pass a fake's; default the global fetch). */
  fetch?: FetchFn;
  /** Longest wait pacing accepts before AllowanceExhaustedError (default 60 s). */
  maxWaitMs?: number;
  /** Told before each wait for the rate limit (a CLI says why it pauses). */
  onWait?: (info: { model: string; delayMs: number }) => void;
}

/**
 * Pacing for one process: GitHub counts requests per model, so the chat model and a judge on
 * the same model share one tracker and one concurrency limit.
 */
export function createGitHubPacing(options: GitHubPacingOptions = {}): GitHubPacing {
  const trackers = new Map<string, RateLimitTracker>();
  const fetches = new Map<string, FetchFn>();
  const trackerFor = (model: string) => {
    let tracker = trackers.get(model);
    if (!tracker) {
      tracker = createRateLimitTracker({
        documented: GITHUB_FREE_TIER_LIMITS[rateTierOf(model)],
        maxWaitMs: options.maxWaitMs,
      });
      trackers.set(model, tracker);
    }
    return tracker;
  };
  return {
    maxWaitMs: options.maxWaitMs ?? 60_000,
    onWait: options.onWait,
    trackerFor,
    fetchFor(model, service) {
      let paced = fetches.get(model);
      if (!paced) {
        paced = createPacedFetch(options.fetch ?? ((input, init) => fetch(input, init)), {
          tracker: trackerFor(model),
          concurrency: GITHUB_FREE_TIER_LIMITS[rateTierOf(model)].concurrentRequests,
          service,
          model,
        });
        fetches.set(model, paced);
      }
      return paced;
    },
  };
}
