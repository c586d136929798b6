/**
 * Products and manuals: the search port, its Azure AI Search and embedded (Orama) adapters,
 * the mapping from catalog rows and manuals to search documents, and the search-quality
 * evaluation of labelled queries (`deno task search:eval`).
 *
 * @module
 */
export type * from "./types.ts";
export * from "./documents.ts";
export { createOramaProductSearch } from "./orama_product_search.ts";
export type { OramaProductSearchOptions } from "./orama_product_search.ts";
export { createAzureProductSearch, productIndexDefinition } from "./azure_ai_search.ts";
export type { AzureSearchOptions } from "./azure_ai_search.ts";
export {
  evaluateSearch,
  formatMisses,
  loadLabelledQueries,
  parseLabelledQueries,
} from "./search_eval.ts";
export type { LabelledQuery, QueryOutcome, SearchQualityReport } from "./search_eval.ts";
