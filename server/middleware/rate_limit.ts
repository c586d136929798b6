/**
 * Per-client rate limiting with token buckets: each client may burst up to the per-minute
 * budget and refills continuously. Buckets live in a size-bounded map (least recently used
 * evicted first), so a flood of distinct addresses cannot grow memory without limit.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { HttpError } from "../errors.ts";
import type { AppEnv } from "../types.ts";

/** Options of {@link createTokenBucketLimiter}. */
export interface TokenBucketOptions {
  /** Bucket size and refill per minute. */
  perMinute: number;
  /** Most clients tracked at once (default 10 000). */
  maxClients?: number;
  /** Clock in milliseconds (default `Date.now`). */
  now?: () => number;
}

/** The outcome of one {@link TokenBucketLimiter.take}. */
export interface TakeResult {
  allowed: boolean;
  /** Whole tokens left after this request. */
  remaining: number;
  /** Seconds until one token is available again (0 when allowed). */
  retryAfterSeconds: number;
}

/** A token-bucket limiter keyed by client. */
export interface TokenBucketLimiter {
  take(key: string): TakeResult;
  /** Clients currently tracked. */
  readonly size: number;
}

/**
 * Create a limiter.
 *
 * @example
 * ```ts
 * import { createTokenBucketLimiter } from "./rate_limit.ts";
 * const limiter = createTokenBucketLimiter({ perMinute: 1, now: () => 0 });
 * console.assert(limiter.take("a").allowed && !limiter.take("a").allowed);
 * ```
 */
export function createTokenBucketLimiter(options: TokenBucketOptions): TokenBucketLimiter {
  const capacity = Math.max(1, options.perMinute);
  const perMs = capacity / 60_000;
  const maxClients = options.maxClients ?? 10_000;
  const now = options.now ?? Date.now;
  const buckets = new Map<string, { tokens: number; at: number }>();

  return {
    get size() {
      return buckets.size;
    },
    take(key) {
      const t = now();
      const previous = buckets.get(key);
      let tokens = previous
        ? Math.min(capacity, previous.tokens + (t - previous.at) * perMs)
        : capacity;
      // Re-insert so that the map's insertion order is least-recently-used first.
      buckets.delete(key);
      const allowed = tokens >= 1;
      if (allowed) tokens -= 1;
      buckets.set(key, { tokens, at: t });
      while (buckets.size > maxClients) {
        buckets.delete(buckets.keys().next().value as string);
      }
      return {
        allowed,
        remaining: Math.floor(tokens),
        retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((1 - tokens) / perMs / 1000)),
      };
    },
  };
}

/**
 * The client's address from the connection (Deno.serve's `remoteAddr`), not from headers a
 * client could forge. Behind `trustedProxyHops` reverse proxies (Azure Container Apps' ingress
 * is one) the connection is the proxy's, so the address is read from `X-Forwarded-For`,
 * counting that many entries from the right: those were appended by proxies we trust, anything
 * further left was written by the client. Requests without connection info (in-process tests)
 * share one key.
 */
export function clientAddress(
  env: AppEnv["Bindings"] | undefined,
  headers?: Headers,
  trustedProxyHops = 0,
): string {
  if (trustedProxyHops > 0 && headers) {
    const hops = (headers.get("x-forwarded-for") ?? "").split(",").map((h) => h.trim())
      .filter(Boolean);
    const entry = hops[hops.length - trustedProxyHops];
    if (entry) return entry;
  }
  return env?.remoteAddr?.hostname ?? "local";
}

/** Middleware answering 429 with `Retry-After` once a client's bucket is empty. */
export function rateLimit(
  limiter: TokenBucketLimiter,
  perMinute: number,
  options: { trustedProxyHops?: number } = {},
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method === "OPTIONS") return await next();
    const client = clientAddress(c.env, c.req.raw.headers, options.trustedProxyHops);
    const result = limiter.take(client);
    c.header("RateLimit-Limit", String(perMinute));
    c.header("RateLimit-Remaining", String(result.remaining));
    if (!result.allowed) {
      throw new HttpError(
        429,
        "rate_limited",
        `Too many requests: the limit is ${perMinute} per minute; retry in ${result.retryAfterSeconds} s`,
        { headers: { "Retry-After": String(result.retryAfterSeconds) } },
      );
    }
    await next();
  };
}
