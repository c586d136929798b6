/**
 * The Contoso Chat HTTP app: `createApp(deps)` wires already-built dependencies (configuration,
 * chat pipeline, customer store, readiness checks, logger) into a Hono app. Nothing is
 * constructed per request. Errors become HTTP in one place, `app.onError`, through
 * `toHttpError`; every error body is `{error: {code, message, requestId}}` and never carries a
 * stack. The app is an `OpenAPIHono`: routes register their zod schemas (`server/contract/*`),
 * and `/openapi.json` is generated from them on first request, so routes added after the
 * built-in ones (with `app.openapi(route, handler)`) are documented too.
 *
 * @module
 */
import type { Context } from "hono";
import { OpenAPIHono } from "@hono/zod-openapi";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { requestId } from "hono/request-id";
import { HttpError, toHttpError } from "./errors.ts";
import { createJsonLogger } from "./logger.ts";
import { accessLog } from "./middleware/access_log.ts";
import { authenticate, demoRoutes } from "./middleware/auth.ts";
import { limitBody } from "./middleware/body_limit.ts";
import { createTokenBucketLimiter, rateLimit } from "./middleware/rate_limit.ts";
import { cacheControl, headContentLength, rejectOtherMethods } from "./middleware/http_hygiene.ts";
import { corsAllowList, rejectCrossSiteWrites, securityHeaders } from "./middleware/security.ts";
import { buildOpenApi, openApiRoute, registerDocumentParts } from "./openapi.ts";
import { assetRoutes, representedBody } from "./routes/assets.ts";
import { chatApiRoutes } from "./routes/chat_api.ts";
import { healthRoutes } from "./routes/health.ts";
import { sourceRoutes } from "./routes/sources.ts";
import type { Runtime } from "../lib/runtime/types.ts";
import type { AppDeps, AppEnv } from "./types.ts";

export type { AppDeps, AppEnv } from "./types.ts";

/** Default deadline of one chat request, streaming included. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 120_000;

/**
 * The app's dependencies from a runtime: its configuration, pipeline, customer store, service
 * checks and sources, plus the process's own parts (`logger`, `version`, timeouts). What
 * `extra` names wins (a benchmark's configuration, a test's pipeline). The one place a
 * runtime becomes an app: the server, the local server of the notebooks, tests and benchmarks.
 *
 * @example
 * ```ts ignore
 * const app = createApp(runtimeDeps(runtime, { logger, version }));
 * ```
 */
export function runtimeDeps(
  runtime: Pick<Runtime, "config" | "pipeline" | "customers" | "checkServices" | "sources">,
  extra: Partial<AppDeps> = {},
): AppDeps {
  return {
    config: runtime.config,
    pipeline: runtime.pipeline,
    customers: runtime.customers,
    checkServices: (options) => runtime.checkServices(options),
    sources: runtime.sources,
    ...extra,
  };
}

/**
 * Build the app.
 *
 * @example
 * ```ts ignore
 * import { createApp } from "./app.ts";
 * const app = createApp({ config, pipeline, customers, checkServices });
 * Deno.serve(app.fetch);
 * ```
 */
export function createApp(deps: AppDeps): OpenAPIHono<AppEnv> {
  const server = deps.config.server;
  const logger = deps.logger ?? createJsonLogger();
  const version = deps.version ?? "0.0.0";
  const limiter = createTokenBucketLimiter({ perMinute: server.rateLimitPerMinute, now: deps.now });
  const authRequired = server.auth.apiKeys.length > 0 || server.auth.entra !== undefined;

  const app = new OpenAPIHono<AppEnv>();
  app.use(requestId());
  app.use(accessLog(logger));
  app.use(securityHeaders());
  app.use(corsAllowList(server.allowedOrigins));
  // Outermost first: the cache headers also reach the 405 that rejectOtherMethods makes.
  app.use(cacheControl("no-store"));
  app.use("/api/*", cacheControl("no-store", { force: true }));
  app.use(headContentLength());
  app.use(rejectOtherMethods(app));
  app.use(rejectCrossSiteWrites(server.allowedOrigins));
  app.use(demoRoutes(server.auth));

  const limitRate = rateLimit(limiter, server.rateLimitPerMinute, {
    trustedProxyHops: deps.trustedProxyHops ?? server.trustedProxyHops,
  });
  app.use("/api/*", limitRate);
  // The source pages are public, but each costs a store read: same per-client budget as /api.
  app.use("/products/*", limitRate);
  app.use("/manuals/*", limitRate);
  app.use("/api/*", authenticate(server.auth, deps.authOptions));
  app.use("/api/*", limitBody(server.maxBodyBytes, { timeoutMs: deps.bodyTimeoutMs }));

  app.route(
    "/",
    healthRoutes({
      deps,
      logger,
      version,
      readinessCacheMs: deps.readinessCacheMs ?? 10_000,
    }),
  );
  app.route(
    "/api",
    chatApiRoutes({
      deps,
      logger,
      requestTimeoutMs: deps.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      authRequired,
    }),
  );
  app.route(
    "/",
    sourceRoutes(deps.sources, { rateLimitPerMinute: server.rateLimitPerMinute }),
  );
  registerDocumentParts(app.openAPIRegistry);
  app.openAPIRegistry.registerPath(openApiRoute);
  // Compressed with an ETag like the static assets (the document is about 40 KB of JSON).
  app.get(
    openApiRoute.path,
    representedBody(() =>
      JSON.stringify(
        buildOpenApi(app, { version, authRequired, rateLimitPerMinute: server.rateLimitPerMinute }),
      ), { type: "application/json; charset=utf-8", cache: "no-cache" }),
  );
  app.route("/", assetRoutes());

  const respondWithError = (error: Error, c: Context<AppEnv>) => {
    const id = c.get("requestId");
    const mapped = toHttpError(error, id);
    // The access log line carries the code; server faults also get their own line with what
    // is needed to debug (message, cause, stack) - in the log, never in the response.
    const fields = c.get("logFields");
    if (fields) fields.errorCode = mapped.body.error.code;
    if (mapped.serverFault) {
      logger.log("error", "request failed", {
        requestId: id,
        status: mapped.status,
        error: error.name,
        detail: error.message,
        cause: error.cause instanceof Error
          ? `${error.cause.name}: ${error.cause.message}`
          : undefined,
        stack: error instanceof HttpError ? undefined : error.stack,
      });
    }
    return c.json(mapped.body, mapped.status as ContentfulStatusCode, mapped.headers);
  };
  app.notFound((c) =>
    respondWithError(
      new HttpError(404, "not_found", `No route for ${c.req.method} ${c.req.path}`),
      c,
    )
  );
  app.onError(respondWithError);

  return app;
}
