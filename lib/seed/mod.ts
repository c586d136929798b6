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
export * from "./seed_stores.ts";
