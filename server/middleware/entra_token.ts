/**
 * Microsoft Entra ID bearer tokens, validated with `jose`: the signature against the tenant's
 * published keys (JWKS, fetched once, cached, fetched again when a token names a key id the
 * cache lacks, as after a key rotation), then issuer, audience, expiry and not-before. Only
 * RS256, the algorithm Entra signs access tokens with, is accepted, so a token cannot choose a
 * weaker one. Failures become 401/403 `HttpError`s saying what was wrong, never echoing the
 * token; an unreachable key endpoint is a 503, not the caller's fault.
 *
 * @module
 */
import {
  createRemoteJWKSet,
  customFetch,
  errors as joseErrors,
  type JWTPayload,
  jwtVerify,
} from "jose";
import type { EntraAuthConfig } from "../../lib/config/auth.ts";
import { HttpError } from "../errors.ts";

/** A validated token's caller. */
export interface EntraPrincipal {
  /** `sub`: the principal (for a managed identity, its object id in the tenant). */
  subject: string;
  /** `azp` or `appid`: the client application the token was issued to. */
  clientId?: string;
  /** The customer the token names (the configured claim), when it names one. */
  customerId?: string;
}

/** Options of {@link createEntraVerifier}; tests shorten the JWKS timings. */
export interface EntraVerifierOptions {
  /** Fetch for the JWKS (default the global one). */
  fetch?: typeof fetch;
  /** Minimum time between two JWKS fetches for unknown key ids (default 30 000 ms). */
  jwksCooldownMs?: number;
  /** How long fetched keys are trusted before a refetch (default 10 minutes). */
  jwksCacheMaxAgeMs?: number;
  /** Deadline of one JWKS fetch (default 5 000 ms). */
  jwksTimeoutMs?: number;
  /** Accepted clock skew for `exp` / `nbf`, in seconds (default 60). */
  clockToleranceSeconds?: number;
}

/** Validates one bearer token; throws `HttpError` 401/403/503. */
export type EntraVerifier = (token: string) => Promise<EntraPrincipal>;

const REALM = 'Bearer realm="contoso-chat"';

/** A 401 for a token that is not good, with the RFC 6750 challenge. */
export function invalidToken(message: string): HttpError {
  return new HttpError(401, "unauthorized", message, {
    headers: {
      "WWW-Authenticate": `${REALM}, error="invalid_token", error_description="${message}"`,
    },
  });
}

function forbidden(message: string): HttpError {
  return new HttpError(403, "forbidden", message, {
    headers: {
      "WWW-Authenticate": `${REALM}, error="insufficient_scope", error_description="${message}"`,
    },
  });
}

const CLAIM_MESSAGES: Record<string, string> = {
  iss: "The token was not issued by the configured tenant",
  aud: "The token is not meant for this API (audience)",
  nbf: "The token is not valid yet",
};

function toHttp(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof joseErrors.JWTExpired) return invalidToken("The token has expired");
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.reason === "missing") return invalidToken(`The token lacks the ${error.claim} claim`);
    return invalidToken(
      CLAIM_MESSAGES[error.claim] ?? `The token's ${error.claim} claim is not accepted`,
    );
  }
  if (error instanceof joseErrors.JWKSNoMatchingKey) {
    return invalidToken("The token is signed with a key the tenant does not publish");
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
    return invalidToken("The token's signature is not valid");
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed) {
    return invalidToken("The token is signed with an algorithm this API does not accept");
  }
  if (
    error instanceof joseErrors.JWSInvalid || error instanceof joseErrors.JWTInvalid ||
    error instanceof joseErrors.JOSENotSupported
  ) {
    return invalidToken("The token is malformed");
  }
  // JWKSTimeout, JWKSInvalid, a network error: the identity provider's side, retried later.
  return new HttpError(
    503,
    "upstream_error",
    "The identity provider's signing keys are unavailable; please try again",
    { headers: { "Retry-After": "5" }, cause: error },
  );
}

function stringClaim(payload: JWTPayload, name: string): string | undefined {
  const value = payload[name];
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  throw invalidToken(`The token's ${name} claim is not a single value`);
}

/**
 * Build the verifier once per process (it holds the JWKS cache).
 *
 * @example
 * ```ts ignore
 * import { createEntraVerifier } from "./entra_token.ts";
 * const verify = createEntraVerifier(config.server.auth.entra!);
 * const principal = await verify(token); // throws HttpError 401/403/503
 * ```
 */
export function createEntraVerifier(
  entra: EntraAuthConfig,
  options: EntraVerifierOptions = {},
): EntraVerifier {
  const keys = createRemoteJWKSet(new URL(entra.jwksUrl), {
    cooldownDuration: options.jwksCooldownMs ?? 30_000,
    cacheMaxAge: options.jwksCacheMaxAgeMs ?? 600_000,
    timeoutDuration: options.jwksTimeoutMs ?? 5_000,
    ...(options.fetch ? { [customFetch]: options.fetch } : {}),
  });
  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: entra.issuers,
        audience: entra.audiences,
        algorithms: ["RS256"],
        requiredClaims: ["exp", "sub"],
        clockTolerance: options.clockToleranceSeconds ?? 60,
      }));
    } catch (error) {
      throw toHttp(error);
    }
    const subject = stringClaim(payload, "sub")!;
    const clientId = stringClaim(payload, "azp") ?? stringClaim(payload, "appid");
    let customerId: string | undefined;
    if (entra.customerClaim && entra.customerClaim in payload) {
      // Present means scoped: an empty or null value must not read as "no customer" (any).
      customerId = stringClaim(payload, entra.customerClaim);
      if (customerId === undefined) {
        throw invalidToken(`The token's ${entra.customerClaim} claim is empty`);
      }
    }
    if (customerId === undefined && entra.serviceRole) {
      const roles = Array.isArray(payload.roles) ? payload.roles : [];
      if (!roles.includes(entra.serviceRole)) {
        throw forbidden(
          entra.customerClaim
            ? `The token names no customer (${entra.customerClaim} claim) and lacks the ${entra.serviceRole} role`
            : `The token lacks the ${entra.serviceRole} role`,
        );
      }
    }
    return { subject, clientId, ...(customerId !== undefined ? { customerId } : {}) };
  };
}
