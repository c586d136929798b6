/**
 * Stop waiting on a promise when a signal aborts. The promise itself runs on (a promise cannot
 * be cancelled); only the wait ends, so a caller that gave up is never held by work that
 * ignores its signal.
 *
 * @module
 */

/**
 * Resolve or reject as `promise` does, or reject with `signal.reason` as soon as the signal
 * aborts, whichever comes first. Without a signal it is `promise` itself.
 *
 * @example
 * ```ts
 * import { abortable } from "./abortable.ts";
 * const never = new Promise<number>(() => {});
 * const controller = new AbortController();
 * const waiting = abortable(never, controller.signal);
 * controller.abort(new Error("gave up"));
 * await waiting.catch((e) => console.assert(e.message === "gave up"));
 * ```
 */
export function abortable<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
