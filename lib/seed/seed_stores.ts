/**
 * Upserting a data set into the configured stores: customers into the customer store, and
 * products plus manual passages (embedded in batches) into the search index. Idempotent: keys
 * are stable, so running it twice leaves the same counts.
 *
 * @module
 */
import type { CustomerStore } from "../customers/types.ts";
import type { EmbeddingModel } from "../models/types.ts";
import {
  embeddingText,
  manualDocuments,
  productDocument,
  type UnembeddedDocument,
} from "../products/documents.ts";
import type { ProductSearch, SearchDocument } from "../products/types.ts";
import type { DataSet } from "./load_data.ts";

/** Progress of seeding: a stage and how far it is. */
export type SeedProgress = (
  stage: "customers" | "embeddings" | "index",
  done: number,
  total: number,
) => void;

/** What seeding wrote. */
export interface SeedCounts {
  customers: number;
  products: number;
  manualPassages: number;
  documents: number;
}

/** The search documents (without vectors) of a data set. */
export function searchDocuments(data: Pick<DataSet, "products" | "manuals">): UnembeddedDocument[] {
  const byId = new Map(data.products.map((p) => [p.id, p]));
  return [
    ...data.products.map(productDocument),
    ...data.manuals.flatMap((m) => manualDocuments(m, byId.get(m.productId))),
  ];
}

/**
 * Seed the stores from a data set.
 *
 * @example
 * ```ts ignore
 * const counts = await seedStores(data, { customers, products, embeddings });
 * ```
 */
export async function seedStores(
  data: DataSet,
  stores: { customers: CustomerStore; products: ProductSearch; embeddings: EmbeddingModel },
  options: { batchSize?: number; onProgress?: SeedProgress } = {},
): Promise<SeedCounts> {
  const progress = options.onProgress ?? (() => {});
  progress("customers", 0, data.customers.length);
  const customers = await stores.customers.upsert(data.customers);
  progress("customers", customers, data.customers.length);

  const docs = searchDocuments(data);
  const batch = options.batchSize ?? 64;
  const embedded: SearchDocument[] = [];
  for (let i = 0; i < docs.length; i += batch) {
    const slice = docs.slice(i, i + batch);
    const vectors = await stores.embeddings.embed(slice.map(embeddingText));
    slice.forEach((d, j) => embedded.push({ ...d, contentVector: vectors[j] }));
    progress("embeddings", embedded.length, docs.length);
  }
  progress("index", 0, embedded.length);
  const written = await stores.products.upsert(embedded);
  progress("index", written, embedded.length);
  return {
    customers,
    products: docs.filter((d) => d.kind === "product").length,
    manualPassages: docs.filter((d) => d.kind === "manual").length,
    documents: written,
  };
}
