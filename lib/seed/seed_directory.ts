/**
 * Seeding straight from a data folder, for catalogs too large to hold: the catalog, customers
 * and evaluation rows are read first (they are small), then the manuals one file at a time —
 * read, linked, chunked into passages and handed to an index writer that embeds and uploads in
 * bounded batches. Each skipped record is reported as it is found, with its file and line.
 * Customer seeding (`seedCustomers`) and search seeding (`seedSearchIndex`) are separate
 * functions, so a caller that fills only one store needs only that store.
 *
 * @module
 */
import type { Customer, CustomerStore } from "../customers/types.ts";
import {
  manualDocuments,
  type ManualLinkRule,
  productDocument,
  type UnembeddedDocument,
} from "../products/documents.ts";
import { createIndexWriter } from "./index_writer.ts";
import type { ManualLinkCounts } from "./link_manual.ts";
import { type DataProblem, type DataScan, readManuals, scanDataSet } from "./load_data.ts";
import {
  type SeedCounts,
  type SeedProgress,
  type SeedStoresOptions,
  type SeedTargets,
  writerOptions,
} from "./seed_stores.ts";

/** Options of {@link seedFromDirectory}. */
export interface SeedDirectoryOptions extends SeedStoresOptions {
  /** Told about each skipped record as it is found. */
  onProblem?: (problem: DataProblem) => void;
  /**
   * A scan of `dir` already made ({@link scanDataSet}), so two seeds of one folder (customers
   * and index side by side) read its catalog and customers once. Its problems are reported as
   * if found now.
   */
  scan?: DataScan;
  /**
   * Remove the stored documents of the catalog's products that this seed did not produce (the
   * passages a manual no longer has), when the store can list and remove them (default true).
   * Documents of products missing from the catalog, or on a bad row, are left alone.
   */
  prune?: boolean;
  /**
   * Leave a store out (e.g. Azure stores while seeding the embedded ones). Without products the
   * manuals are not read at all, and the product and passage counts are 0.
   */
  skip?: { customers?: boolean; products?: boolean };
}

/** What {@link seedFromDirectory} read and wrote. */
export interface SeedReport extends SeedCounts {
  dir: string;
  /** Every skipped record, in the order found (products, customers, evaluation rows, manuals). */
  problems: DataProblem[];
  /** Manuals linked to a product, and how many by each rule. */
  manuals: number;
  linkedBy: ManualLinkCounts;
  manualsSkipped: number;
  /** Customers read from the folder (upserted unless skipped). */
  customersRead: number;
  evalRows: number;
  /** Catalog ids that no manual was linked to. */
  productsWithoutManual: string[];
  /** Documents embedded and uploaded now. */
  embedded: number;
  /** Documents already in the index with the same content hash. */
  unchanged: number;
  embedRequests: number;
  uploadBatches: number;
  /** Stored documents removed because the folder no longer has them (see `prune`). */
  removed: number;
}

/**
 * The search documents of a scanned folder, one array at a time: every product's first, then
 * each manual's passages as its file is read. Unlinked manuals go to `onProblem`.
 *
 * @example
 * ```ts ignore
 * const scan = await scanDataSet("data");
 * for await (const docs of streamSearchDocuments(scan)) console.log(docs.length);
 * ```
 */
export async function* streamSearchDocuments(
  scan: Pick<DataScan, "products" | "manualFiles">,
  options: {
    onProblem?: (problem: DataProblem) => void;
    /** Told after each manual file: its 1-based position, and its product and rule if linked. */
    onManual?: (
      entry: { file: string; index: number; productId?: string; rule?: ManualLinkRule },
    ) => void;
  } = {},
): AsyncGenerator<UnembeddedDocument[]> {
  yield scan.products.map(productDocument);
  const byId = new Map(scan.products.map((p) => [p.id, p]));
  let index = 0;
  for await (const entry of readManuals(scan)) {
    index++;
    if (entry.problem) {
      options.onProblem?.(entry.problem);
      options.onManual?.({ file: entry.file, index });
      continue;
    }
    const docs = manualDocuments(entry.manual, byId.get(entry.manual.productId));
    const { productId, linkedBy: rule } = entry.manual;
    options.onManual?.({ file: entry.file, index, productId, rule });
    yield docs;
  }
}

/** Options of {@link seedCustomers}. */
export interface SeedCustomersOptions {
  onProgress?: SeedProgress;
  /**
   * Upserts in flight at once: the list is cut into this many parts, upserted side by side
   * (default 1: one call with the whole list).
   */
  parallel?: number;
}

/**
 * Upsert customers into the customer store; returns how many were written.
 *
 * @example
 * ```ts ignore
 * const scan = await scanDataSet("data", { catalog: false });
 * const written = await seedCustomers(customers, scan.customers, { parallel: 8 });
 * ```
 */
export async function seedCustomers(
  store: Pick<CustomerStore, "upsert">,
  customers: Customer[],
  options: SeedCustomersOptions = {},
): Promise<number> {
  const progress = options.onProgress ?? (() => {});
  progress("customers", 0, customers.length);
  const parallel = Math.max(1, options.parallel ?? 1);
  const size = Math.ceil(customers.length / parallel);
  const parts = parallel === 1 ? [customers] : [];
  for (let i = 0; parallel > 1 && i < customers.length; i += size) {
    parts.push(customers.slice(i, i + size));
  }
  const counts = await Promise.all(parts.map((part) => store.upsert(part)));
  const written = counts.reduce((a, b) => a + b, 0);
  progress("customers", written, customers.length);
  return written;
}

/** Options of {@link seedSearchIndex}. */
export interface SeedSearchOptions
  extends SeedStoresOptions, Pick<SeedDirectoryOptions, "onProblem" | "prune"> {}

/** What {@link seedSearchIndex} read and wrote. */
export type SearchSeedReport = Omit<
  SeedReport,
  "dir" | "customers" | "customersRead" | "evalRows" | "problems"
>;

/**
 * Fill the search index from a scanned folder: the catalog's products, then each manual's
 * passages as its file is read, embedded and uploaded in bounded batches (unchanged documents
 * are skipped when the store reads content hashes back). Unlinked manuals go to `onProblem`.
 *
 * @example
 * ```ts ignore
 * const scan = await scanDataSet("data");
 * const report = await seedSearchIndex({ products, embeddings }, scan);
 * console.log(report.documents, report.embedded);
 * ```
 */
export async function seedSearchIndex(
  targets: Pick<SeedTargets, "products" | "embeddings">,
  scan: Pick<DataScan, "products" | "manualFiles">,
  options: SeedSearchOptions = {},
): Promise<SearchSeedReport> {
  const progress = options.onProgress ?? (() => {});
  const linked = new Set<string>();
  const linkedBy: ManualLinkCounts = {};
  let manuals = 0;
  let manualsSkipped = 0;
  let products = 0;
  let manualPassages = 0;
  let produced = 0;
  const total = scan.manualFiles.length;
  let filesDone = 0;
  const prune = (options.prune ?? true) && !!targets.products.documentIds &&
    !!targets.products.remove;
  const producedIds = new Set<string>();
  let removed = 0;
  const writer = createIndexWriter(targets.products, targets.embeddings, {
    ...writerOptions(options),
    onStats: (s) =>
      progress("embeddings", s.embedded + s.unchanged, produced, {
        documents: produced,
        embedded: s.embedded,
        unchanged: s.unchanged,
      }),
  });
  const documents = streamSearchDocuments(scan, {
    onProblem: (p) => {
      manualsSkipped++;
      options.onProblem?.(p);
    },
    onManual: (entry) => {
      filesDone = entry.index;
      if (entry.productId === undefined) return;
      linked.add(entry.productId);
      manuals++;
      const rule = entry.rule ?? "given";
      linkedBy[rule] = (linkedBy[rule] ?? 0) + 1;
    },
  });
  let first = true;
  for await (const docs of documents) {
    if (first) products = docs.length;
    else manualPassages += docs.length;
    produced += docs.length;
    first = false;
    if (prune) { for (const d of docs) producedIds.add(d.id); }
    await writer.add(docs);
    progress("manuals", filesDone, total, {
      documents: produced,
      embedded: writer.stats.embedded,
      unchanged: writer.stats.unchanged,
    });
  }
  await writer.flush();
  if (prune) removed = await removeStale(targets.products, scan.products, producedIds);
  const { written, unchanged, embedded, embedRequests, uploadBatches } = writer.stats;
  progress("index", written, produced - unchanged, { documents: produced, embedded, unchanged });
  return {
    products,
    manualPassages,
    documents: written + unchanged,
    manuals,
    linkedBy,
    manualsSkipped,
    productsWithoutManual: scan.products.filter((p) => !linked.has(p.id)).map((p) => p.id),
    embedded,
    unchanged,
    embedRequests,
    uploadBatches,
    removed,
  };
}

/** The search part of a seed that left the products out. */
const NO_SEARCH_SEED: SearchSeedReport = {
  products: 0,
  manualPassages: 0,
  documents: 0,
  manuals: 0,
  linkedBy: {},
  manualsSkipped: 0,
  productsWithoutManual: [],
  embedded: 0,
  unchanged: 0,
  embedRequests: 0,
  uploadBatches: 0,
  removed: 0,
};

/**
 * Seed the stores from a data folder without holding its manuals or their vectors: memory stays
 * at one upload batch. The customers ({@link seedCustomers}), then the search index
 * ({@link seedSearchIndex}). Skipped records are reported by file and line (`onProblem` and the
 * report); with a store that reads content hashes back (Azure AI Search), unchanged documents
 * are neither embedded nor uploaded again.
 *
 * @example
 * ```ts ignore
 * const report = await seedFromDirectory("data", { customers, products, embeddings }, {
 *   onProblem: (p) => console.warn(`${p.file}:${p.line ?? ""} ${p.message}`),
 * });
 * console.log(report.documents, report.embedded, report.unchanged);
 * ```
 */
export async function seedFromDirectory(
  dir: string,
  stores: SeedTargets,
  options: SeedDirectoryOptions = {},
): Promise<SeedReport> {
  const problems: DataProblem[] = [];
  const problem = (p: DataProblem) => {
    problems.push(p);
    options.onProblem?.(p);
  };
  const scan = options.scan ?? await scanDataSet(dir);
  scan.problems.forEach(problem);
  const customers = options.skip?.customers
    ? 0
    : await seedCustomers(stores.customers, scan.customers, { onProgress: options.onProgress });
  const search = options.skip?.products
    ? NO_SEARCH_SEED
    : await seedSearchIndex(stores, scan, { ...options, onProblem: problem });
  return {
    dir,
    customers,
    ...search,
    problems,
    customersRead: scan.customers.length,
    evalRows: Object.values(scan.eval).reduce((n, rows) => n + rows.length, 0),
  };
}

/** Remove the stored documents of these products that are not among `keep`. */
async function removeStale(
  products: SeedTargets["products"],
  catalog: { id: string }[],
  keep: Set<string>,
): Promise<number> {
  const stored = await products.documentIds!(catalog.map((p) => p.id));
  const stale = stored.filter((id) => !keep.has(id));
  return stale.length > 0 ? await products.remove!(stale) : 0;
}
