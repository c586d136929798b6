/**
 * Provisioning plans and their execution: the exact commands of `deno task provision | deploy |
 * teardown` built from the preflight's target (what `--dry-run` prints), running them through a
 * `CommandRunner`, the smoke test of the hosted endpoint (`hostedEndpoint` and `deploySmoke`
 * find its URL and API key: the environment first, then the azd environment), and what to do
 * after a failed azd step.
 *
 * @example
 * ```ts ignore
 * import { formatPlan, planTeardown } from "./lib/mod.ts";
 * console.log(formatPlan(planTeardown(preflight.target)));
 * ```
 *
 * @module
 */
export * from "./plan.ts";
export * from "./format_plan.ts";
export * from "./execute.ts";
export * from "./smoke.ts";
export * from "./hosted_endpoint.ts";
export * from "./deleted_account.ts";
export * from "./failure_hints.ts";
