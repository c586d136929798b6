/**
 * Reading a chat request off the wire with the contract's schemas (`server/contract/chat.ts`).
 * `POST /api/create_response` takes either a JSON body (`question`, `customer_id` or
 * `customerId`, `chat_history` as an array or a JSON string) or, with an empty body, the
 * original workshop's query parameters (`question`, `customer_id`, `chat_history` as a JSON
 * string); the two forms are not mixed, so the document says exactly what is required.
 * `stream` (query or body) and `Accept: text/event-stream` choose the streaming form. Every
 * problem becomes an {@link HttpError} with the status the document gives it.
 *
 * The body is read with `c.req.text()`, from Hono's body cache when a middleware has already
 * read it (the body deadline), never from the raw request.
 *
 * @module
 */
import type { Context } from "hono";
import type { z } from "@hono/zod-openapi";
import { chatRequestSchemas, type ParsedChatRequest } from "./contract/chat.ts";
import { HttpError } from "./errors.ts";
import type { AppEnv } from "./types.ts";

export type { ParsedChatRequest } from "./contract/chat.ts";

/** Limits applied while reading. */
export interface ChatRequestLimits {
  maxQuestionLength: number;
  maxBodyBytes: number;
}

/** A reader of chat requests for fixed limits (the schemas are built once). */
export type ChatRequestReader = (c: Context<AppEnv>) => Promise<ParsedChatRequest>;

const bad = (message: string) => new HttpError(400, "bad_request", message);

/**
 * Build the reader for the configured limits.
 *
 * @example
 * ```ts ignore
 * const read = chatRequestReader({ maxQuestionLength: 2000, maxBodyBytes: 65536 });
 * api.post("/create_response", async (c) => { const request = await read(c); ... });
 * ```
 */
export function chatRequestReader(limits: ChatRequestLimits): ChatRequestReader {
  const schemas = chatRequestSchemas(limits);
  return async (c) => {
    const accept = c.req.header("accept") ?? "";
    const wantsEvents = /\btext\/event-stream\b/i.test(accept);
    const queryStream = c.req.query("stream");
    const streamFromQuery = queryStream === undefined
      ? undefined
      : check(schemas.streamFlag, queryStream, ["stream"]);

    const body = await readJsonBody(c);
    if (body !== undefined) {
      const parsed = check(schemas.body, body);
      return {
        question: parsed.question,
        customerId: (parsed.customer_id ?? parsed.customerId) as string,
        chatHistory: parsed.chat_history ?? [],
        stream: parsed.stream ?? streamFromQuery ?? wantsEvents,
      };
    }

    const query = c.req.query();
    const history = query.chat_history;
    if (history !== undefined && history.length > limits.maxBodyBytes) {
      throw new HttpError(
        413,
        "payload_too_large",
        `chat_history is too large: the limit is ${limits.maxBodyBytes} bytes`,
      );
    }
    const parsed = check(schemas.query, query);
    return {
      question: parsed.question,
      customerId: parsed.customer_id,
      chatHistory: parsed.chat_history ?? [],
      stream: parsed.stream ?? wantsEvents,
    };
  };
}

/** The JSON body as a value, or undefined for the query form (no or a blank body). */
async function readJsonBody(c: Context<AppEnv>): Promise<unknown> {
  if (c.req.raw.body === null) return undefined;
  const text = await c.req.text();
  if (text.trim() === "") return undefined; // the original clients POST with an empty body
  const type = (c.req.header("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/json" && !/^application\/[\w.+-]*\+json$/.test(type)) {
    throw new HttpError(
      415,
      "unsupported_media_type",
      `Send the body as application/json${type ? `, not ${type}` : ""}, or use query parameters`,
    );
  }
  try {
    return JSON.parse(text);
  } catch {
    throw bad("Request body is not valid JSON");
  }
}

/** Parse with a schema; the first problem becomes a 400 naming the field. */
function check<S extends z.ZodType>(
  schema: S,
  value: unknown,
  path: PropertyKey[] = [],
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw bad(describeIssue(result.error.issues[0], path));
}

interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
  errors?: Issue[][];
}

/**
 * `chat_history[2].role must be ...`. A union that failed in the branch whose type matched
 * (an array with a bad turn) reports that branch's problem, not "no branch matched".
 */
export function describeIssue(issue: Issue, prefix: PropertyKey[] = []): string {
  const path = [...prefix, ...issue.path];
  if (issue.code === "invalid_union" && issue.errors) {
    const matched = issue.errors.find((branch) =>
      branch.length > 0 && !branch.some((i) => i.code === "invalid_type" && i.path.length === 0)
    );
    if (matched) return describeIssue(matched[0], path);
  }
  const name = path.map((key, i) =>
    typeof key === "number" ? `[${key}]` : i === 0 ? String(key) : `.${String(key)}`
  ).join("");
  return name ? `${name} ${issue.message}` : issue.message;
}
