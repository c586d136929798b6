/**
 * Who is calling: `authenticate(auth)` runs on `/api/*`, checks the request's credential (an
 * API key, or a Microsoft Entra ID bearer token) and puts a {@link Caller} on the context;
 * routes ask {@link assertMayActFor} before acting for a customer. `demoRoutes(auth)` hides the
 * customer list and the chat page unless they are enabled. With no method configured (dev
 * without keys) every caller is anonymous; production cannot start that way (lib/config/auth.ts).
 *
 * @module
 */
import type { Context, MiddlewareHandler } from "hono";
import type { AuthConfig } from "../../lib/config/auth.ts";
import { HttpError } from "../errors.ts";
import type { AppEnv } from "../types.ts";
import { createApiKeyMatcher, presentedCredential } from "./api_key.ts";
import {
  createEntraVerifier,
  type EntraVerifier,
  type EntraVerifierOptions,
  invalidToken,
} from "./entra_token.ts";

/** The authenticated caller of one request. */
export type Caller =
  | { kind: "anonymous" }
  | {
    kind: "api-key"; /** Which configured key matched (its position, never the key). */
    keyIndex: number;
  }
  | {
    kind: "entra";
    subject: string;
    /** The client application the token was issued to (`azp` / `appid`). */
    clientId?: string;
    /** The customer the token names (the configured claim), when it names one. */
    customerId?: string;
  };

/** The caller of this request (anonymous when no authentication ran). */
export function callerOf(c: Context<AppEnv>): Caller {
  return c.get("caller") ?? { kind: "anonymous" };
}

/**
 * Throw a 403 `HttpError` when the caller may not act for `customerId` (a token that names
 * another customer). Called by routes once the request is validated.
 */
export function assertMayActFor(c: Context<AppEnv>, customerId: string): void {
  const caller = callerOf(c);
  if (
    caller.kind === "entra" && caller.customerId !== undefined && caller.customerId !== customerId
  ) {
    // The message does not say whether the other customer exists.
    throw new HttpError(403, "forbidden", "This token may only act for its own customer");
  }
}

/** Test hooks of {@link authenticate}: the JWKS fetch and its timings. */
export type AuthenticateOptions = EntraVerifierOptions;

const CHALLENGE = 'Bearer realm="contoso-chat"';

function missing(auth: AuthConfig): HttpError {
  const ways = [
    auth.apiKeys.length > 0 ? "an API key as x-api-key" : "",
    auth.entra ? "a Microsoft Entra ID access token as Authorization: Bearer" : "",
  ].filter(Boolean).join(" or ");
  return new HttpError(401, "unauthorized", `Authentication is required: send ${ways}`, {
    headers: { "WWW-Authenticate": CHALLENGE },
  });
}

const badKey = () =>
  new HttpError(401, "unauthorized", "The API key is not valid", {
    headers: { "WWW-Authenticate": CHALLENGE },
  });

// Three base64url segments: a JWS compact serialization, told apart from an opaque API key.
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * Middleware authenticating `/api/*` requests. Built once per app: it holds the hashed keys
 * and the JWKS cache.
 *
 * @example
 * ```ts ignore
 * app.use("/api/*", authenticate(config.server.auth));
 * ```
 */
export function authenticate(
  auth: AuthConfig,
  options: AuthenticateOptions = {},
): MiddlewareHandler<AppEnv> {
  const keys = createApiKeyMatcher(auth.apiKeys);
  const verify: EntraVerifier | undefined = auth.entra
    ? createEntraVerifier(auth.entra, options)
    : undefined;
  const open = keys.size === 0 && verify === undefined;
  if (open && auth.required) {
    throw new TypeError(
      "Authentication is required but neither API keys nor Entra ID tokens are configured",
    );
  }

  return async (c, next) => {
    // Preflights carry no credentials; CORS answers them.
    if (open || c.req.method === "OPTIONS") return await next();
    const credential = presentedCredential(c.req.raw.headers);
    let caller: Caller;
    if (credential.kind === "none") throw missing(auth);
    if (credential.kind === "malformed") {
      throw new HttpError(
        401,
        "unauthorized",
        credential.scheme
          ? `The Authorization scheme "${credential.scheme}" is not accepted: use Bearer`
          : "The Authorization header is not accepted: use Bearer",
        { headers: { "WWW-Authenticate": CHALLENGE } },
      );
    }
    if (credential.kind === "bearer" && verify && JWT_SHAPE.test(credential.value)) {
      caller = { kind: "entra", ...(await verify(credential.value)) };
    } else if (credential.kind === "api-key" && keys.size === 0) {
      throw new HttpError(
        401,
        "unauthorized",
        "API keys are not accepted here: send a Microsoft Entra ID access token as Authorization: Bearer",
        { headers: { "WWW-Authenticate": CHALLENGE } },
      );
    } else if (keys.size > 0) {
      const keyIndex = keys.match(credential.value);
      if (keyIndex < 0) throw badKey();
      caller = { kind: "api-key", keyIndex };
    } else {
      throw invalidToken("The bearer value is not a token");
    }
    if (caller.kind === "entra" && caller.customerId !== undefined && isDemoRoute(c.req.path)) {
      // The customer list names every customer: not for a caller limited to one.
      throw new HttpError(403, "forbidden", "This token may only act for its own customer");
    }
    c.set("caller", caller);
    const fields = c.get("logFields");
    if (fields) {
      fields.caller = caller.kind === "api-key" ? `api-key#${caller.keyIndex}` : caller.kind;
      if (caller.kind === "entra" && caller.clientId) fields.callerClientId = caller.clientId;
    }
    await next();
  };
}

/** Whether a path is one of the demo routes (the customer list, the chat page and its files). */
export function isDemoRoute(path: string): boolean {
  return path === "/api/customers" || path === "/chat" || path.startsWith("/chat/");
}

/**
 * Middleware hiding the demo routes (404, as if absent) unless `auth.demoRoutes`. When they are
 * on, `authenticate` still refuses the customer list to a token that names one customer (403).
 */
export function demoRoutes(auth: AuthConfig): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!isDemoRoute(c.req.path)) return await next();
    if (!auth.demoRoutes) {
      throw new HttpError(404, "not_found", `No route for ${c.req.method} ${c.req.path}`);
    }
    await next();
  };
}
