/**
 * The server's composition root. Parses the configuration once, builds every client once
 * (`createRuntime`), builds the app, serves it, and stops gracefully on SIGTERM/SIGINT.
 *
 * - `deno task start` (`--dev`): whatever is configured, embedded defaults for the rest, and a
 *   banner naming the backend of each part and the URLs of the chat page and API docs.
 * - `deno task serve` (`--production`, the container's command): every part must be on Azure
 *   and callers must authenticate (API keys or Entra ID tokens, docs/security.md); otherwise it
 *   exits with status 1, listing every missing variable.
 *
 * @module
 */
import denoJson from "../deno.json" with { type: "json" };
// Narrow imports, not lib/mod.ts: the notebook-only modules (charts, DOM) and the Azure-only
// SDKs (loaded below when configured) would add about half a second to start-up.
import { EXIT, exitCodeFor } from "../lib/cli/exit.ts";
import { ConfigError, loadConfig, readEnvironment } from "../lib/config/mod.ts";
import type { Config } from "../lib/config/types.ts";
import { createRuntime, loadCredential } from "../lib/runtime/mod.ts";
import type { TraceExport } from "../lib/tracing/azure_monitor.ts";
import type { TokenCredential } from "@azure/identity";
import { createApp, runtimeDeps } from "./app.ts";
import { formatBanner } from "./banner.ts";
import { createJsonLogger } from "./logger.ts";
import { onShutdownSignal, startServer } from "./serve.ts";

const USAGE = `Usage: deno run -A server/main.ts [--dev | --production]

  --dev         embedded defaults for anything not configured (default; deno task start)
  --production  require the Azure configuration, refuse to start without it (deno task serve)`;

/**
 * What `deno task start` sets unless the environment does: the offline model streams its words
 * with a short pause (OFFLINE_STREAM_DELAY_MS), so a learner sees the answer being written.
 */
export const DEV_DEFAULTS: Readonly<Record<string, string>> = { OFFLINE_STREAM_DELAY_MS: "25" };

function withDevDefaults(env: Record<string, string | undefined>) {
  const defaults = Object.entries(DEV_DEFAULTS).filter(([name]) => env[name] === undefined);
  return { ...env, ...Object.fromEntries(defaults) };
}

/** Run the server until a shutdown signal. Returns the process exit code. */
export async function main(args: string[]): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    console.log(USAGE);
    return EXIT.ok;
  }
  const unknown = args.filter((a) => a !== "--dev" && a !== "--production");
  if (unknown.length > 0 || (args.includes("--dev") && args.includes("--production"))) {
    console.error(`Unknown or conflicting arguments: ${args.join(" ")}\n\n${USAGE}`);
    return EXIT.usage;
  }
  const mode = args.includes("--production") ? "production" : "dev";
  const version = denoJson.version ?? "0.0.0";
  const logger = createJsonLogger();
  const env = readEnvironment();

  let config: Config;
  try {
    config = loadConfig(mode === "dev" ? withDevDefaults(env) : env, {
      requireAzure: mode === "production",
    });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(
      `Contoso Chat cannot start in ${mode} mode: the configuration is incomplete.\n` +
        error.problems.map((p) => `  - ${p}`).join("\n") +
        (mode === "production"
          ? "\nSet these variables (azd sets the Azure ones from the infra/ outputs; who may " +
            "call the API is described in docs/security.md), or run `deno task start` for the " +
            "embedded defaults."
          : ""),
    );
    return exitCodeFor(error); // 2, as for every command: bad input, retrying cannot help
  }

  logger.log("info", "starting", { mode, version });
  const auth = config.server.auth;
  // Names and counts only: which methods are on, never a key.
  logger.log("info", "authentication", {
    apiKeys: auth.apiKeys.length,
    entraId: auth.entra ? { audiences: auth.entra.audiences, issuers: auth.entra.issuers } : false,
    customerClaim: auth.entra?.customerClaim,
    serviceRole: auth.entra?.serviceRole,
    demoRoutes: auth.demoRoutes,
  });
  if (auth.entra && !auth.entra.serviceRole && mode === "production") {
    logger.log(
      "warn",
      "any principal of the tenant with a token for this API may act for every customer",
      {
        fix:
          "set CONTOSO_AUTH_SERVICE_ROLE, or require assignment on the API's enterprise application",
      },
    );
  }
  // One credential for the process: Application Insights (Entra ID ingestion) and the clients.
  let credential: TokenCredential | undefined;
  let tracing: TraceExport | undefined;
  if (config.applicationInsightsConnectionString) {
    const [loaded, { startAzureMonitorExport }] = await Promise.all([
      loadCredential(config, true),
      import("../lib/tracing/azure_monitor.ts"),
    ]);
    credential = loaded;
    tracing = startAzureMonitorExport(config.applicationInsightsConnectionString, {
      credential,
      serviceVersion: version,
    });
  }
  if (tracing) logger.log("info", "exporting traces to Application Insights");
  let runtime;
  try {
    runtime = await createRuntime(config, {
      credential,
      onDataProblem: (problem) => logger.log("warn", "data record skipped", { ...problem }),
    });
  } catch (error) {
    console.error(
      `Contoso Chat cannot start: ${error instanceof Error ? error.message : String(error)}`,
    );
    return EXIT.failed;
  }

  const app = createApp(runtimeDeps(runtime, { logger, version }));

  const server = startServer(app, {
    port: config.server.port,
    logger,
    onListen: (addr) => {
      const url = `http://localhost:${addr.port}`;
      const codespace = env.CODESPACE_NAME;
      const domain = env.GITHUB_CODESPACES_PORT_FORWARDING_DOMAIN;
      const publicUrl = codespace && domain
        ? `https://${codespace}-${addr.port}.${domain}`
        : undefined;
      if (mode === "dev") {
        console.log(formatBanner({ mode, version, config, url, publicUrl }));
      }
      logger.log("info", "listening", { mode, version, port: addr.port, url });
    },
  });

  const stopped = new Promise<number>((resolve) => {
    const removeListeners = onShutdownSignal(async (signal) => {
      logger.log("info", "shutting down", { signal });
      const { graceful } = await server.shutdown();
      await runtime.close();
      await tracing?.shutdown();
      removeListeners();
      logger.log("info", "stopped", { graceful });
      resolve(0);
    });
  });
  return await stopped;
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
