/**
 * The context item: what an answer cites of a search document (a product or a manual
 * passage). It is defined here once, as a pick of the search document's fields; the pipeline
 * makes it from search hits, the server sends it as it is (`server/contract/context.ts` ties
 * its zod schema to this type both ways) and the OpenAPI document's `ContextItem` is tested
 * against {@link CONTEXT_ITEM_FIELDS}.
 *
 * @module
 */
import type { SearchFields } from "../products/types.ts";

/** The search document's fields an answer cites, in the order the wire lists them. */
export const CONTEXT_ITEM_FIELDS = [
  "id",
  "kind",
  "productId",
  "title",
  "url",
  "content",
] as const satisfies readonly (keyof SearchFields)[];

/** A product or manual passage the answer was grounded on. */
export type ContextItem = Pick<SearchFields, typeof CONTEXT_ITEM_FIELDS[number]>;

/**
 * The context item of a search hit (or of anything that carries its fields): the cited
 * fields only, so a hit's score, category or vector never reaches a prompt or the wire.
 *
 * @example
 * ```ts
 * import { toContextItem } from "./context_item.ts";
 * const hit = { id: "7", kind: "product" as const, productId: "7", title: "Tent", url: "/p/7",
 *   content: "Two-person tent.", score: 0.9 };
 * console.assert(!("score" in toContextItem(hit)));
 * ```
 */
export function toContextItem(source: ContextItem): ContextItem {
  // An object literal rather than a loop over CONTEXT_ITEM_FIELDS: it runs for every cited
  // passage of every answer, and the type checker still rejects a missing or extra field.
  return {
    id: source.id,
    kind: source.kind,
    productId: source.productId,
    title: source.title,
    url: source.url,
    content: source.content,
  };
}
