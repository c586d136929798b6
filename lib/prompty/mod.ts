/**
 * Prompt assets in the Prompty format: load, render to chat messages, execute, stream.
 *
 * @module
 */
export type * from "./types.ts";
export { loadPrompty, parsePrompty } from "./load.ts";
export type { LoadPromptyOptions } from "./load.ts";
export {
  checkTemplate,
  declaredInputs,
  renderPrompty,
  resolveInputs,
  splitRoles,
} from "./render.ts";
export { executePrompty, parseJsonReply, streamPrompty } from "./execute.ts";
export type { ExecuteOptions } from "./execute.ts";
