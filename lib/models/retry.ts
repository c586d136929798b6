/**
 * Bounded retries with exponential backoff and jitter for upstream calls. Only errors that say
 * they are retryable (429, 5xx) are retried; a `Retry-After` the upstream sent wins over the
 * computed backoff (capped, so one bad header cannot stall a request for minutes).
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
  /** Injected for tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Called before each retry (for logs, metrics and tests). */
  onRetry?: (info: RetryInfo) => void;
  /** Pace every attempt to a rate-limited provider's allowance. */
  pace?: Pacing;
}

/** Wait until `pace` allows the next request, or throw when that is beyond its bound. */
export async function waitForAllowance(
  pace: Pacing,
  options: { sleep?: RetryOptions["sleep"]; signal?: AbortSignal; cause?: unknown } = {},
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
  await (options.sleep ?? sleep)(delayMs, options.signal);
}

/** Sleep that wakes early (rejecting) when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** The delay before retry number `attempt` (1-based). */
export function backoffDelay(
  attempt: number,
  error: UpstreamError,
  options: RetryOptions = {},
): number {
  const base = options.baseDelayMs ?? 500;
  const max = options.maxDelayMs ?? 20_000;
  if (error.retryAfterSeconds !== undefined && Number.isFinite(error.retryAfterSeconds)) {
    return Math.min(Math.max(0, error.retryAfterSeconds * 1000), max);
  }
  const exp = base * 2 ** (attempt - 1);
  return Math.min(exp / 2 + Math.random() * exp / 2, max);
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
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const maxRetries = options.maxRetries ?? 3;
  const wait = options.sleep ?? sleep;
  const pace = options.pace;
  let paced = 0;
  let cause: unknown;
  for (let attempt = 0;; attempt++) {
    if (pace) await waitForAllowance(pace, { sleep: wait, signal: options.signal, cause });
    try {
      return await fn(attempt);
    } catch (error) {
      cause = error;
      if (
        pace && error instanceof UpstreamError && error.status === 429 &&
        paced < (pace.maxPacedWaits ?? 5) && !options.signal?.aborted
      ) {
        // The tracker saw this 429 (the paced fetch feeds it): the next turn waits it out.
        paced++;
        attempt--;
        continue;
      }
      if (!(error instanceof UpstreamError) || !error.isRetryable || attempt >= maxRetries) {
        throw error;
      }
      if (options.signal?.aborted) throw error;
      const delayMs = backoffDelay(attempt + 1, error, options);
      options.onRetry?.({ attempt: attempt + 1, delayMs, error });
      await wait(delayMs, options.signal);
    }
  }
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
