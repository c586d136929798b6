/**
 * HTTP semantics the routes should not each repeat: API answers are never stored by a browser
 * or a proxy (`Cache-Control: no-store`: they carry customer names and orders), a `HEAD`
 * answers with the `Content-Length` its `GET` would have, a known path asked with another
 * method is 405 with `Allow` (not 404), and `If-None-Match` against an entity tag (used by the
 * static assets and anything else that sets `ETag`).
 *
 * @module
 */
import type { Hono, MiddlewareHandler } from "hono";
import { methodNotAllowed } from "hono/method-not-allowed";
import { HttpError } from "../errors.ts";
import type { AppEnv } from "../types.ts";

/**
 * Set `Cache-Control` on responses that have none: `no-store` by default. With
 * `{ force: true }` it replaces whatever the route set (the `/api/*` answers, streams included;
 * a `no-transform` is kept).
 *
 * @example
 * ```ts ignore
 * app.use("/api/*", cacheControl("no-store", { force: true }));
 * app.use(cacheControl("no-store"));
 * ```
 */
export function cacheControl(
  value = "no-store",
  options: { force?: boolean } = {},
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    const current = c.res.headers.get("Cache-Control");
    if (current === null) c.res.headers.set("Cache-Control", value);
    else if (options.force) {
      // no-transform (event streams) still asks proxies not to buffer or re-encode.
      const keep = /\bno-transform\b/i.test(current) ? ", no-transform" : "";
      c.res.headers.set("Cache-Control", value + keep);
    }
  };
}

/**
 * Give a `HEAD` response the `Content-Length` of the body its `GET` produced (Hono drops the
 * body afterwards; without a length Deno would announce 0). Streams (`text/event-stream`) are
 * left alone: their length is not known.
 */
export function headContentLength(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    if (c.req.method !== "HEAD" || !c.res.body || c.res.headers.has("Content-Length")) return;
    if (/^text\/event-stream/i.test(c.res.headers.get("Content-Type") ?? "")) return;
    const length = (await c.res.clone().arrayBuffer()).byteLength;
    c.res.headers.set("Content-Length", String(length));
  };
}

/**
 * 405 with `Allow` (through `app.onError`, so the body is the API's error shape) when the path
 * is a route of `app` but not for this method; Hono's `methodNotAllowed` finds the methods.
 *
 * @example
 * ```ts ignore
 * app.use(rejectOtherMethods(app)); // POST /health -> 405, Allow: GET, HEAD
 * ```
 */
export function rejectOtherMethods(app: Hono<AppEnv>): MiddlewareHandler<AppEnv> {
  return methodNotAllowed({
    app,
    onMethodNotAllowed: (c, methods) => {
      const allow = [...new Set([...methods, "OPTIONS"])].join(", ");
      throw new HttpError(
        405,
        "method_not_allowed",
        `Use ${methods.join(" or ")} for ${c.req.path}, not ${c.req.method}`,
        { headers: { Allow: allow } },
      );
    },
  });
}

/**
 * True when an `If-None-Match` header value matches `etag` (weak comparison, as RFC 9110 asks
 * for `If-None-Match`; `*` matches any current representation).
 *
 * @example
 * ```ts
 * import { etagMatches } from "./http_hygiene.ts";
 * console.assert(etagMatches('W/"a1", "b2"', '"b2"'));
 * ```
 */
export function etagMatches(ifNoneMatch: string | undefined | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === "*") return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, "");
  const wanted = opaque(etag);
  return ifNoneMatch.split(",").some((tag) => opaque(tag) === wanted);
}
