/**
 * The context item on the wire: the zod schema of `lib/chat`'s {@link ContextItem}, which
 * the answer, the stream's `context` event and `/openapi.json` share. The domain type is the
 * one definition; this schema is tied to it both ways at compile time (each field's schema
 * must produce that field's type, no field may be missing or extra), and
 * `tests/server_openapi_test.ts` checks the generated document against the real pipeline's
 * items.
 *
 * @module
 */
import { z } from "@hono/zod-openapi";
import type { ContextItem } from "../../lib/chat/types.ts";
import type { SearchHit } from "../../lib/products/types.ts";

const contextItemFields = {
  id: z.string().openapi({ description: "Product id, or `<productId>-manual-<section>`" }),
  kind: z.enum(["product", "manual"]),
  productId: z.string(),
  title: z.string(),
  url: z.string().openapi({ description: "Where the source can be read" }),
  content: z.string().openapi({ description: "The text the answer was grounded on (Markdown)" }),
} satisfies { [K in keyof ContextItem]-?: z.ZodType<ContextItem[K]> };

/** A product or manual passage the answer used (the contract's `id, title, url, content`). */
export const ContextItemSchema = z.object(contextItemFields).openapi("ContextItem");

/** The wire's context item: the domain type itself (the schema above is checked against it). */
export type ApiContextItem = ContextItem;

// The other direction of the tie: what the schema accepts is exactly a context item, so a
// field added to or dropped from the domain type fails `deno check` here, not on the wire.
type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaIsTheContextItem: Exactly<z.infer<typeof ContextItemSchema>, ContextItem> = true;
// A search hit carries every cited field with the same type, so toContextItem(hit) needs no cast.
const searchHitCarriesTheContextItem: Exactly<
  Pick<SearchHit, keyof ContextItem>,
  ContextItem
> = true;
void [schemaIsTheContextItem, searchHitCarriesTheContextItem];
