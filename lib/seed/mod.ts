/**
 * Seeding: load and validate a data directory, then upsert it into the configured stores —
 * held in memory (`loadDataSet` + `seedStores`), or streamed from the folder a manual at a time
 * in bounded batches (`seedFromDirectory`), skipping documents whose content hash the index
 * already holds. Then `verifyData` and `sampleSearch` check that the stores hold what the
 * folder has, whichever backend serves them.
 *
 * @module
 */
export { CsvSyntaxError, parseCsv } from "./csv.ts";
export type { CsvRecord } from "./csv.ts";
export * from "./validate.ts";
export * from "./load_data.ts";
export * from "./link_manual.ts";
export {
  searchDocuments,
  type SeedCounts,
  type SeedProgress,
  type SeedProgressDetail,
  seedStores,
  type SeedStoresOptions,
  type SeedTargets,
} from "./seed_stores.ts";
export * from "./index_writer.ts";
export * from "./seed_directory.ts";
export * from "./verify.ts";
