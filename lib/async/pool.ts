/**
 * A bounded worker pool: run an async function over items with at most `limit` in flight,
 * starting the next item the moment one finishes (no batching, so one slow item never holds a
 * whole batch back). Stops taking new items once the signal aborts.
 *
 * @module
 */

/** Options of {@link forEachConcurrent}. */
export interface PoolOptions {
  /** Once it aborts, no new item starts (the ones in flight finish). */
  signal?: AbortSignal;
}

/**
 * Run `fn` over `items` with at most `limit` calls in flight. Resolves when every started call
 * has settled; a rejection of `fn` rejects the whole pool (callers catch inside `fn`).
 *
 * @example
 * ```ts
 * import { forEachConcurrent } from "./pool.ts";
 * const seen: number[] = [];
 * await forEachConcurrent([1, 2, 3], 2, async (n) => { seen.push(n); });
 * console.assert(seen.length === 3);
 * ```
 */
export async function forEachConcurrent<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<void>,
  options: PoolOptions = {},
): Promise<void> {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`Cannot run with concurrency ${limit}: it must be a whole number >= 1`);
  }
  let next = 0;
  const worker = async () => {
    while (next < items.length && !options.signal?.aborted) {
      const index = next++;
      await fn(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
