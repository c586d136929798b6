/**
 * The `/api` routes: `POST /api/create_response` (JSON or server-sent events) and
 * `GET /api/customers` (the chat page's customer picker), described by the contract's zod
 * schemas (`server/contract/chat.ts`) that also validate the request and type the answers.
 * Authentication, rate limiting and the body limit are applied by the app around these
 * handlers; the chat route asks `assertMayActFor` right after the request is validated.
 *
 * @module
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { chatRequestReader } from "../chat_request.ts";
import { chatRequestSchemas, ChatResponseSchema, CustomerListSchema } from "../contract/chat.ts";
import { MAX_HISTORY_TURNS } from "../../lib/chat/validate.ts";
import { apiErrorResponses, errorResponse, HEADERS } from "../contract/errors.ts";
import { abortable } from "../../lib/async/abortable.ts";
import { startDeadline } from "../deadline.ts";
import { HttpError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import { assertMayActFor } from "../middleware/auth.ts";
import { createEventStream, EVENT_STREAM_HEADERS } from "../sse.ts";
import type { AppDeps, AppEnv } from "../types.ts";
import { compareIds, toApiChatResponse, toCustomerSummary } from "../wire.ts";

/** Dependencies of the API routes. */
export interface ChatApiOptions {
  deps: AppDeps;
  logger: Logger;
  requestTimeoutMs: number;
  /** Whether the document marks these operations as needing credentials. */
  authRequired?: boolean;
}

/** The security requirement of an `/api` operation: either scheme. */
export const API_SECURITY: Record<string, string[]>[] = [{ ApiKey: [] }, { Bearer: [] }];

const SUCCESS_HEADERS = { ...HEADERS.requestId, ...HEADERS.rateLimit, ...HEADERS.noStore };

/** The 404 of a demo route that is off (production without `CONTOSO_DEMO_ROUTES=true`). */
export const demoRouteOff = errorResponse(
  "Off: a demo route, not served in production unless CONTOSO_DEMO_ROUTES=true",
  { code: "not_found", message: "No route for GET /api/customers" },
);

/** Build the `/api` sub-app. */
export function chatApiRoutes(options: ChatApiOptions): OpenAPIHono<AppEnv> {
  const { deps, logger, requestTimeoutMs } = options;
  const server = deps.config.server;
  const limits = {
    maxQuestionLength: server.maxQuestionLength,
    maxBodyBytes: server.maxBodyBytes,
    rateLimitPerMinute: server.rateLimitPerMinute,
    maxHistoryTurns: MAX_HISTORY_TURNS,
  };
  const errors = apiErrorResponses(limits);
  const security = options.authRequired ? API_SECURITY : [];
  const readRequest = chatRequestReader(limits);
  const schemas = chatRequestSchemas(limits);
  const api = new OpenAPIHono<AppEnv>();

  const listCustomers = createRoute({
    method: "get",
    path: "/customers",
    tags: ["chat"],
    summary: "Customers for the chat page's picker (id, first name, membership only)",
    operationId: "listCustomers",
    security,
    responses: {
      200: {
        description: "Customers, sorted by id",
        headers: SUCCESS_HEADERS,
        content: { "application/json": { schema: CustomerListSchema } },
      },
      401: errors[401],
      403: errors[403],
      404: demoRouteOff,
      429: errors[429],
      500: errors[500],
      502: errors[502],
      504: errors[504],
    },
  });
  api.openapi(listCustomers, async (c) => {
    const customers = await deps.customers.list();
    const summaries = customers.map(toCustomerSummary).sort((a, b) => compareIds(a.id, b.id));
    c.get("logFields").customers = summaries.length;
    return c.json({ customers: summaries }, 200);
  });

  // Registered for the document only: the two request forms (body or query, never mixed) do
  // not fit the per-part validators, so `chatRequestReader` applies the same schemas itself.
  api.openAPIRegistry.registerPath({
    method: "post",
    path: "/create_response",
    tags: ["chat"],
    summary: "Answer a customer's question",
    description: "Send either a JSON body or, with an empty body, the original workshop's " +
      "query parameters (`question`, `customer_id`, `chat_history` as a JSON string); the " +
      "two forms are not mixed. `stream` (query or body) or `Accept: text/event-stream` " +
      "answers with server-sent events: `context` (the products and manual passages), then " +
      "`delta` events (text), then `done` (the whole answer). A failure after the stream " +
      "started arrives as an `error` event that ends it.",
    operationId: "createResponse",
    security,
    request: {
      query: schemas.documentedQuery,
      body: {
        required: false,
        description: `JSON object, at most ${server.maxBodyBytes} bytes.`,
        content: {
          "application/json": {
            schema: schemas.body,
            example: {
              question: "What tent would you recommend for a weekend in the mountains?",
              customer_id: "1",
              chat_history: [],
            },
          },
        },
      },
    },
    responses: {
      200: {
        description: "The answer and the material it was grounded on",
        headers: SUCCESS_HEADERS,
        content: {
          "application/json": { schema: ChatResponseSchema },
          "text/event-stream": {
            schema: z.string().openapi({
              description: "Events `context`, `delta`*, `done`; or `error`. Each `data:` line " +
                "is JSON: see the StreamContextEvent, StreamDeltaEvent, ChatResponse and " +
                "StreamErrorEvent schemas.",
            }),
            example: 'event: context\ndata: {"context":[],"queries":["tent"]}\n\n' +
              'event: delta\ndata: {"text":"Hello"}\n\n' +
              'event: done\ndata: {"question":"...","answer":"Hello","context":[]}\n\n',
          },
        },
      },
      ...errors,
    },
  });

  api.post("/create_response", async (c) => {
    const parsed = await readRequest(c);
    assertMayActFor(c, parsed.customerId);
    const fields = c.get("logFields");
    fields.customerId = parsed.customerId;
    fields.historyTurns = parsed.chatHistory.length;
    fields.questionLength = parsed.question.length;
    fields.stream = parsed.stream;

    const deadline = startDeadline(requestTimeoutMs, c.req.raw.signal);
    const request = {
      customerId: parsed.customerId,
      question: parsed.question,
      chatHistory: parsed.chatHistory,
      signal: deadline.signal,
    };

    if (parsed.stream) {
      const requestId = c.get("requestId");
      const body = await createEventStream(deps.pipeline.streamResponse(request), {
        deadline,
        requestId,
        onEnd: (summary) =>
          logger.log(summary.errorCode ? "warn" : "info", "stream finished", {
            requestId,
            customerId: parsed.customerId,
            ...summary,
          }),
      });
      return c.body(body, 200, EVENT_STREAM_HEADERS);
    }

    try {
      const response = await abortable(deps.pipeline.getResponse(request), deadline.signal);
      fields.contextIds = response.context.map((item) => item.id);
      return c.json(toApiChatResponse(response));
    } finally {
      deadline.clear();
    }
  });

  api.all("/create_response", (c) => {
    throw new HttpError(
      405,
      "method_not_allowed",
      `Use POST for ${c.req.path}, not ${c.req.method}`,
      { headers: { Allow: "POST, OPTIONS" } },
    );
  });

  return api;
}
