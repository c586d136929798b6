/**
 * Filling the embedded stores at start-up: customers into the embedded Cosmos DB server, and
 * the embedded search index from the index cache when its key matches, else streamed from the
 * data folder (`seedFromDirectory`) with the previous build's vectors reused, then persisted.
 * The cache is opened first and its file loads while the customers are read and upserted; on a
 * hit the catalog and the manuals are not read at all (a warm start at 10,000 products is then
 * mostly module loading, customer upserts and the index file's read). Every skipped record is
 * reported once, as it is found (on a hit, the catalog's and manuals' from the build).
 *
 * @module
 */
import { join, sep } from "node:path";
import type { Config } from "../config/types.ts";
import type { CustomerStore } from "../customers/types.ts";
import type { EmbeddingModel } from "../models/types.ts";
import {
  type IndexCache,
  type IndexCounts,
  openIndexCache,
  reuseEmbeddings,
} from "../products/index_cache.ts";
import {
  createIndexTokenizer,
  createOramaProductSearch,
  type EmbeddedProductSearch,
} from "../products/orama_product_search.ts";
import { type DataProblem, scanDataSet } from "../seed/load_data.ts";
import { seedCustomers, seedSearchIndex } from "../seed/seed_directory.ts";
import type { SeedCounts } from "../seed/seed_stores.ts";
import { stableJson } from "../text/hash.ts";

/** What the index cache did at start-up. */
export interface IndexCacheReport {
  /**
   * `loaded`: the persisted index was used; `built`: built and written; `not-written`: built,
   * too small to be worth writing (or the write failed); `off`: no cache folder configured.
   */
  status: "loaded" | "built" | "not-written" | "off";
  file?: string;
  /** Passages whose vectors came from the cache, and passages embedded now. */
  reused: number;
  embedded: number;
}

/**
 * Whether the embedded search compares every vector: CONTOSO_EXACT_VECTORS when set, else only
 * for embedding models other than the offline one. Text-first relies on the hashed offline
 * embeddings, where a vector scores high only where words are shared; a real embedding model
 * finds passages that share no word with the question, which only a comparison with every vector
 * sees (docs/scale.md).
 */
export function usesExactVectors(config: Pick<Config, "embedding" | "embeddedIndex">): boolean {
  return config.embeddedIndex?.exactVectors ?? config.embedding.backend !== "offline";
}

/** Options of {@link seedEmbedded}. */
export interface SeedEmbeddedOptions {
  dataDir: string;
  /** The embedded customer store to fill (absent when customers live in Azure). */
  customers?: CustomerStore;
  /** The embedded index to build (absent when products live in Azure). */
  search?: {
    dimensions: number;
    exactVectors: boolean;
    /** Index cache folder; absent: no cache. */
    cacheDir?: string;
    /** The embedding model's identity (`embeddingIdentity`). */
    identity: Record<string, unknown>;
    /** Smallest index written to the cache (tests). */
    cacheMinDocuments?: number;
  };
  embeddings: EmbeddingModel;
  onDataProblem?: (problem: DataProblem) => void;
  warn: (message: string) => void;
}

/** What {@link seedEmbedded} filled. */
export interface SeedEmbeddedResult {
  seeded: SeedCounts;
  search?: EmbeddedProductSearch;
  indexCache?: IndexCacheReport;
}

/** Passages a manual is expected to make, to size the index before seeding. */
const PASSAGES_PER_MANUAL = 7;

/**
 * Documents embedded and indexed together when the offline model builds the embedded index
 * (instead of the writer's 500). A batch's texts, vectors and replies outlive a few young-
 * generation collections while it is embedded, so V8 moves them to the old generation, whose
 * garbage waits for a full collection: at 10,000 products the heap reached 220–310 MB with
 * about 55 MB live. With 64 it stays near 140 MB and the cold peak RSS (in process) went from
 * 475–485 to 400–406 MiB (128: 456, 256: 495). The offline model is in-process, so a smaller
 * request costs nothing; a remote model keeps larger requests (fewer round trips).
 */
const OFFLINE_INDEX_BATCH = 64;

/** Customer upserts in flight at once (the embedded server answers each in about 1–2 ms). */
const CUSTOMER_UPSERTS_IN_PARALLEL = 8;

/** The index cache of the seed, or `undefined` when it is off or cannot be opened (warned). */
async function openCache(options: SeedEmbeddedOptions): Promise<IndexCache | undefined> {
  const s = options.search;
  if (!s?.cacheDir) return undefined;
  try {
    return await openIndexCache({
      dir: s.cacheDir,
      dataDir: options.dataDir,
      identity: s.identity,
      tokenize: createIndexTokenizer(),
      // Small indexes are rebuilt (cheaper than hashing files), except on GitHub Models,
      // where every rebuild spends requests of a free allowance of 150 a day.
      minDocuments: s.cacheMinDocuments ??
        (options.embeddings.backend === "github-models" ? 1 : undefined),
      warn: options.warn,
    });
  } catch (error) {
    // The cache only saves time: without it the index is built as if it were off.
    options.warn(`Cannot use the index cache in "${s.cacheDir}": ${(error as Error).message}`);
    return undefined;
  }
}

/**
 * Seed the embedded stores from `dataDir`.
 *
 * @example
 * ```ts ignore
 * const { seeded, search } = await seedEmbedded({ dataDir, customers, search: { … }, embeddings, warn });
 * ```
 */
export async function seedEmbedded(options: SeedEmbeddedOptions): Promise<SeedEmbeddedResult> {
  const seen = new Set<string>();
  const problems: DataProblem[] = [];
  const report = (problem: DataProblem) => {
    const key = stableJson(problem);
    if (seen.has(key)) return;
    seen.add(key);
    problems.push(problem);
    options.onDataProblem?.(problem);
  };

  // The index cache is opened first: it fingerprints the data folder (synchronously) and starts
  // reading its file, which loads while the customers are read and upserted. The catalog and
  // the manuals are scanned only when the index is built: on a hit they are not read at all
  // (products.csv and the listing of 10,000 manuals were 180 of the scan's 200 ms).
  const cacheOpening = openCache(options);
  const people = await scanDataSet(options.dataDir, { catalog: false });

  // Customers and the index are separate seeds side by side: each gets only its own store.
  if (options.customers) people.problems.forEach(report);
  const customersTask = (): Promise<number> =>
    options.customers
      ? seedCustomers(options.customers, people.customers, {
        parallel: CUSTOMER_UPSERTS_IN_PARALLEL,
      })
      : Promise.resolve(0);

  const indexTask = async () => {
    const s = options.search;
    if (!s) return undefined;
    const cache = await cacheOpening;
    const search = createOramaProductSearch({
      dimensions: s.dimensions,
      exactVectors: s.exactVectors,
      index: cache?.hit?.index,
    });
    if (cache?.hit) {
      // The catalog and manuals are not read: report what was skipped in them when the index
      // was built (the key covers those files). Customers and evaluation sets were read now.
      const fresh = [join(options.dataDir, "customers"), join(options.dataDir, "eval")];
      cache.hit.meta.problems
        .filter((p) => !fresh.some((dir) => p.file.startsWith(dir + sep)))
        .forEach(report);
      const indexCache: IndexCacheReport = {
        status: "loaded",
        file: cache.file,
        reused: cache.hit.index.size,
        embedded: 0,
      };
      return { search, counts: cache.hit.meta.counts, indexCache };
    }
    // Customers again, with the catalog: their problems are reported once (deduplicated) and
    // kept with the index's, as the build's record of the folder.
    const scan = await scanDataSet(options.dataDir);
    // About six passages a manual in the catalogs measured; room for seven avoids growing the
    // vector matrix (and holding two copies) while the folder streams in.
    search.reserve(scan.products.length + PASSAGES_PER_MANUAL * scan.manualFiles.length);
    const embeddings = reuseEmbeddings(options.embeddings, cache?.reuse ?? new Map());
    const buildProblems: DataProblem[] = [...scan.problems];
    scan.problems.forEach(report);
    const r = await seedSearchIndex({ products: search, embeddings }, scan, {
      onProblem: (problem) => {
        buildProblems.push(problem);
        report(problem);
      },
      uploadBatchSize: options.embeddings.backend === "offline" ? OFFLINE_INDEX_BATCH : undefined,
    });
    const counts: IndexCounts = {
      products: r.products,
      manualPassages: r.manualPassages,
      documents: r.documents,
    };
    let written = false;
    if (cache) {
      try {
        written = await cache.save(search.index, { counts, problems: buildProblems });
      } catch (error) {
        options.warn(`Cannot write the index cache "${cache.file}": ${(error as Error).message}`);
      }
    }
    const indexCache: IndexCacheReport = {
      status: !cache ? "off" : written ? "built" : "not-written",
      file: cache?.file,
      ...embeddings.stats,
    };
    return { search, counts, indexCache };
  };

  const [customers, index] = await Promise.all([customersTask(), indexTask()]);
  index?.search.prepare();
  return {
    seeded: {
      customers,
      ...(index?.counts ?? { products: 0, manualPassages: 0, documents: 0 }),
    },
    search: index?.search,
    indexCache: index?.indexCache,
  };
}
