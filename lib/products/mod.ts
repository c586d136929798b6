/**
 * Products and manuals: the search port, its Azure AI Search and embedded (Orama) adapters,
 * and the mapping from catalog rows and manuals to search documents.
 *
 * @module
 */
export type * from "./types.ts";
export * from "./documents.ts";
export { createOramaProductSearch } from "./orama_product_search.ts";
export type { OramaProductSearchOptions } from "./orama_product_search.ts";
export { createAzureProductSearch, productIndexDefinition } from "./azure_ai_search.ts";
export type { AzureSearchOptions } from "./azure_ai_search.ts";
