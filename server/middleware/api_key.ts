/**
 * API keys: several accepted at once (CONTOSO_API_KEYS plus CONTOSO_API_KEY), so a key rotates
 * without downtime: add the new key, move the callers, remove the old one. A presented key is
 * compared with every configured key through SHA-256 digests of equal length, so neither the
 * time taken nor an early exit says how much of a key, or which key, was right.
 *
 * @module
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { HttpError } from "../errors.ts";
import type { AppEnv } from "../types.ts";

/** Finds which configured key a request presents. */
export interface ApiKeyMatcher {
  /** How many keys are accepted. */
  readonly size: number;
  /** The position of the matching key, or -1. Takes the same time whichever key matches. */
  match(presented: string): number;
}

const digest = (text: string) => createHash("sha256").update(text, "utf8").digest();

/**
 * Build a matcher for the accepted keys (hashed once, here).
 *
 * @example
 * ```ts
 * import { createApiKeyMatcher } from "./api_key.ts";
 * const keys = createApiKeyMatcher(["new-0123456789abcdef", "old-0123456789abcdef"]);
 * console.assert(keys.match("old-0123456789abcdef") === 1);
 * console.assert(keys.match("guess") === -1);
 * ```
 */
export function createApiKeyMatcher(keys: readonly string[]): ApiKeyMatcher {
  const digests = keys.map(digest);
  return {
    size: digests.length,
    match(presented) {
      const candidate = digest(presented);
      let found = -1;
      // No early exit: every key is compared whatever matched before.
      for (let i = 0; i < digests.length; i++) {
        if (timingSafeEqual(candidate, digests[i]) && found === -1) found = i;
      }
      return found;
    },
  };
}

/** Constant-time comparison of two strings (through equal-length digests). */
export function safeEqual(actual: string, expected: string): boolean {
  return timingSafeEqual(digest(actual), digest(expected));
}

/** The credential a request presents: an `x-api-key` header or an `Authorization: Bearer` value. */
export type PresentedCredential =
  | { kind: "api-key"; value: string }
  | { kind: "bearer"; value: string }
  | { kind: "none" }
  | { kind: "malformed"; scheme: string };

/** Read the credential of a request's headers (`x-api-key` wins over `Authorization`). */
export function presentedCredential(headers: Headers): PresentedCredential {
  const key = headers.get("x-api-key")?.trim();
  if (key) return { kind: "api-key", value: key };
  const authorization = headers.get("authorization")?.trim();
  if (!authorization) return { kind: "none" };
  const match = /^Bearer\s+(\S+)$/i.exec(authorization);
  if (match) return { kind: "bearer", value: match[1] };
  return { kind: "malformed", scheme: authorization.split(/\s/, 1)[0].slice(0, 20) };
}

/** The key a request presents, if any (`x-api-key`, or a Bearer value). */
export function presentedKey(headers: Headers): string | undefined {
  const credential = presentedCredential(headers);
  return credential.kind === "api-key" || credential.kind === "bearer"
    ? credential.value
    : undefined;
}

/**
 * Middleware rejecting requests without one of the keys (401). Kept for callers built before
 * `authenticate` (auth.ts), which also accepts Entra ID tokens and should be preferred.
 */
export function requireApiKey(...keys: string[]): MiddlewareHandler<AppEnv> {
  const matcher = createApiKeyMatcher(keys);
  return async (c, next) => {
    if (c.req.method === "OPTIONS") return await next();
    const key = presentedKey(c.req.raw.headers);
    if (key === undefined || matcher.match(key) < 0) {
      throw new HttpError(
        401,
        "unauthorized",
        key === undefined
          ? "An API key is required: send it as x-api-key or Authorization: Bearer"
          : "The API key is not valid",
        { headers: { "WWW-Authenticate": 'Bearer realm="contoso-chat"' } },
      );
    }
    await next();
  };
}
