/**
 * Pure helpers of the chat pipeline: request validation, parsing the query model's reply
 * (falling back to the question itself), and the shapes handed to the chat prompt.
 *
 * @module
 */
import type { Customer } from "../customers/types.ts";
import { checkChatHistory } from "../seed/validate.ts";
import type { ChatRequest, ChatTurn, ContextItem } from "./types.ts";

/** Longest question accepted (characters). */
export const MAX_QUESTION_LENGTH = 2000;
/** Most earlier turns accepted. */
export const MAX_HISTORY_TURNS = 50;

const ROLE_LINE = /^(\s*#?\s*)(system|user|assistant)(\s*:\s*)$/gim;

/** Neutralise lines that would read as Prompty role markers, so user text cannot switch roles. */
export function quoteRoleMarkers(text: string): string {
  return text.replace(ROLE_LINE, "$1$2 (quoted)$3");
}

/** Validate and normalise a request; bad input is a `TypeError` naming the field. */
export function validateRequest(
  request: ChatRequest,
): { customerId: string; question: string; chatHistory: ChatTurn[] } {
  if (!request || typeof request !== "object") throw new TypeError("The request must be an object");
  const question = typeof request.question === "string" ? request.question.trim() : "";
  if (!question) throw new TypeError("question is required and must be a non-empty string");
  if (question.length > MAX_QUESTION_LENGTH) {
    throw new TypeError(
      `question is too long: ${question.length} characters (limit ${MAX_QUESTION_LENGTH})`,
    );
  }
  const id = request.customerId as unknown;
  const customerId = typeof id === "number" && Number.isFinite(id)
    ? String(id)
    : typeof id === "string"
    ? id.trim()
    : "";
  if (!customerId) throw new TypeError("customerId is required and must be a non-empty string");
  if (customerId.length > 200) throw new TypeError("customerId is too long");
  const history = checkChatHistory(request.chatHistory);
  if (!history.ok) throw new TypeError(history.errors.join("; "));
  if (history.value.length > MAX_HISTORY_TURNS) {
    throw new TypeError(
      `chat_history has ${history.value.length} turns (limit ${MAX_HISTORY_TURNS})`,
    );
  }
  return {
    customerId,
    question: quoteRoleMarkers(question),
    chatHistory: history.value.map((t) => ({ role: t.role, content: quoteRoleMarkers(t.content) })),
  };
}

/**
 * The search queries in a query model's reply: a JSON array of strings, `{"queries": [...]}`,
 * or a fenced JSON block. Anything else falls back to the question itself.
 */
export function parseQueries(reply: unknown, question: string): string[] {
  let value = reply;
  if (typeof value === "string") {
    const text = value.trim();
    const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(text);
    const candidate = fenced ? fenced[1] : text.slice(Math.max(0, text.search(/[[{]/)));
    try {
      value = JSON.parse(candidate);
    } catch {
      return [question];
    }
  }
  if (value && typeof value === "object" && !Array.isArray(value)) {
    value = (value as Record<string, unknown>).queries ??
      (value as Record<string, unknown>).search_queries;
  }
  if (!Array.isArray(value)) return [question];
  const queries = [
    ...new Set(
      value.filter((q): q is string => typeof q === "string").map((q) => q.trim()).filter(Boolean),
    ),
  ]
    .map((q) => q.slice(0, 200))
    .slice(0, 5);
  return queries.length > 0 ? queries : [question];
}

/** The customer as the chat prompt sees it: no contact details ever reach the model. */
export function promptCustomer(customer: Customer): Record<string, unknown> {
  return {
    id: customer.id,
    firstName: customer.firstName,
    lastName: customer.lastName,
    membership: customer.membership,
    orders: (customer.orders ?? []).map((o) => ({
      productId: o.productId,
      name: o.name,
      quantity: o.quantity,
      date: o.date,
      category: o.category,
    })),
  };
}

/** Context items for the prompt: one line of content each, so documentation cannot add role markers. */
export function promptDocumentation(
  context: ContextItem[],
): { id: string; title: string; content: string }[] {
  return context.map((c) => ({
    id: c.id,
    title: c.title.replace(/\s+/g, " ").trim(),
    content: c.content.replace(/\s+/g, " ").trim(),
  }));
}
