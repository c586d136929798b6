/**
 * One structured log line per request: request id, method, route path (never the query
 * string, which carries the question), status, latency, and the ids a route chose to add
 * through `logFields`. Never bodies, answers or contact details.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import type { Logger } from "../logger.ts";
import type { AppEnv } from "../types.ts";

/** Middleware writing the access log line after the response is ready. */
export function accessLog(logger: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    c.set("logFields", {});
    await next();
    const status = c.res.status;
    logger.log(status >= 500 ? "error" : status >= 400 ? "warn" : "info", "request", {
      requestId: c.get("requestId"),
      method: c.req.method,
      path: c.req.path.length > 200 ? `${c.req.path.slice(0, 200)}…` : c.req.path,
      status,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
      ...c.get("logFields"),
    });
  };
}
