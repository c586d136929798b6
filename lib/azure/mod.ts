/**
 * Azure provisioning and deployment behind `deno task provision | deploy | teardown` and the
 * first and last notebooks, one responsibility per part: `preflight/` (what must hold before a
 * task runs), `provision/` (the plans, their execution and the smoke test of the hosted
 * endpoint), `azd_env.ts` (the azd environment and its block in `.env`), `regions.ts`,
 * `infra.ts` (what infra/ declares) and `foundry/` (the Foundry project and its portal pages).
 * Commands go through a {@linkcode CommandRunner} port (`runner.ts`), so everything is
 * testable without azd or Azure.
 *
 * @example
 * ```ts ignore
 * import { createCommandRunner, formatPlan, planFor, runPreflight } from "./lib/mod.ts";
 * const preflight = await runPreflight("provision", { runner: createCommandRunner(), env: Deno.env.toObject() });
 * console.log(formatPlan(planFor("provision", preflight.target)));
 * ```
 *
 * @module
 */
export * from "./runner.ts";
export * from "./regions.ts";
export * from "./infra.ts";
export * from "./azd_env.ts";
export * from "./preflight/mod.ts";
export * from "./provision/mod.ts";
export * from "./foundry/mod.ts";
