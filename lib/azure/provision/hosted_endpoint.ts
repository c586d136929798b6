/**
 * The hosted endpoint and the API key to call it with, one rule for `deno task deploy | smoke`
 * and notebook 5: each from the environment the task or notebook read first, else from the azd
 * environment. `deploySmoke` applies it when a plan runs: the key is known before the deploy,
 * the URL (and, if still missing, the key) read from the azd environment after `azd deploy`.
 *
 * @module
 */
import { clientApiKey } from "../../config/auth.ts";
import { readAzdValues } from "../azd_env.ts";
import type { CommandRunner } from "../runner.ts";
import type { PlanExecuteOptions } from "./execute.ts";
import type { SmokeOptions } from "./smoke.ts";

/** Where the hosted API is, and the first API key it accepts (either may be unknown). */
export interface HostedEndpoint {
  /** `SERVICE_API_URI`. */
  url?: string;
  /** The first of `CONTOSO_API_KEYS` / `CONTOSO_API_KEY`. */
  apiKey?: string;
}

/**
 * The hosted endpoint from the environment `env`, else from the azd environment's `values`.
 *
 * @example
 * ```ts
 * import { hostedEndpoint } from "./hosted_endpoint.ts";
 * const endpoint = hostedEndpoint({}, { SERVICE_API_URI: "https://ca-api.example.test" });
 * console.assert(endpoint.url === "https://ca-api.example.test" && endpoint.apiKey === undefined);
 * ```
 */
export function hostedEndpoint(
  env: Readonly<Record<string, string | undefined>>,
  values: Readonly<Record<string, string | undefined>> = {},
): HostedEndpoint {
  return {
    url: env.SERVICE_API_URI ?? values.SERVICE_API_URI,
    apiKey: clientApiKey(env) ?? clientApiKey(values),
  };
}

/** Options of {@linkcode deploySmoke}. */
export interface DeploySmokeOptions {
  /** Runs `azd env get-values` once the deployment is done. */
  runner: CommandRunner;
  /** Where azd runs (the repository root). */
  cwd?: string;
  /** The environment the task or notebook read: its API key comes first. */
  env: Record<string, string | undefined>;
  /** The azd environment's values as the preflight read them (the next place for a key). */
  values?: Record<string, string | undefined>;
}

/**
 * The `smoke` and `resolveSmokeUrl` options of `executePlan` for azd environment `envName`.
 *
 * @example
 * ```ts
 * import { createFakeRunner } from "../runner.ts";
 * import { deploySmoke } from "./hosted_endpoint.ts";
 * const runner = createFakeRunner({
 *   "azd env get-values": { stdout: 'SERVICE_API_URI="https://api.example.test"\n' },
 * });
 * const { smoke, resolveSmokeUrl } = deploySmoke("dev", { runner, env: {} });
 * console.assert((await resolveSmokeUrl()) === "https://api.example.test");
 * console.assert(smoke.apiKey === undefined);
 * ```
 */
export function deploySmoke(
  envName: string,
  options: DeploySmokeOptions,
): { smoke: SmokeOptions; resolveSmokeUrl: NonNullable<PlanExecuteOptions["resolveSmokeUrl"]> } {
  const smoke: SmokeOptions = { apiKey: hostedEndpoint(options.env, options.values).apiKey };
  return {
    smoke,
    resolveSmokeUrl: async () => {
      const values = await readAzdValues(options.runner, { envName, cwd: options.cwd });
      if (!values) return undefined;
      smoke.apiKey ??= clientApiKey(values);
      return values.SERVICE_API_URI;
    },
  };
}
