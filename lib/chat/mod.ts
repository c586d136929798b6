/**
 * The chat pipeline: `getResponse` and its streaming form.
 *
 * @module
 */
export type * from "./types.ts";
export { createChatPipeline, dedupeHits } from "./pipeline.ts";
export type { ChatPipelineOptions } from "./pipeline.ts";
export {
  MAX_HISTORY_TURNS,
  MAX_QUESTION_LENGTH,
  parseQueries,
  promptCustomer,
  promptDocumentation,
  quoteRoleMarkers,
  validateRequest,
} from "./prepare.ts";
export { checkPipelinePrompts } from "./prompt_check.ts";
