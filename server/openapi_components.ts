/**
 * The reusable parts of the OpenAPI document: the schemas of requests, answers, events and
 * errors, and one documented response per error status. Split from `openapi.ts`, which lays
 * out the paths.
 *
 * @module
 */
import { MAX_HISTORY_TURNS } from "./chat_request.ts";
import type { OpenApiOptions } from "./openapi.ts";

type Json = Record<string, unknown>;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Json, example?: unknown) => ({
  "application/json": example === undefined ? { schema } : { schema, example },
});

/** The `components.schemas` of the document. */
export function schemas(options: OpenApiOptions): Json {
  return {
    ChatTurn: {
      type: "object",
      required: ["role", "content"],
      properties: {
        role: { type: "string", enum: ["user", "assistant"] },
        content: { type: "string" },
      },
    },
    ChatRequest: {
      type: "object",
      properties: {
        question: { type: "string", minLength: 1, maxLength: options.maxQuestionLength },
        customer_id: { type: "string", description: "Id of the customer asking" },
        customerId: { type: "string", description: "Alias of customer_id" },
        chat_history: {
          description: "Earlier turns, oldest first (an array, or the same as a JSON string)",
          oneOf: [
            { type: "array", maxItems: MAX_HISTORY_TURNS, items: ref("ChatTurn") },
            { type: "string" },
          ],
        },
        stream: { type: "boolean", description: "Answer with server-sent events" },
      },
      required: ["question"],
      description: "`question` and one of `customer_id` / `customerId` are required.",
    },
    ContextItem: {
      type: "object",
      required: ["id", "kind", "productId", "title", "url", "content"],
      properties: {
        id: { type: "string" },
        kind: { type: "string", enum: ["product", "manual"] },
        productId: { type: "string" },
        title: { type: "string" },
        url: { type: "string" },
        content: { type: "string" },
      },
    },
    ChatResponse: {
      type: "object",
      required: ["question", "answer", "context"],
      properties: {
        question: { type: "string" },
        answer: { type: "string", description: "Markdown" },
        context: { type: "array", items: ref("ContextItem") },
      },
    },
    StreamContextEvent: {
      type: "object",
      required: ["context", "queries"],
      properties: {
        context: { type: "array", items: ref("ContextItem") },
        queries: { type: "array", items: { type: "string" } },
      },
    },
    StreamDeltaEvent: {
      type: "object",
      required: ["text"],
      properties: { text: { type: "string" } },
    },
    StreamErrorEvent: {
      allOf: [ref("Error"), {
        type: "object",
        properties: { status: { type: "integer", description: "The HTTP status it maps to" } },
      }],
    },
    Error: {
      type: "object",
      required: ["error"],
      properties: {
        error: {
          type: "object",
          required: ["code", "message"],
          properties: {
            code: {
              type: "string",
              enum: [
                "bad_request",
                "unauthorized",
                "not_found",
                "method_not_allowed",
                "payload_too_large",
                "unsupported_media_type",
                "rate_limited",
                "content_filtered",
                "internal_error",
                "upstream_error",
                "upstream_timeout",
              ],
            },
            message: { type: "string" },
          },
        },
      },
    },
    CustomerSummary: {
      type: "object",
      required: ["id", "firstName", "membership"],
      properties: {
        id: { type: "string" },
        firstName: { type: "string" },
        membership: { type: "string" },
      },
    },
    CustomerList: {
      type: "object",
      required: ["customers"],
      properties: { customers: { type: "array", items: ref("CustomerSummary") } },
    },
    Greeting: {
      type: "object",
      properties: {
        name: { type: "string" },
        version: { type: "string" },
        chat: { type: "string" },
        docs: { type: "string" },
        openapi: { type: "string" },
      },
    },
    Health: {
      type: "object",
      properties: { status: { const: "ok" }, version: { type: "string" } },
    },
    Readiness: {
      type: "object",
      required: ["status", "failed", "checks"],
      properties: {
        status: { type: "string", enum: ["ready", "not_ready"] },
        failed: { type: "array", items: { type: "string" } },
        checks: {
          type: "array",
          items: {
            type: "object",
            properties: {
              service: { type: "string" },
              backend: { type: "string" },
              ok: { type: "boolean" },
              latencyMs: { type: "number" },
            },
          },
        },
      },
    },
  };
}

/** The `components.responses` of the document: one per error status. */
export function errorResponses(options: OpenApiOptions): Json {
  const error = (description: string, example: [string, string], headers?: Json) => ({
    description,
    ...(headers ? { headers } : {}),
    content: json(ref("Error"), { error: { code: example[0], message: example[1] } }),
  });
  return {
    BadRequest: error(
      "Missing or empty question, question over " + `${options.maxQuestionLength} characters, ` +
        `malformed chat_history (at most ${MAX_HISTORY_TURNS} turns, roles user/assistant), ` +
        "invalid JSON, or the model's content filter refused (code content_filtered)",
      ["bad_request", "question is required"],
    ),
    Unauthorized: error(
      "The API key is missing or wrong (only when the server has one configured)",
      ["unauthorized", "An API key is required: send it as x-api-key or Authorization: Bearer"],
      { "WWW-Authenticate": { schema: { type: "string" } } },
    ),
    NotFound: error("Unknown customer", ["not_found", 'Cannot find customer "999"']),
    MethodNotAllowed: error("Only POST is allowed", ["method_not_allowed", "Use POST"], {
      Allow: { schema: { type: "string" } },
    }),
    PayloadTooLarge: error(`Body over ${options.maxBodyBytes} bytes`, [
      "payload_too_large",
      `Request body is too large: the limit is ${options.maxBodyBytes} bytes`,
    ]),
    UnsupportedMediaType: error("A body that is not application/json", [
      "unsupported_media_type",
      "Send the body as application/json, or use query parameters",
    ]),
    RateLimited: error(
      `More than ${options.rateLimitPerMinute} requests per minute from one client`,
      ["rate_limited", "Too many requests"],
      {
        "Retry-After": { description: "Seconds to wait", schema: { type: "integer" } },
      },
    ),
    InternalError: error("An unexpected failure; the message quotes the request id", [
      "internal_error",
      "Something went wrong on our side",
    ]),
    UpstreamError: error("The model, customer database or search service failed", [
      "upstream_error",
      "The chat model service failed to answer; please try again",
    ]),
    UpstreamTimeout: error("The model or a store did not answer in time", [
      "upstream_timeout",
      "The chat model service did not answer in time",
    ]),
  };
}
