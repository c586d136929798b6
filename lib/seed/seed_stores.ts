/**
 * Upserting a data set into the configured stores: customers into the customer store, and
 * products plus manual passages into the search index, embedded in requests sized to the model's
 * limits and uploaded in bounded batches (see {@link createIndexWriter}). Idempotent: keys are
 * stable, so running it twice leaves the same counts; a store that reads content hashes back
 * gets nothing embedded or uploaded the second time.
 *
 * @module
 */
import type { CustomerStore } from "../customers/types.ts";
import type { EmbeddingModel } from "../models/types.ts";
import {
  manualDocuments,
  productDocument,
  type UnembeddedDocument,
} from "../products/documents.ts";
import type { ProductSearch } from "../products/types.ts";
import { createIndexWriter, type IndexWriterOptions } from "./index_writer.ts";
import type { DataSet } from "./load_data.ts";

/** How far seeding is, beyond the stage's own count. */
export interface SeedProgressDetail {
  /** Search documents produced so far. */
  documents: number;
  /** Of those, embedded (and uploaded). */
  embedded: number;
  /** Of those, already in the index with the same content hash. */
  unchanged: number;
}

/**
 * Progress of seeding: a stage and how far it is. "manuals" counts manual files (streaming
 * seeding), "embeddings" documents embedded or found unchanged, "index" documents written.
 */
export type SeedProgress = (
  stage: "customers" | "manuals" | "embeddings" | "index",
  done: number,
  total: number,
  detail?: SeedProgressDetail,
) => void;

/** What seeding wrote. */
export interface SeedCounts {
  customers: number;
  products: number;
  manualPassages: number;
  /** Search documents in the index from this data: uploaded now, or already there unchanged. */
  documents: number;
}

/** The stores seeding fills. */
export interface SeedTargets {
  customers: CustomerStore;
  products: ProductSearch;
  embeddings: EmbeddingModel;
}

/** Options of {@link seedStores}. */
export interface SeedStoresOptions extends Omit<IndexWriterOptions, "onStats"> {
  /** Most texts in one embedding request (the model's own limits still apply). */
  batchSize?: number;
  onProgress?: SeedProgress;
}

/** The search documents (without vectors) of a data set. */
export function searchDocuments(data: Pick<DataSet, "products" | "manuals">): UnembeddedDocument[] {
  const byId = new Map(data.products.map((p) => [p.id, p]));
  return [
    ...data.products.map(productDocument),
    ...data.manuals.flatMap((m) => manualDocuments(m, byId.get(m.productId))),
  ];
}

/** The writer options of a seeding call (`batchSize` is a cap on inputs per request). */
export function writerOptions(options: SeedStoresOptions): IndexWriterOptions {
  const { batchSize, onProgress: _, ...rest } = options;
  return batchSize === undefined
    ? rest
    : { ...rest, limits: { ...rest.limits, maxInputs: batchSize } };
}

/**
 * Seed the stores from a data set held in memory (see `seedFromDirectory` for a folder too
 * large for that).
 *
 * @example
 * ```ts ignore
 * const counts = await seedStores(data, { customers, products, embeddings });
 * ```
 */
export async function seedStores(
  data: DataSet,
  stores: SeedTargets,
  options: SeedStoresOptions = {},
): Promise<SeedCounts> {
  const progress = options.onProgress ?? (() => {});
  progress("customers", 0, data.customers.length);
  const customers = await stores.customers.upsert(data.customers);
  progress("customers", customers, data.customers.length);

  const docs = searchDocuments(data);
  let reported = 0;
  const writer = createIndexWriter(stores.products, stores.embeddings, {
    ...writerOptions(options),
    onStats: (s) => {
      const done = s.embedded + s.unchanged;
      if (done === reported) return;
      reported = done;
      progress("embeddings", done, docs.length, {
        documents: docs.length,
        embedded: s.embedded,
        unchanged: s.unchanged,
      });
    },
  });
  await writer.add(docs);
  await writer.flush();
  const { written, unchanged } = writer.stats;
  progress("index", written, docs.length - unchanged);
  return {
    customers,
    products: docs.filter((d) => d.kind === "product").length,
    manualPassages: docs.filter((d) => d.kind === "manual").length,
    documents: written + unchanged,
  };
}
