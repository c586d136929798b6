/**
 * What a rate-limited model service (GitHub Models' free tier) still allows, learned from the
 * responses it sends: a {@link RateLimitTracker} is fed every response's status and headers by
 * the pacing `fetch` wrapper (`paced_fetch.ts`), says how long the next request must wait, and
 * reports the allowance to whoever shows it (`deno task eval`, notebook 4). Before any call, and
 * as long as the service sends no counts, it reports the documented tier limits less the
 * requests answered so far (`source: "documented"`). A 429 whose wait is longer than
 * pacing allows marks the allowance exhausted; callers then get an {@link AllowanceExhaustedError}
 * that says when to resume.
 *
 * Headers read (both families, whichever the service sends): OpenAI / Azure style
 * `x-ratelimit-limit-requests`, `x-ratelimit-remaining-requests`, `x-ratelimit-limit-tokens`,
 * `x-ratelimit-remaining-tokens`, `x-ratelimit-reset-requests` / `-tokens` (a duration such as
 * `1s`, `6m0s`, or seconds); GitHub REST style `x-ratelimit-limit`, `x-ratelimit-remaining`,
 * `x-ratelimit-reset` (Unix epoch seconds); and `retry-after` (seconds or an HTTP date) or
 * `retry-after-ms` on a 429.
 *
 * @module
 */
import type { ServiceName } from "../errors.ts";
import { parseRetryAfter } from "./retry.ts";

/** What a service still allows. */
export interface RateAllowance {
  /** What the service said last (headers), or the documented tier limits before any call. */
  remainingRequests?: number;
  limitRequests?: number;
  remainingTokens?: number;
  limitTokens?: number;
  /** When the window (or the daily allowance) resets. */
  resetAt?: Date;
  /** The daily allowance is used up (a 429 whose wait is longer than pacing allows). */
  exhausted: boolean;
  source: "headers" | "documented";
}

/** Learns a service's allowance from its responses and paces the next request. */
export interface RateLimitTracker {
  current(): RateAllowance;
  /** Record a response's status and headers (called by the fetch wrapper). */
  observe(status: number, headers: Headers, now?: number): void;
  /** How long to wait before the next request may be sent (0 = now). */
  waitMs(now?: number): number;
}

/** Thrown when the allowance is exhausted for longer than pacing waits; resumable later. */
export class AllowanceExhaustedError extends Error {
  override name = "AllowanceExhaustedError";
  /** When the service said the allowance comes back (absent when it did not say). */
  readonly resetAt?: Date;
  /** The service whose allowance ran out ("chat-model", "eval-model", "embedding-model"). */
  readonly service?: ServiceName;
  constructor(
    message: string,
    options: { resetAt?: Date; service?: ServiceName; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.resetAt = options.resetAt;
    this.service = options.service;
  }
}

/** The error for an exhausted allowance, saying until when and what to do. */
export function allowanceExhausted(
  tracker: RateLimitTracker,
  options: { label?: string; service?: ServiceName; detail?: string; cause?: unknown } = {},
): AllowanceExhaustedError {
  const resetAt = tracker.current().resetAt;
  const when = resetAt ? ` until ${resetAt.toISOString()}` : "";
  return new AllowanceExhaustedError(
    `The rate-limit allowance of ${options.label ?? "the model"} is used up${when}${
      options.detail ? ` (${options.detail})` : ""
    }: run again after that, or switch to another model or provider`,
    { resetAt, service: options.service, cause: options.cause },
  );
}

/** Documented limits of one model tier, reported before the service has said anything. */
export interface DocumentedLimits {
  requestsPerMinute?: number;
  requestsPerDay?: number;
  /** Input + output tokens one request may carry. */
  tokensPerRequest?: number;
  /** Requests in flight at once. */
  concurrentRequests?: number;
}

/** Options of {@link createRateLimitTracker}. */
export interface RateLimitTrackerOptions {
  /** Limits to report before any response (`source: "documented"`). */
  documented?: DocumentedLimits;
  /**
   * Longest wait pacing accepts (default 60 s): a 429 asking for longer marks the allowance
   * exhausted.
   */
  maxWaitMs?: number;
  /** Wait after a 429 that names no time at all (default 60 s). */
  defaultRetryMs?: number;
}

/** A duration header value: `1s`, `6m0s`, `1h2m3.5s`, `250ms`, or plain seconds. */
export function parseResetDuration(value: string | null): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
  let total = 0;
  let consumed = 0;
  for (const match of text.matchAll(re)) {
    const n = Number(match[1]);
    total += match[2] === "h"
      ? n * 3_600_000
      : match[2] === "m"
      ? n * 60_000
      : match[2] === "s"
      ? n * 1000
      : n;
    consumed += match[0].length;
  }
  return consumed === text.length && consumed > 0 ? total : undefined;
}

/**
 * The request and token counts a response's rate-limit headers carry, from either header family
 * (`x-ratelimit-remaining-requests` or `x-ratelimit-remaining`, …); only those sent are present.
 *
 * @example
 * ```ts
 * import { headerCounts } from "./rate_limits.ts";
 * const counts = headerCounts(new Headers({ "x-ratelimit-remaining": "12" }));
 * console.assert(counts.remainingRequests === 12 && !("limitRequests" in counts));
 * ```
 */
export function headerCounts(
  headers: Headers,
): Pick<RateAllowance, "remainingRequests" | "limitRequests" | "remainingTokens" | "limitTokens"> {
  return definedOf({
    remainingRequests: count(headers, "x-ratelimit-remaining-requests", "x-ratelimit-remaining"),
    limitRequests: count(headers, "x-ratelimit-limit-requests", "x-ratelimit-limit"),
    remainingTokens: count(headers, "x-ratelimit-remaining-tokens"),
    limitTokens: count(headers, "x-ratelimit-limit-tokens"),
  });
}

function count(headers: Headers, ...names: string[]): number | undefined {
  for (const name of names) {
    const value = headers.get(name);
    if (value !== null && /^\d+$/.test(value.trim())) return Number(value);
  }
  return undefined;
}

/** When the window resets, from either header family (undefined when neither is sent). */
function resetOf(headers: Headers, now: number): number | undefined {
  const durations = ["x-ratelimit-reset-requests", "x-ratelimit-reset-tokens"]
    .map((name) => parseResetDuration(headers.get(name)))
    .filter((ms): ms is number => ms !== undefined);
  if (durations.length > 0) return now + Math.max(...durations);
  const epoch = count(headers, "x-ratelimit-reset");
  // Epoch seconds are large; a small number is a delay in seconds (some proxies send that).
  if (epoch !== undefined) return epoch > 1e9 ? epoch * 1000 : now + epoch * 1000;
  return undefined;
}

/**
 * A tracker that learns from headers.
 *
 * @example
 * ```ts
 * import { createRateLimitTracker } from "./rate_limits.ts";
 * const tracker = createRateLimitTracker({ documented: { requestsPerDay: 150 } });
 * tracker.observe(429, new Headers({ "retry-after": "5" }), 0);
 * console.assert(tracker.waitMs(0) === 5000);
 * ```
 */
export function createRateLimitTracker(options: RateLimitTrackerOptions = {}): RateLimitTracker {
  const maxWaitMs = options.maxWaitMs ?? 60_000;
  const defaultRetryMs = options.defaultRetryMs ?? 60_000;
  const documented = options.documented ?? {};
  const documentedLimit = documented.requestsPerDay ?? documented.requestsPerMinute;
  /** The counts the service sent last (absent until it sends any). */
  let counts: Partial<RateAllowance> | undefined;
  /** Answers counted while the service sends no counts: the documented estimate. */
  let answered = 0;
  let blockedUntil = 0;
  /** A 429 was the last word: nothing is left until a request succeeds again. */
  let refused = false;
  let exhausted = false;
  return {
    current() {
      const base: RateAllowance = counts ? { ...counts, exhausted, source: "headers" } : definedOf({
        limitRequests: documentedLimit,
        remainingRequests: documentedLimit === undefined
          ? undefined
          : Math.max(0, documentedLimit - answered),
        limitTokens: documented.tokensPerRequest,
        exhausted,
        source: "documented",
      }) as RateAllowance;
      if (refused) {
        base.remainingRequests = 0;
        base.resetAt = new Date(blockedUntil);
      }
      return base;
    },
    observe(status, headers, now = Date.now()) {
      const sent: Partial<RateAllowance> = headerCounts(headers);
      const reset = resetOf(headers, now);
      const ok = status >= 200 && status < 300;
      if (Object.keys(sent).length > 0) {
        counts = { ...counts, ...sent };
        if (reset !== undefined) counts.resetAt = new Date(reset);
      } else if (ok) {
        answered++;
      }
      if (status === 429) {
        const retryAfter = parseRetryAfter(headers);
        const until = retryAfter !== undefined
          ? now + retryAfter * 1000
          : reset ?? now + defaultRetryMs;
        blockedUntil = Math.max(blockedUntil, until);
        refused = true;
      } else if (ok) {
        blockedUntil = Math.min(blockedUntil, now);
        refused = false;
      }
      // Nothing left in this window: hold the next request until the window resets.
      if (sent.remainingRequests === 0 && reset !== undefined && reset > now) {
        blockedUntil = Math.max(blockedUntil, reset);
      }
      exhausted = blockedUntil - now > maxWaitMs;
    },
    waitMs(now = Date.now()) {
      return Math.max(0, blockedUntil - now);
    },
  };
}

function definedOf<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined),
  ) as Partial<T>;
}

/**
 * The trackers of one runtime's models (`runtime.rateLimits`), present only for a rate-limited
 * provider (GitHub Models). Models served by the same model share one tracker object (GitHub
 * counts per model), so `chat === evaluation` when the judge is the chat model.
 */
export interface ModelRateLimits {
  chat: RateLimitTracker;
  embedding: RateLimitTracker;
  /** Absent when there is no judge. */
  evaluation?: RateLimitTracker;
}
