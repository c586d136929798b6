/**
 * The API's wire shapes and the pure functions that make them from domain types. The JSON
 * answer, the streaming events and the OpenAPI document all use these, so they cannot drift.
 *
 * @module
 */
import type { ChatResponse, ContextItem } from "../lib/chat/types.ts";
import type { Customer } from "../lib/customers/types.ts";

/** A product or manual passage the answer used (the contract's `id, title, url, content`). */
export interface ApiContextItem {
  id: string;
  kind: "product" | "manual";
  productId: string;
  title: string;
  url: string;
  content: string;
}

/** The body of a successful `POST /api/create_response`. */
export interface ApiChatResponse {
  question: string;
  answer: string;
  context: ApiContextItem[];
}

/** A customer as the chat page's picker sees it: no contact details. */
export interface ApiCustomerSummary {
  id: string;
  firstName: string;
  membership: string;
}

/** Map a context item to the wire. */
export function toApiContextItem(item: ContextItem): ApiContextItem {
  return {
    id: item.id,
    kind: item.kind,
    productId: item.productId,
    title: item.title,
    url: item.url,
    content: item.content,
  };
}

/** Map the pipeline's answer to the wire (diagnostics such as timings stay server-side). */
export function toApiChatResponse(response: ChatResponse): ApiChatResponse {
  return {
    question: response.question,
    answer: response.answer,
    context: response.context.map(toApiContextItem),
  };
}

/** Map a customer to the picker's summary, dropping every contact detail and order. */
export function toCustomerSummary(customer: Customer): ApiCustomerSummary {
  return {
    id: String(customer.id),
    firstName: String(customer.firstName ?? ""),
    membership: String(customer.membership ?? ""),
  };
}

/** Sort ids numerically when both are numbers, else as text ("2" before "10"). */
export function compareIds(a: string, b: string): number {
  return a.localeCompare(b, "en", { numeric: true });
}
