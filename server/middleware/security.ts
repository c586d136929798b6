/**
 * Browser-facing security: secure response headers with a Content Security Policy that lets
 * the chat page and the API docs run entirely from this origin (no CDN, no inline script),
 * CORS limited to the configured allow-list (never `*`, no credentials), and a cross-site
 * write guard: a browser request that changes state (POST and the like) from an origin that
 * is neither this one nor allow-listed is 403 before anything runs. CORS alone does not stop
 * that: a "simple" cross-site form POST (query parameters, empty or form body) needs no
 * preflight, so the browser sends it and the server would run the model for another site.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { secureHeaders } from "hono/secure-headers";
import { HttpError } from "../errors.ts";
import type { AppEnv } from "../types.ts";

/** The Content Security Policy of every response. */
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  // Swagger UI sets style attributes from its bundle; no external style is ever allowed.
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", "data:"],
  fontSrc: ["'self'", "data:"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/** Secure headers middleware (CSP, nosniff, frame and referrer policies, HSTS). */
export function securityHeaders(): MiddlewareHandler<AppEnv> {
  return secureHeaders({
    contentSecurityPolicy: CONTENT_SECURITY_POLICY,
    xFrameOptions: "DENY",
    referrerPolicy: "no-referrer",
    permissionsPolicy: { camera: [], microphone: [], geolocation: [] },
  });
}

/** CORS for the allow-listed origins only; other origins get no CORS headers at all. */
export function corsAllowList(allowedOrigins: readonly string[]): MiddlewareHandler<AppEnv> {
  const allowed = new Set(allowedOrigins.map((o) => o.replace(/\/$/, "")));
  return cors({
    origin: (origin) => (allowed.has(origin) ? origin : null),
    allowMethods: ["GET", "POST", "OPTIONS"],
    allowHeaders: ["Content-Type", "Authorization", "X-API-Key", "X-Request-Id", "Accept"],
    exposeHeaders: ["X-Request-Id", "Retry-After", "RateLimit-Limit", "RateLimit-Remaining"],
    credentials: false,
    maxAge: 600,
  });
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Reject browser writes from other sites (403). Decided from what browsers send and pages
 * cannot forge: `Sec-Fetch-Site: same-origin` (or `none`, typed by the user) passes; otherwise
 * an `Origin` must be this server's own (its host, as the client addressed it) or one of
 * `allowedOrigins`; `Origin: null` (sandboxed frames, some redirects) never passes. A request
 * with neither header is not from a browser page (curl, the storefront backend) and is left to
 * authentication.
 *
 * @example
 * ```ts ignore
 * app.use(rejectCrossSiteWrites(["https://shop.example.com"]));
 * ```
 */
export function rejectCrossSiteWrites(
  allowedOrigins: readonly string[],
): MiddlewareHandler<AppEnv> {
  const allowed = new Set(allowedOrigins.map((o) => o.replace(/\/$/, "").toLowerCase()));
  return async (c, next) => {
    if (SAFE_METHODS.has(c.req.method)) return await next();
    const headers = c.req.raw.headers;
    const site = headers.get("sec-fetch-site")?.toLowerCase();
    const origin = headers.get("origin")?.toLowerCase();
    if (site === "same-origin" || site === "none") return await next();
    if (origin === undefined) {
      if (site === undefined) return await next();
      throw forbidden();
    }
    if (allowed.has(origin) || isOwnOrigin(origin, c.req.url, headers)) return await next();
    throw forbidden();
  };
}

// The origin is the client's text: never echoed back.
const forbidden = () =>
  new HttpError(
    403,
    "forbidden",
    "Requests from other sites are not allowed: call the API from an allowed origin or a backend",
  );

/** True when `origin` names the host the client sent this request to. */
function isOwnOrigin(origin: string, url: string, headers: Headers): boolean {
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return false;
  }
  // Deno builds the request URL from the Host header, which the ingress keeps;
  // X-Forwarded-Host covers proxies that rewrite it (a page cannot set either on a cross-site
  // request without a preflight).
  const forwarded = headers.get("x-forwarded-host")?.split(",")[0].trim().toLowerCase();
  return host === new URL(url).host || (forwarded !== undefined && host === forwarded);
}
