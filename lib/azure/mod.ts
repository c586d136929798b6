/**
 * Azure provisioning and deployment: the preflight, plan and execution behind `deno task
 * provision | deploy | teardown` and the first and last notebooks, and the smoke test of the
 * hosted endpoint. Commands go through a {@linkcode CommandRunner} port, so everything is
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
export * from "./preflight.ts";
export * from "./preflight_table.ts";
export * from "./preflight_deleted.ts";
export * from "./preflight_quota.ts";
export * from "./plan.ts";
export * from "./execute.ts";
export * from "./smoke.ts";
export * from "./foundry.ts";
export * from "./foundry_view.ts";
