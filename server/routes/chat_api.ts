/**
 * The `/api` routes: `POST /api/create_response` (JSON or server-sent events) and
 * `GET /api/customers` (the chat page's customer picker). Authentication, rate limiting and
 * the body limit are applied by the app around these handlers.
 *
 * @module
 */
import { Hono } from "hono";
import { parseChatRequest } from "../chat_request.ts";
import { raceSignal, startDeadline } from "../deadline.ts";
import { HttpError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import { createEventStream, EVENT_STREAM_HEADERS } from "../sse.ts";
import type { AppDeps, AppEnv } from "../types.ts";
import { compareIds, toApiChatResponse, toCustomerSummary } from "../wire.ts";

/** Dependencies of the API routes. */
export interface ChatApiOptions {
  deps: AppDeps;
  logger: Logger;
  requestTimeoutMs: number;
}

/** Build the `/api` sub-app. */
export function chatApiRoutes(options: ChatApiOptions): Hono<AppEnv> {
  const { deps, logger, requestTimeoutMs } = options;
  const server = deps.config.server;
  const api = new Hono<AppEnv>();

  api.get("/customers", async (c) => {
    const customers = await deps.customers.list();
    const summaries = customers.map(toCustomerSummary).sort((a, b) => compareIds(a.id, b.id));
    c.get("logFields").customers = summaries.length;
    return c.json({ customers: summaries });
  });

  api.post("/create_response", async (c) => {
    const parsed = await parseChatRequest(c.req.raw, {
      maxQuestionLength: server.maxQuestionLength,
      maxBodyBytes: server.maxBodyBytes,
    });
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
      const response = await raceSignal(deps.pipeline.getResponse(request), deadline.signal);
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
      {
        headers: { Allow: "POST, OPTIONS" },
      },
    );
  });

  return api;
}
