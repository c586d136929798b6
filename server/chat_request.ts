/**
 * Reading a chat request off the wire. `POST /api/create_response` keeps the original
 * workshop's query parameters (`question`, `customer_id`, `chat_history` as a JSON string) and
 * also takes a JSON body (`question`, `customer_id` or `customerId`, `chat_history` as an
 * array). Every problem becomes an {@link HttpError} with the exact status the API documents.
 *
 * @module
 */
import type { ChatTurn } from "../lib/chat/types.ts";
import { HttpError } from "./errors.ts";

/** Most turns of earlier conversation a request may carry. */
export const MAX_HISTORY_TURNS = 50;
/** Longest customer id accepted. */
export const MAX_CUSTOMER_ID_LENGTH = 128;

/** A validated chat request, before it meets the pipeline. */
export interface ParsedChatRequest {
  question: string;
  customerId: string;
  chatHistory: ChatTurn[];
  stream: boolean;
}

/** Limits applied while parsing. */
export interface ChatRequestLimits {
  maxQuestionLength: number;
  maxBodyBytes: number;
}

const bad = (message: string) => new HttpError(400, "bad_request", message);

/**
 * Parse and validate the request. The body (already size-limited by middleware) wins over
 * query parameters field by field.
 */
export async function parseChatRequest(
  request: Request,
  limits: ChatRequestLimits,
): Promise<ParsedChatRequest> {
  const url = new URL(request.url);
  const query = url.searchParams;
  const body = await readJsonBody(request);

  const question = pick(body, ["question"]) ?? query.get("question") ?? undefined;
  const customerId = pick(body, ["customer_id", "customerId"]) ?? query.get("customer_id") ??
    query.get("customerId") ?? undefined;
  const history = pick(body, ["chat_history", "chatHistory"]) ?? query.get("chat_history") ??
    undefined;
  const streamField = pick(body, ["stream"]) ?? query.get("stream") ?? undefined;
  const accept = request.headers.get("accept") ?? "";

  return {
    question: validateQuestion(question, limits.maxQuestionLength),
    customerId: validateCustomerId(customerId),
    chatHistory: validateHistory(history, limits),
    stream: streamField === true || streamField === "true" || streamField === "1" ||
      /\btext\/event-stream\b/i.test(accept),
  };
}

async function readJsonBody(request: Request): Promise<Record<string, unknown> | undefined> {
  if (!request.body) return undefined;
  const text = await request.text();
  if (text.trim() === "") return undefined; // the original clients POST with an empty body
  const type = (request.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/json" && !/^application\/[\w.+-]*\+json$/.test(type)) {
    throw new HttpError(
      415,
      "unsupported_media_type",
      `Send the body as application/json${type ? `, not ${type}` : ""}, or use query parameters`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw bad("Request body is not valid JSON");
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw bad("Request body must be a JSON object");
  }
  return parsed as Record<string, unknown>;
}

function pick(body: Record<string, unknown> | undefined, names: string[]): unknown {
  if (!body) return undefined;
  for (const name of names) {
    if (body[name] !== undefined && body[name] !== null) return body[name];
  }
  return undefined;
}

function validateQuestion(value: unknown, max: number): string {
  if (value === undefined) throw bad("question is required");
  if (typeof value !== "string") throw bad("question must be a string");
  const question = value.trim();
  if (question === "") throw bad("question must not be empty");
  if (question.length > max) {
    throw bad(`question is too long: ${question.length} characters, the limit is ${max}`);
  }
  return question;
}

function validateCustomerId(value: unknown): string {
  if (value === undefined) throw bad("customer_id is required");
  if (typeof value === "number" && Number.isInteger(value)) value = String(value);
  if (typeof value !== "string") throw bad("customer_id must be a string");
  const id = value.trim();
  if (id === "") throw bad("customer_id must not be empty");
  if (id.length > MAX_CUSTOMER_ID_LENGTH || hasControlCharacter(id)) {
    throw bad("customer_id is not a valid id");
  }
  return id;
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) < 0x20) return true;
  return false;
}

function validateHistory(value: unknown, limits: ChatRequestLimits): ChatTurn[] {
  if (value === undefined || value === "") return [];
  if (typeof value === "string") {
    if (value.length > limits.maxBodyBytes) {
      throw new HttpError(
        413,
        "payload_too_large",
        `chat_history is too large: the limit is ${limits.maxBodyBytes} bytes`,
      );
    }
    try {
      value = JSON.parse(value);
    } catch {
      throw bad("chat_history must be a JSON array of {role, content} turns");
    }
  }
  if (!Array.isArray(value)) throw bad("chat_history must be an array of {role, content} turns");
  if (value.length > MAX_HISTORY_TURNS) {
    throw bad(`chat_history has ${value.length} turns, the limit is ${MAX_HISTORY_TURNS}`);
  }
  return value.map((turn, i) => {
    if (turn === null || typeof turn !== "object") {
      throw bad(`chat_history[${i}] must be an object with role and content`);
    }
    const { role, content } = turn as Record<string, unknown>;
    if (role !== "user" && role !== "assistant") {
      throw bad(`chat_history[${i}].role must be "user" or "assistant"`);
    }
    if (typeof content !== "string") throw bad(`chat_history[${i}].content must be a string`);
    return { role, content };
  });
}
