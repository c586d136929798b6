/**
 * The pure functions that make the API's wire shapes from domain types. The shapes themselves
 * are inferred from the contract's zod schemas (`server/contract/chat.ts`), which also produce
 * the OpenAPI document, so the JSON answer, the streaming events and the document cannot drift.
 *
 * @module
 */
import type { ChatResponse, ContextItem } from "../lib/chat/types.ts";
import type { Customer } from "../lib/customers/types.ts";
import type { ApiChatResponse, ApiContextItem, ApiCustomerSummary } from "./contract/chat.ts";

export type { ApiChatResponse, ApiContextItem, ApiCustomerSummary } from "./contract/chat.ts";

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
