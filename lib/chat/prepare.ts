/**
 * Pure helpers of the chat pipeline: a validated request made safe for the prompt, parsing the
 * query model's reply (falling back to the question itself), and the shapes handed to the chat
 * prompt. The rules a request must follow live in `validate.ts`.
 *
 * @module
 */
import type { Customer } from "../customers/types.ts";
import type { ChatRequest, ContextItem } from "./types.ts";
import { validateChatRequest, type ValidChatRequest } from "./validate.ts";

const ROLE_LINE = /^(\s*#?\s*)(system|user|assistant)(\s*:\s*)$/gim;

/** Neutralise lines that would read as Prompty role markers, so user text cannot switch roles. */
export function quoteRoleMarkers(text: string): string {
  return text.replace(ROLE_LINE, "$1$2 (quoted)$3");
}

/**
 * A request ready for the prompt: validated by the one rule set ({@link validateChatRequest}:
 * bad input is a `ValidationError` naming the field), then role markers quoted in the question
 * and the history.
 */
export function prepareRequest(request: ChatRequest): ValidChatRequest {
  const { customerId, question, chatHistory } = validateChatRequest(request);
  return {
    customerId,
    question: quoteRoleMarkers(question),
    chatHistory: chatHistory.map((t) => ({ role: t.role, content: quoteRoleMarkers(t.content) })),
  };
}

/** Property names a query model commonly uses for its list, tried before any other. */
const QUERY_KEYS = ["queries", "search_queries", "searchQueries"];

const isStringArray = (v: unknown): v is unknown[] =>
  Array.isArray(v) && v.some((q) => typeof q === "string" && q.trim() !== "");

/** The JSON texts a reply may hold: a fenced block, the whole reply, or its outermost brackets. */
function jsonCandidates(text: string): string[] {
  const candidates: string[] = [];
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(text);
  if (fenced) candidates.push(fenced[1]);
  candidates.push(text);
  for (const [open, close] of [["[", "]"], ["{", "}"]]) {
    const from = text.indexOf(open);
    const to = text.lastIndexOf(close);
    if (from >= 0 && to > from) candidates.push(text.slice(from, to + 1));
  }
  return candidates;
}

/** The list in a parsed reply: the array itself, or the object's array-of-strings property. */
function queryList(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (!value || typeof value !== "object") return undefined;
  const record = value as Record<string, unknown>;
  for (const key of QUERY_KEYS) if (isStringArray(record[key])) return record[key] as unknown[];
  return Object.values(record).find(isStringArray);
}

/**
 * The search queries in a query model's reply: a JSON array of strings, or a JSON object whose
 * array-of-strings property holds them (`{"queries": [...]}`, as JSON-object mode returns),
 * also inside a fenced JSON block. Anything else falls back to the question itself.
 *
 * @example
 * ```ts
 * import { parseQueries } from "./prepare.ts";
 * console.assert(parseQueries('{"queries": ["light tent"]}', "q")[0] === "light tent");
 * console.assert(parseQueries("no idea", "q")[0] === "q");
 * ```
 */
export function parseQueries(reply: unknown, question: string): string[] {
  let list: unknown[] | undefined;
  if (typeof reply === "string") {
    for (const candidate of jsonCandidates(reply.trim())) {
      try {
        list = queryList(JSON.parse(candidate));
      } catch {
        continue;
      }
      if (list) break;
    }
  } else {
    list = queryList(reply);
  }
  if (!list) return [question];
  const queries = [
    ...new Set(
      list.filter((q): q is string => typeof q === "string").map((q) => q.trim()).filter(Boolean),
    ),
  ]
    .map((q) => q.slice(0, 200))
    .slice(0, 5);
  return queries.length > 0 ? queries : [question];
}

/**
 * Field names that hold contact details, compared lower-cased without separators: `email`,
 * `phoneNumber`, `shipping_address`, `contact` and the like, at any depth.
 */
const CONTACT_FIELD =
  /e?mail|phone|mobile|address|street|postal|postcode|zip|fax|telephone|contact|^tel$|^cell$/;

const isContactField = (key: string) =>
  CONTACT_FIELD.test(key.toLowerCase().replace(/[^a-z0-9]/g, ""));

/** A copy without contact fields and Cosmos DB system properties (`_rid`, `_etag`, …). */
function withoutContactDetails(value: unknown, depth = 0): unknown {
  if (depth > 8) return undefined;
  if (Array.isArray(value)) return value.map((v) => withoutContactDetails(v, depth + 1));
  if (!value || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([key]) => !key.startsWith("_") && !isContactField(key))
      .map(([key, v]) => [key, withoutContactDetails(v, depth + 1)]),
  );
}

/**
 * The customer as a prompt sees it: everything the customer document carries (id, names, age,
 * membership, every field of every order, and any other field a foreign document brings)
 * except contact details (email, phone, address and their variants), which never reach a model.
 */
export function promptCustomer(customer: Customer): Record<string, unknown> {
  const { id, firstName, lastName, age, membership, orders, ...rest } = customer as
    & Customer
    & Record<string, unknown>;
  return {
    ...withoutContactDetails({ id, firstName, lastName, age, membership }) as object,
    ...withoutContactDetails(rest) as object,
    orders: Array.isArray(orders) ? withoutContactDetails(orders) : [],
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
