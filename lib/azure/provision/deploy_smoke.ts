/**
 * The smoke test's settings when a plan runs, the same for `deno task deploy` and notebook 5:
 * the API key the deployed app accepts (from the process environment, else from the azd
 * environment the preflight read) and, when the plan has no URL yet, the endpoint read from the
 * azd environment after `azd deploy` (whose values may also supply the key for the first time).
 *
 * @module
 */
import { clientApiKey } from "../../config/auth.ts";
import { parseAzdValues } from "../azd_env.ts";
import type { CommandRunner } from "../runner.ts";
import type { PlanExecuteOptions } from "./execute.ts";
import type { SmokeOptions } from "./smoke.ts";

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
 * import { deploySmoke } from "./deploy_smoke.ts";
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
  const smoke: SmokeOptions = {
    apiKey: clientApiKey(options.env) ?? clientApiKey(options.values ?? {}),
  };
  return {
    smoke,
    resolveSmokeUrl: async () => {
      const got = await options.runner.run("azd", ["env", "get-values", "--environment", envName], {
        cwd: options.cwd,
      });
      if (got.code !== 0) return undefined;
      const values = parseAzdValues(got.stdout);
      smoke.apiKey ??= clientApiKey(values);
      return values.SERVICE_API_URI;
    },
  };
}
