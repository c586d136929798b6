/**
 * The customer store's read cache: entries are fresh for a TTL, then served stale for one more
 * TTL while a single background read refreshes them; concurrent reads of one id share a single
 * upstream call. Without this, every customer's entry expired at once under load and each
 * request in flight for that customer started its own point read: in the throughput benchmark
 * those reads queued behind the chat work for seconds and took the whole server down with them.
 *
 * @module
 */
import { abortable } from "../async/abortable.ts";

/** Options of {@link createReadCache}. */
export interface ReadCacheOptions {
  /** How long a value is fresh (ms); it is then served stale for as long again. */
  ttlMs: number;
  /** Most entries kept (oldest dropped first). */
  maxEntries: number;
  /** Clock in ms (tests pass a fake). */
  now?: () => number;
}

/** A keyed read-through cache. */
export interface ReadCache<T> {
  /** The value for `key`, loading it with `load` when there is none usable. */
  get(key: string, load: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** Forget `key` (after a write), including a read in flight. */
  delete(key: string): void;
}

interface Entry<T> {
  value: T;
  freshUntil: number;
  staleUntil: number;
}

/**
 * Create a cache.
 *
 * @example
 * ```ts
 * import { createReadCache } from "./_read_cache.ts";
 * const cache = createReadCache<number>({ ttlMs: 1000, maxEntries: 10 });
 * console.assert(await cache.get("a", () => Promise.resolve(1)) === 1);
 * ```
 */
export function createReadCache<T>(options: ReadCacheOptions): ReadCache<T> {
  const now = options.now ?? (() => performance.now());
  const entries = new Map<string, Entry<T>>();
  const inFlight = new Map<string, Promise<T>>();

  /** One shared read per key; its result is cached unless the key was deleted meanwhile. */
  const load = (key: string, loader: () => Promise<T>): Promise<T> => {
    let pending = inFlight.get(key);
    if (pending) return pending;
    pending = loader().then((value) => {
      if (inFlight.get(key) === pending) {
        entries.delete(key);
        while (entries.size >= options.maxEntries && entries.size > 0) {
          entries.delete(entries.keys().next().value as string);
        }
        const t = now();
        entries.set(key, {
          value,
          freshUntil: t + options.ttlMs,
          staleUntil: t + 2 * options.ttlMs,
        });
      }
      return value;
    }).finally(() => {
      if (inFlight.get(key) === pending) inFlight.delete(key);
    });
    inFlight.set(key, pending);
    return pending;
  };

  return {
    get(key, loader, signal) {
      const entry = entries.get(key);
      const t = now();
      if (entry && t < entry.freshUntil) return Promise.resolve(entry.value);
      if (entry && t < entry.staleUntil) {
        // Serve the stale value now; one read refreshes it. A failed refresh keeps the stale
        // value until it is too old, and then callers wait for (and see) a read of their own.
        load(key, loader).catch(() => {});
        return Promise.resolve(entry.value);
      }
      entries.delete(key);
      return abortable(load(key, loader), signal);
    },
    delete(key) {
      entries.delete(key);
      inFlight.delete(key);
    },
  };
}
