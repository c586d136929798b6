/**
 * The retry policy of upstream calls, on lib/async's `retry` loop (budget, backoff with jitter,
 * abort handling). Only {@link UpstreamError}s that say they are retryable (429, 5xx) are
 * retried; a `Retry-After` the upstream sent wins over the computed backoff (capped, so one bad
 * header cannot stall a request for minutes).
 *
 * With `pace` (a rate-limited provider such as GitHub Models), each attempt first waits what the
 * provider's {@link RateLimitTracker} says (its `Retry-After`, or the reset of a window with no
 * requests left), up to a bound; a 429 is then pacing rather than failure and does not spend the
 * retry budget (up to `maxPacedWaits` times); a wait beyond the bound, or an allowance marked
 * exhausted, throws `AllowanceExhaustedError`, which is never retried. The waits happen
 * here, before each attempt's deadline starts, so pacing never turns into a timeout.
 *
 * @module
 */
import { type ServiceName, UpstreamError } from "../errors.ts";
import { backoffDelay as exponentialBackoff, retry } from "../async/retry.ts";
import { delay } from "../async/delay.ts";
import { allowanceExhausted, type RateLimitTracker } from "./rate_limits.ts";

/** How a call paces itself to a rate-limited provider. */
export interface Pacing {
  tracker: RateLimitTracker;
  /** Longest wait before an attempt; a longer one throws AllowanceExhaustedError. */
  maxWaitMs: number;
  /** Named in the error (the model identifier). */
  label?: string;
  service?: ServiceName;
  /** 429s waited out without spending the retry budget (default 5). */
  maxPacedWaits?: number;
  /** Called before each wait (for logs and tests). */
  onWait?: (info: { delayMs: number }) => void;
}

/** What a retry callback is told: which retry this is, how long it waits, and why. */
export interface RetryInfo {
  /** 1-based number of the retry about to be made (the first retry is 1). */
  attempt: number;
  /** Wait before the retry, in milliseconds (the upstream's `Retry-After` when it sent one). */
  delayMs: number;
  /** The retryable failure of the previous attempt. */
  error: UpstreamError;
}

/** Retry policy. */
export interface RetryOptions {
  /** Retries after the first attempt (default 3). */
  maxRetries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  signal?: AbortSignal;
  /** The wait (tests inject one that records instead of waiting; default {@link delay}). */
  delay?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Called before each retry (for logs, metrics and tests). */
  onRetry?: (info: RetryInfo) => void;
  /** Pace every attempt to a rate-limited provider's allowance. */
  pace?: Pacing;
}

/** Wait until `pace` allows the next request, or throw when that is beyond its bound. */
export async function waitForAllowance(
  pace: Pacing,
  options: { delay?: RetryOptions["delay"]; signal?: AbortSignal; cause?: unknown } = {},
): Promise<void> {
  const delayMs = pace.tracker.waitMs();
  if (delayMs <= 0) return;
  if (delayMs > pace.maxWaitMs || pace.tracker.current().exhausted) {
    throw allowanceExhausted(pace.tracker, {
      label: pace.label,
      service: pace.service,
      cause: options.cause,
    });
  }
  pace.onWait?.({ delayMs });
  await (options.delay ?? wait)(delayMs, options.signal);
}

/** The default wait: {@link delay}, ended early by the signal. */
function wait(ms: number, signal?: AbortSignal): Promise<void> {
  return delay(ms, { signal });
}

/** The delay before retry number `attempt` (1-based). */
export function backoffDelay(
  attempt: number,
  error: UpstreamError,
  options: RetryOptions = {},
): number {
  if (error.retryAfterSeconds !== undefined && Number.isFinite(error.retryAfterSeconds)) {
    return Math.min(Math.max(0, error.retryAfterSeconds * 1000), options.maxDelayMs ?? 20_000);
  }
  return exponentialBackoff(attempt, options);
}

/**
 * Run `fn`, retrying retryable {@link UpstreamError}s up to `maxRetries` times.
 *
 * @example
 * ```ts
 * import { withRetry } from "./retry.ts";
 * const value = await withRetry(() => Promise.resolve(42));
 * console.assert(value === 42);
 * ```
 */
export function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const pace = options.pace;
  const signal = options.signal;
  let paced = 0;
  let cause: unknown;
  /** One attempt; with `pace`, waited for and repeated on the 429s it waits out. */
  const attempt = async (n: number): Promise<T> => {
    while (true) {
      if (pace) await waitForAllowance(pace, { delay: options.delay, signal, cause });
      try {
        return await fn(n);
      } catch (error) {
        cause = error;
        if (
          pace && error instanceof UpstreamError && error.status === 429 &&
          paced < (pace.maxPacedWaits ?? 5) && !signal?.aborted
        ) {
          // The tracker saw this 429 (the paced fetch feeds it): the next turn waits it out.
          paced++;
          continue;
        }
        throw error;
      }
    }
  };
  return retry(attempt, {
    maxRetries: options.maxRetries,
    isRetryable: (error) => error instanceof UpstreamError && error.isRetryable,
    delayMs: (n, error) => backoffDelay(n, error as UpstreamError, options),
    signal,
    delay: options.delay,
    onRetry: (info) =>
      options.onRetry?.({
        attempt: info.attempt,
        delayMs: info.delayMs,
        error: info.error as UpstreamError,
      }),
  });
}

/** Parse a `Retry-After` header (seconds or an HTTP date) or Azure's `retry-after-ms`. */
export function parseRetryAfter(headers: Headers | undefined | null): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get("retry-after-ms");
  if (ms && Number.isFinite(Number(ms))) return Number(ms) / 1000;
  const value = headers.get("retry-after");
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}
