/**
 * Service routes: `GET /` (greeting with the version), `GET /health` (liveness: the process
 * answers) and `GET /ready` (readiness: every dependency answered its check recently).
 * Readiness results are reused for a few seconds so that frequent probes do not each call the
 * model. Answers are described by the contract's schemas (`server/contract/service.ts`).
 *
 * @module
 */
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import type { ServiceCheck } from "../../lib/runtime/types.ts";
import { HEADERS } from "../contract/errors.ts";
import {
  GreetingSchema,
  HealthSchema,
  type ReadinessEntry,
  ReadinessSchema,
} from "../contract/service.ts";
import type { Logger } from "../logger.ts";
import type { AppDeps, AppEnv } from "../types.ts";

/** Options of {@link healthRoutes}. */
export interface HealthOptions {
  deps: AppDeps;
  logger: Logger;
  version: string;
  readinessCacheMs: number;
  /** Longest a readiness check may take before it counts as failed. */
  checkTimeoutMs?: number;
}

export type { ReadinessEntry } from "../contract/service.ts";

const json = <S>(schema: S) => ({ "application/json": { schema } });

const rootRoute = createRoute({
  method: "get",
  path: "/",
  tags: ["service"],
  summary: "Greeting with the version and links",
  operationId: "getRoot",
  responses: {
    200: { description: "Greeting", headers: HEADERS.requestId, content: json(GreetingSchema) },
  },
});

const healthRoute = createRoute({
  method: "get",
  path: "/health",
  tags: ["service"],
  summary: "Liveness: the process answers",
  operationId: "getHealth",
  responses: {
    200: { description: "Alive", headers: HEADERS.requestId, content: json(HealthSchema) },
  },
});

const readyRoute = createRoute({
  method: "get",
  path: "/ready",
  tags: ["service"],
  summary: "Readiness: every dependency answered its check",
  operationId: "getReady",
  responses: {
    200: {
      description: "All dependencies ready",
      headers: HEADERS.requestId,
      content: json(ReadinessSchema),
    },
    503: {
      description: "At least one dependency failed; `failed` names them",
      headers: HEADERS.requestId,
      content: json(ReadinessSchema),
    },
  },
});

/** Build the service routes. */
export function healthRoutes(options: HealthOptions): OpenAPIHono<AppEnv> {
  const { deps, logger, version } = options;
  const app = new OpenAPIHono<AppEnv>();
  let cached: { at: number; checks: ServiceCheck[] } | undefined;
  let inFlight: Promise<ServiceCheck[]> | undefined;

  const runChecks = async (): Promise<ServiceCheck[]> => {
    const now = Date.now();
    if (cached && now - cached.at < options.readinessCacheMs) return cached.checks;
    // Concurrent probes share one round of checks.
    inFlight ??= deps.checkServices({
      signal: AbortSignal.timeout(options.checkTimeoutMs ?? 10_000),
    }).then((checks) => {
      cached = { at: Date.now(), checks };
      for (const check of checks.filter((c) => !c.ok)) {
        logger.log("warn", "dependency check failed", {
          service: check.service,
          backend: check.backend,
          detail: check.detail,
          fix: check.fix,
        });
      }
      return checks;
    }).finally(() => {
      inFlight = undefined;
    });
    return await inFlight;
  };

  app.openapi(rootRoute, (c) =>
    c.json({
      name: "Contoso Chat API",
      version,
      chat: "/chat",
      docs: "/docs",
      openapi: "/openapi.json",
    }, 200));

  app.openapi(healthRoute, (c) => c.json({ status: "ok" as const, version }, 200));

  app.openapi(readyRoute, async (c) => {
    let checks: ServiceCheck[];
    try {
      checks = await runChecks();
    } catch (error) {
      logger.log("error", "readiness check threw", {
        error: error instanceof Error ? error.name : "unknown",
      });
      return c.json({ status: "not_ready" as const, failed: ["checks"], checks: [] }, 503);
    }
    const entries: ReadinessEntry[] = checks.map((check) => ({
      service: check.service,
      backend: check.backend,
      ok: check.ok,
      latencyMs: Math.round(check.latencyMs),
    }));
    const failed = entries.filter((e) => !e.ok).map((e) => e.service);
    if (failed.length === 0) {
      return c.json({ status: "ready" as const, failed, checks: entries }, 200);
    }
    return c.json({ status: "not_ready" as const, failed, checks: entries }, 503);
  });

  return app;
}
