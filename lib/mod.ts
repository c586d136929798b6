/**
 * Contoso Chat's shared library: the one public entry for the notebooks, the CLI and the
 * server. Everything a notebook does is a call into here, so what a learner tries is what
 * production runs.
 *
 * @example
 * ```ts ignore
 * import { createRuntime, loadConfig, readEnvironment } from "./lib/mod.ts";
 * const runtime = await createRuntime(loadConfig(readEnvironment()));
 * ```
 *
 * @module
 */
export * from "./errors.ts";
export * from "./config/mod.ts";
export * from "./prompty/mod.ts";
export * from "./models/mod.ts";
export * from "./customers/mod.ts";
export * from "./products/mod.ts";
export * from "./seed/mod.ts";
export * from "./chat/mod.ts";
export * from "./tracing/mod.ts";
export * from "./runtime/mod.ts";
export * from "./runtime/session.ts";
export * from "./runtime/data_problems.ts";
export * from "./text/mod.ts";
export * from "./display/mod.ts";
export * from "./azure/mod.ts";
export * from "./evaluate/mod.ts";
