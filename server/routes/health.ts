/**
 * Service routes: `GET /` (greeting with the version), `GET /health` (liveness: the process
 * answers) and `GET /ready` (readiness: every dependency answered its check recently).
 * Readiness results are reused for a few seconds so that frequent probes do not each call the
 * model.
 *
 * @module
 */
import { Hono } from "hono";
import type { ServiceCheck } from "../../lib/runtime/types.ts";
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

/** One dependency in the `/ready` answer (no error text: that goes to the log). */
export interface ReadinessEntry {
  service: string;
  backend: string;
  ok: boolean;
  latencyMs: number;
}

/** Build the service routes. */
export function healthRoutes(options: HealthOptions): Hono<AppEnv> {
  const { deps, logger, version } = options;
  const app = new Hono<AppEnv>();
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

  app.get("/", (c) =>
    c.json({
      name: "Contoso Chat API",
      version,
      chat: "/chat",
      docs: "/docs",
      openapi: "/openapi.json",
    }));

  app.get("/health", (c) => c.json({ status: "ok", version }));

  app.get("/ready", async (c) => {
    let checks: ServiceCheck[];
    try {
      checks = await runChecks();
    } catch (error) {
      logger.log("error", "readiness check threw", {
        error: error instanceof Error ? error.name : "unknown",
      });
      return c.json({ status: "not_ready", failed: ["checks"], checks: [] }, 503);
    }
    const entries: ReadinessEntry[] = checks.map((check) => ({
      service: check.service,
      backend: check.backend,
      ok: check.ok,
      latencyMs: Math.round(check.latencyMs),
    }));
    const failed = entries.filter((e) => !e.ok).map((e) => e.service);
    return c.json(
      { status: failed.length === 0 ? "ready" : "not_ready", failed, checks: entries },
      failed.length === 0 ? 200 : 503,
    );
  });

  return app;
}
