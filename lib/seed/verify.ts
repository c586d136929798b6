/**
 * Checking that provisioning and seeding worked, whichever backend serves the data: the
 * customer and search-document counts against the data folder, and sample hybrid searches
 * that must find catalog products and manual passages.
 *
 * @module
 */
import type { Runtime } from "../runtime/types.ts";
import type { DataSet } from "./load_data.ts";
import { searchDocuments } from "./seed_stores.ts";
import type { SearchHit } from "../products/types.ts";

/** One verification row. */
export interface DataCheck {
  check: string;
  expected: string;
  found: string;
  ok: boolean;
}

/** Minimum counts the workshop needs, whatever the data folder holds. */
export const SEED_MINIMUM = { customers: 12, products: 20 } as const;

/**
 * Compare the stores with the data folder: at least 12 customers and 20 products, a manual per
 * product, and every product and manual passage indexed.
 */
export async function verifyData(
  runtime: Pick<Runtime, "customers" | "products">,
  data: Pick<DataSet, "customers" | "products" | "manuals">,
): Promise<DataCheck[]> {
  const documents = searchDocuments(data);
  const passages = documents.filter((d) => d.kind === "manual").length;
  const [customers, indexed] = await Promise.all([
    runtime.customers.count(),
    runtime.products.count(),
  ]);
  const withManual = new Set(data.manuals.map((m) => m.productId));
  const manualless = data.products.filter((p) => !withManual.has(p.id)).length;
  return [
    {
      check: "customers in the store",
      expected: `≥ ${Math.max(SEED_MINIMUM.customers, data.customers.length)}`,
      found: String(customers),
      ok: customers >= Math.max(SEED_MINIMUM.customers, data.customers.length),
    },
    {
      check: "products in the catalog",
      expected: `≥ ${SEED_MINIMUM.products}`,
      found: String(data.products.length),
      ok: data.products.length >= SEED_MINIMUM.products,
    },
    {
      check: "product manuals",
      expected: `one per product (${data.products.length})`,
      found: `${data.manuals.length} (${passages} passages)`,
      ok: data.manuals.length > 0 && manualless === 0,
    },
    {
      check: "search documents indexed",
      expected: `≥ ${documents.length} (products + passages)`,
      found: String(indexed),
      ok: indexed >= documents.length,
    },
  ];
}

/** Run one hybrid search the way the pipeline does: embed the text, then search. */
export async function sampleSearch(
  runtime: Pick<Runtime, "embeddingModel" | "products">,
  text: string,
  options: { top?: number } = {},
): Promise<SearchHit[]> {
  const [vector] = await runtime.embeddingModel.embed([text]);
  return await runtime.products.search({ text, vector }, { top: options.top ?? 3 });
}
