/**
 * API keys: several accepted at once (CONTOSO_API_KEYS plus CONTOSO_API_KEY), so a key rotates
 * without downtime: add the new key, move the callers, remove the old one. A presented key is
 * compared with every configured key through SHA-256 digests of equal length, so neither the
 * time taken nor an early exit says how much of a key, or which key, was right.
 *
 * @module
 */
import { createHash, timingSafeEqual } from "node:crypto";

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
  // Only a scheme-like word is kept (for the error message): never a pasted credential.
  const scheme = authorization.split(/\s/, 1)[0];
  return { kind: "malformed", scheme: /^[A-Za-z][A-Za-z0-9-]{0,19}$/.test(scheme) ? scheme : "" };
}
