/**
 * Async helpers, in the manner of Deno's standard library `async`: {@link abortable} (stop
 * waiting when a signal aborts), {@link deadline} (a time budget for one piece of work),
 * {@link delay} (an abortable wait), {@link retry} (bounded retries with backoff) and
 * {@link forEachConcurrent} (a bounded worker pool). Every wait, timeout, retry loop and pool
 * in the project is one of these.
 *
 * @module
 */
export * from "./abortable.ts";
export * from "./deadline.ts";
export * from "./delay.ts";
export * from "./pool.ts";
export * from "./retry.ts";
