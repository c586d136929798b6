/**
 * Configuration: `loadConfig(env)` resolves which backend serves each part, from the variable
 * names that infra/ outputs; `.env` support and a secret-free summary.
 *
 * @module
 */
export * from "./types.ts";
export * from "./load.ts";
export * from "./dotenv.ts";
export * from "./summary.ts";
export * from "./variables.ts";
export * from "./model_prices.ts";
export * from "./github.ts";
export { clientApiKey } from "./auth.ts";
