/**
 * The chat pipeline: `getResponse` and its streaming form.
 *
 * @module
 */
export type * from "./types.ts";
export { createChatPipeline, dedupeHits } from "./pipeline.ts";
export type { ChatPipelineOptions } from "./pipeline.ts";
export {
  parseQueries,
  prepareRequest,
  promptCustomer,
  promptDocumentation,
  quoteRoleMarkers,
} from "./prepare.ts";
export {
  chatHistoryFromJson,
  checkChatHistory,
  type Checked,
  isValidCustomerId,
  MAX_CUSTOMER_ID_LENGTH,
  MAX_HISTORY_TURNS,
  MAX_QUESTION_LENGTH,
  PROBLEMS,
  validateChatRequest,
  type ValidChatRequest,
} from "./validate.ts";
export { checkPipelinePrompts } from "./prompt_check.ts";
