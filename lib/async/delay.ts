/**
 * A promise that resolves after a while: the one way this project waits. It wakes early, and
 * rejects with the signal's reason, when the signal aborts, so a wait never outlives the work
 * it belongs to.
 *
 * @module
 */

/** Options of {@link delay}. */
export interface DelayOptions {
  /** Aborting it rejects the wait at once with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * Resolve after `ms` milliseconds, or reject with `signal.reason` as soon as it aborts.
 *
 * @example
 * ```ts
 * import { delay } from "./delay.ts";
 * const started = performance.now();
 * await delay(5);
 * console.assert(performance.now() - started >= 4);
 * ```
 */
export function delay(ms: number, options: DelayOptions = {}): Promise<void> {
  const { signal } = options;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
