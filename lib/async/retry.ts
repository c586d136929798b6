/**
 * Bounded retries with exponential backoff and jitter. What is worth retrying, and how long to
 * wait when the failure itself says (a `Retry-After`), are the caller's to decide; the loop,
 * the budget, the backoff, the report before each retry and the abort handling are here, once.
 *
 * @module
 */
import { delay as realDelay } from "./delay.ts";

/** What {@link RetryOptions.onRetry} is told before each retry. */
export interface RetryAttempt {
  /** 1-based number of the retry about to be made (the first retry is 1). */
  attempt: number;
  /** Wait before it, in milliseconds. */
  delayMs: number;
  /** The failure of the previous attempt. */
  error: unknown;
}

/** Backoff settings: the first delay and the cap. */
export interface BackoffOptions {
  /** Delay before the first retry, before jitter (default 500 ms); it doubles each retry. */
  baseDelayMs?: number;
  /** No delay is longer (default 20 000 ms). */
  maxDelayMs?: number;
}

/** Options of {@link retry}. */
export interface RetryOptions extends BackoffOptions {
  /** Retries after the first attempt (default 3). */
  maxRetries?: number;
  /** Whether a failure is worth another attempt (default: every failure is). */
  isRetryable?: (error: unknown) => boolean;
  /** The wait before retry `attempt` (default {@link backoffDelay}). */
  delayMs?: (attempt: number, error: unknown) => number;
  /** Once it aborts, no retry is made: the last failure is thrown. */
  signal?: AbortSignal;
  /** The wait itself (tests inject one that records instead of waiting). */
  delay?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Called before each retry (for logs, metrics and tests). */
  onRetry?: (info: RetryAttempt) => void;
}

/**
 * The delay before retry number `attempt` (1-based): `baseDelayMs * 2^(attempt-1)`, of which
 * the upper half is random (so clients that failed together do not retry together), capped at
 * `maxDelayMs`.
 *
 * @example
 * ```ts
 * import { backoffDelay } from "./retry.ts";
 * const ms = backoffDelay(2, { baseDelayMs: 100 });
 * console.assert(ms >= 100 && ms <= 200);
 * ```
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const base = options.baseDelayMs ?? 500;
  const max = options.maxDelayMs ?? 20_000;
  const exp = base * 2 ** (attempt - 1);
  return Math.min(exp / 2 + Math.random() * exp / 2, max);
}

/**
 * Run `fn` (told the 0-based attempt number), retrying its retryable failures up to
 * `maxRetries` times with a wait before each retry. The last failure is thrown as it is.
 *
 * @example
 * ```ts
 * import { retry } from "./retry.ts";
 * let calls = 0;
 * const value = await retry(() => ++calls < 2 ? Promise.reject(new Error("flaky")) : Promise.resolve(calls), { baseDelayMs: 1 });
 * console.assert(value === 2);
 * ```
 */
export async function retry<T>(
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const maxRetries = options.maxRetries ?? 3;
  const wait = options.delay ?? ((ms, signal) => realDelay(ms, { signal }));
  for (let attempt = 0;; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (!(options.isRetryable?.(error) ?? true) || attempt >= maxRetries) throw error;
      if (options.signal?.aborted) throw error;
      const delayMs = options.delayMs?.(attempt + 1, error) ?? backoffDelay(attempt + 1, options);
      options.onRetry?.({ attempt: attempt + 1, delayMs, error });
      await wait(delayMs, options.signal);
    }
  }
}
