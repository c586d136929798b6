/**
 * The chat half of the API contract, defined once with zod: the request (JSON body or the
 * original workshop's query parameters), the answer, the streaming events and the customer
 * picker's list. The same schemas validate requests (`server/chat_request.ts`), type the
 * routes' answers and produce `/openapi.json`. The rules themselves (limits, a valid customer
 * id, the JSON-string form of `chat_history`, the messages) are the chat pipeline's
 * (`lib/chat/validate.ts`): this module only says how they appear on the wire. The question
 * length comes from configuration, so the request schemas are a function of it.
 *
 * Validation messages are relative to the field (`is required`, `must be a string`); the
 * reader prefixes the field's path, so a client reads `chat_history[2].role must be ...`.
 *
 * @module
 */
import { z } from "@hono/zod-openapi";
import type { ChatTurn } from "../../lib/chat/types.ts";
import {
  chatHistoryFromJson,
  isValidCustomerId,
  MAX_CUSTOMER_ID_LENGTH,
  MAX_HISTORY_TURNS,
  PROBLEMS,
} from "../../lib/chat/validate.ts";
import { ContextItemSchema } from "./context.ts";

/** The body of a successful `POST /api/create_response` (and the `done` event). */
export const ChatResponseSchema = z.object({
  question: z.string(),
  answer: z.string().openapi({ description: "Markdown" }),
  context: z.array(ContextItemSchema),
}).openapi("ChatResponse");

/** The first event of a stream: the material the answer will use. */
export const StreamContextEventSchema = z.object({
  context: z.array(ContextItemSchema),
  queries: z.array(z.string()).openapi({ description: "The search queries that were run" }),
}).openapi("StreamContextEvent");

/** A piece of the answer's text. */
export const StreamDeltaEventSchema = z.object({ text: z.string() }).openapi("StreamDeltaEvent");

/** A customer as the chat page's picker sees it: no contact details. */
export const CustomerSummarySchema = z.object({
  id: z.string(),
  firstName: z.string(),
  membership: z.string(),
}).openapi("CustomerSummary");

/** The answer of `GET /api/customers`. */
export const CustomerListSchema = z.object({ customers: z.array(CustomerSummarySchema) })
  .openapi("CustomerList");

/** One turn of earlier conversation. */
export const ChatTurnSchema = z.object({
  role: z.enum(["user", "assistant"], { error: PROBLEMS.role }),
  content: z.string({ error: PROBLEMS.content }),
}, { error: PROBLEMS.turnNotObject }).openapi("ChatTurn");

// Wire types, inferred from the schemas (never written by hand).
/** The body of a successful chat answer. */
export type ApiChatResponse = z.infer<typeof ChatResponseSchema>;
/** A customer in the picker's list. */
export type ApiCustomerSummary = z.infer<typeof CustomerSummarySchema>;
/** A turn of earlier conversation on the wire. */
export type ApiChatTurn = z.infer<typeof ChatTurnSchema>;

const isMissing = (input: unknown) => input === undefined;

/** Limits of the request schemas, from the server configuration. */
export interface ChatRequestLimits {
  maxQuestionLength: number;
}

/**
 * The request schemas for the configured limits.
 *
 * @example
 * ```ts
 * import { chatRequestSchemas } from "./chat.ts";
 * const { body } = chatRequestSchemas({ maxQuestionLength: 2000 });
 * console.assert(body.safeParse({ question: "Tents?", customer_id: 1 }).success);
 * ```
 */
export function chatRequestSchemas(limits: ChatRequestLimits) {
  const max = limits.maxQuestionLength;
  const requiredText = (issue: { input: unknown }) =>
    isMissing(issue.input) ? PROBLEMS.required : PROBLEMS.notString;
  const question = z.string({ error: requiredText }).trim().min(1, PROBLEMS.empty).max(max, {
    error: (issue) => PROBLEMS.tooLong(String(issue.input).length, max),
  }).openapi({ description: "The customer's question", example: "Which tent for two?" });

  // max() documents maxLength in /openapi.json; isValidCustomerId is the rule itself.
  const customerIdText = z.string({ error: requiredText }).trim().min(1, PROBLEMS.empty)
    .max(MAX_CUSTOMER_ID_LENGTH, PROBLEMS.invalidId).refine(isValidCustomerId, PROBLEMS.invalidId);
  const customerId = z.union([z.string(), z.number().int()], { error: requiredText })
    .transform(String).pipe(customerIdText).openapi({
      description: "Id of the customer asking (a whole number is read as its text)",
      example: "1",
    });

  const history = z.array(ChatTurnSchema, { error: PROBLEMS.historyNotArray })
    .max(MAX_HISTORY_TURNS, {
      error: (issue) => PROBLEMS.tooManyTurns((issue.input as unknown[]).length, MAX_HISTORY_TURNS),
    });
  const historyText = z.string().transform((text, ctx) => {
    const read = chatHistoryFromJson(text);
    if (read.ok) return read.value;
    ctx.addIssue({ code: "custom", message: PROBLEMS.historyNotJson });
    return z.NEVER;
  }).pipe(history);
  const historyField = z.union([history, historyText], { error: PROBLEMS.historyNotArray }).openapi(
    {
      description: "Earlier turns, oldest first: an array, or the same as a JSON string",
    },
  );

  const body = z.object({
    question,
    customer_id: customerId.optional(),
    customerId: customerId.optional().openapi({ description: "Alias of customer_id" }),
    chat_history: historyField.optional(),
    stream: z.boolean({ error: "must be true or false" }).optional().openapi({
      description: "Answer with server-sent events",
    }),
  }, { error: "Request body must be a JSON object" }).superRefine((value, ctx) => {
    if (value.customer_id === undefined && value.customerId === undefined) {
      ctx.addIssue({ code: "custom", path: ["customer_id"], message: "is required" });
    }
  }).openapi("ChatRequest", {
    description: "`question` and one of `customer_id` / `customerId` are required.",
    anyOf: [{ required: ["customer_id"] }, { required: ["customerId"] }],
  });

  const streamFlag = z.enum(["true", "false", "1", "0"], { error: "must be true or false" })
    .transform((flag) => flag === "true" || flag === "1");
  const query = z.object({
    question,
    customer_id: customerIdText.openapi({ description: "Id of the customer asking" }),
    chat_history: historyText.optional().openapi({
      description: 'Earlier turns as a JSON string: `[{"role":"user","content":"..."}]`',
    }),
    stream: streamFlag.optional().openapi({
      description: "`true` answers with server-sent events (same as `Accept: text/event-stream`)",
    }),
  });

  return {
    /** The JSON body form. */
    body,
    /** The query form (empty body): the original workshop's parameters. */
    query,
    /** The `stream` query flag alone, honoured with either form. */
    streamFlag,
    /** The query parameters as documented: each optional, since a JSON body may carry them. */
    documentedQuery: query.partial(),
  };
}

/** A validated chat request, before it meets the pipeline. */
export interface ParsedChatRequest {
  question: string;
  customerId: string;
  chatHistory: ChatTurn[];
  stream: boolean;
}

// A type-level tie between the library's turn and the wire's (the context item's is in
// context.ts): the wire is stricter than the pipeline (no "system" turns from clients), so
// one way only; when either side changes, `deno check` fails here.
type Fits<A, B> = [A] extends [B] ? true : false;
const wireTurnsFeedThePipeline: Fits<ApiChatTurn, ChatTurn> = true;
void wireTurnsFeedThePipeline;
