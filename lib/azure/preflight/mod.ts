/**
 * The preflight of `deno task provision | deploy | teardown` and of notebooks 1 and 5: azd
 * installed and signed in, the target (environment, region, subscription), the variables each
 * step needs, then the Azure CLI's checks (a soft-deleted AI account in the way, model quota,
 * roles, the image build). Read-only; each failed check says how to fix it. `preflightTable`
 * is how both notebooks show the result.
 *
 * @example
 * ```ts ignore
 * import { createCommandRunner, formatPreflight, runPreflight } from "./lib/mod.ts";
 * const preflight = await runPreflight("deploy", { runner: createCommandRunner(), env: Deno.env.toObject() });
 * console.log(formatPreflight(preflight));
 * ```
 *
 * @module
 */
export * from "./preflight.ts";
export * from "./table.ts";
export * from "./deleted.ts";
export * from "./quota.ts";
