/**
 * The pure functions that make the API's wire shapes from domain types. The shapes themselves
 * are inferred from the contract's zod schemas (`server/contract/chat.ts`), which also produce
 * the OpenAPI document; the context item's schema is tied to the domain type both ways at
 * compile time (`server/contract/context.ts`) and the document is tested against the real
 * pipeline's items (`tests/server_openapi_test.ts`).
 *
 * @module
 */
import type { ChatResponse, ContextItem } from "../lib/chat/types.ts";
import { toContextItem } from "../lib/chat/context_item.ts";
import type { Customer } from "../lib/customers/types.ts";
import type { ApiChatResponse, ApiCustomerSummary } from "./contract/chat.ts";
import type { ApiContextItem } from "./contract/context.ts";

export type { ApiChatResponse, ApiCustomerSummary } from "./contract/chat.ts";
export type { ApiContextItem } from "./contract/context.ts";

/**
 * Map a context item to the wire: the wire's item is the domain's, so this is the domain's
 * one mapping, which keeps the cited fields only (a pipeline that passes richer objects,
 * such as search hits, still sends six fields).
 */
export const toApiContextItem: (item: ContextItem) => ApiContextItem = toContextItem;

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
