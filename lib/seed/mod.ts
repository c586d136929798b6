/**
 * Seeding: load and validate a data directory, then upsert it into the configured stores.
 *
 * @module
 */
export { parseCsv } from "./csv.ts";
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
