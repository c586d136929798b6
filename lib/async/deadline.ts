/**
 * A time budget for one piece of async work. The work gets a signal that aborts when the
 * budget runs out (or the caller's own signal aborts), and the wait ends at the deadline even
 * when the work ignores its signal: a stalled response body or an idle stream cannot hang the
 * caller. Every timeout in this project is built with it.
 *
 * @module
 */

/** Options of {@link deadline}. */
export interface DeadlineOptions {
  /** The caller's signal: its abort reaches the work through the work's signal. */
  signal?: AbortSignal;
  /**
   * The error for a missed deadline (the work's abort reason and the rejection). Default: a
   * `DOMException` named `TimeoutError`, as `AbortSignal.timeout` uses.
   */
  error?: () => unknown;
}

/** The error of a missed deadline when the caller names none. */
function timeoutException(): DOMException {
  return new DOMException("Signal timed out.", "TimeoutError");
}

/**
 * Run `fn` with at most `ms` milliseconds to settle. At the deadline its signal aborts with the
 * timeout error and the returned promise rejects with the same error; an abort of
 * `options.signal` is passed to `fn` through its signal, and `fn` decides how it ends.
 *
 * @example
 * ```ts
 * import { deadline } from "./deadline.ts";
 * const late = deadline(() => new Promise<void>(() => {}), 5, { error: () => new Error("late") });
 * await late.catch((e) => console.assert(e.message === "late"));
 * ```
 */
export async function deadline<T>(
  fn: (signal: AbortSignal) => Promise<T>,
  ms: number,
  options: DeadlineOptions = {},
): Promise<T> {
  const timer = new AbortController();
  let expire: (error: unknown) => void = () => {};
  const expired = new Promise<never>((_, reject) => {
    expire = reject;
  });
  const id = setTimeout(() => {
    const error = (options.error ?? timeoutException)();
    // Reject first, so the timeout wins over whatever the work throws when it sees the abort.
    expire(error);
    timer.abort(error);
  }, ms);
  const signal = options.signal ? AbortSignal.any([options.signal, timer.signal]) : timer.signal;
  try {
    return await Promise.race([fn(signal), expired]);
  } finally {
    clearTimeout(id);
  }
}
