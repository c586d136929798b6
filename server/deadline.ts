/**
 * Deadlines for chat requests: one signal that fires when the client goes away or the
 * request's time budget runs out. With `abortable` (lib/async), which stops waiting on a
 * pipeline that ignores it, no request, streaming or not, hangs forever.
 *
 * @module
 */
import { timeoutError } from "../lib/errors.ts";

/** A deadline for one request. */
export interface Deadline {
  /** Fires on timeout or when `parent` fires. */
  signal: AbortSignal;
  /** True once the time budget ran out (as opposed to the client leaving). */
  readonly timedOut: boolean;
  /** Stop the timer (call when the request is finished). */
  clear(): void;
  /** Abort now (the client went away). */
  abort(reason?: unknown): void;
}

/** Start a deadline of `timeoutMs`, also following `parent` (the request's own signal). */
export function startDeadline(timeoutMs: number, parent?: AbortSignal): Deadline {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(timeoutError("chat-pipeline", { afterMs: timeoutMs }));
  }, timeoutMs);
  const onParentAbort = () => controller.abort(parent?.reason);
  if (parent?.aborted) onParentAbort();
  else parent?.addEventListener("abort", onParentAbort, { once: true });
  return {
    signal: controller.signal,
    get timedOut() {
      return timedOut;
    },
    clear() {
      clearTimeout(timer);
      parent?.removeEventListener("abort", onParentAbort);
    },
    abort(reason) {
      controller.abort(reason ?? new DOMException("The client went away", "AbortError"));
    },
  };
}
