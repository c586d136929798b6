/**
 * Product search on Azure AI Search (`@azure/search-documents`): the index schema as code
 * (keyword fields, a vector field sized to the embedding model, HNSW, a semantic
 * configuration, a `contentHash` per document) and hybrid queries (text + vector, semantic
 * ranking when configured). Uploads go in batches under the service's limits (1,000 documents
 * or about 16 MB per request), and the stored content hashes are read back by id so seeding
 * can skip unchanged documents.
 *
 * @module
 */
import type {
  SearchClient,
  SearchIndex,
  SearchIndexClient,
  SearchOptions,
  VectorizedQuery,
} from "@azure/search-documents";
import { isRetryableStatus, UpstreamError } from "../errors.ts";
import type { ProductSearch, SearchDocument, SearchHit, SearchQuery } from "./types.ts";

/** Options of the Azure AI Search adapter. */
export interface AzureSearchOptions {
  indexName: string;
  dimensions: number;
  /** Semantic configuration name; empty disables semantic ranking. */
  semanticConfiguration: string;
}

/** The index definition (schema as code). */
export function productIndexDefinition(options: AzureSearchOptions): SearchIndex {
  return {
    name: options.indexName,
    fields: [
      { name: "id", type: "Edm.String", key: true, filterable: true },
      { name: "kind", type: "Edm.String", filterable: true, facetable: true },
      { name: "productId", type: "Edm.String", filterable: true },
      { name: "title", type: "Edm.String", searchable: true },
      { name: "content", type: "Edm.String", searchable: true },
      { name: "url", type: "Edm.String" },
      { name: "category", type: "Edm.String", filterable: true, facetable: true, searchable: true },
      { name: "brand", type: "Edm.String", filterable: true, facetable: true, searchable: true },
      // Read back by seeding to skip unchanged documents; adding it to an existing index is an
      // allowed update (new fields may be added, existing ones not changed).
      { name: "contentHash", type: "Edm.String", filterable: true },
      {
        name: "contentVector",
        type: "Collection(Edm.Single)",
        searchable: true,
        vectorSearchDimensions: options.dimensions,
        vectorSearchProfileName: "default-profile",
      },
    ],
    vectorSearch: {
      algorithms: [{
        name: "default-hnsw",
        kind: "hnsw",
        parameters: { metric: "cosine", m: 4, efConstruction: 400, efSearch: 500 },
      }],
      profiles: [{ name: "default-profile", algorithmConfigurationName: "default-hnsw" }],
    },
    semanticSearch: {
      defaultConfigurationName: options.semanticConfiguration || "default",
      configurations: [{
        name: options.semanticConfiguration || "default",
        prioritizedFields: {
          titleField: { name: "title" },
          contentFields: [{ name: "content" }],
          keywordsFields: [{ name: "category" }, { name: "brand" }],
        },
      }],
    },
  };
}

/** Documents per upload request (the service's limit is 1,000). */
export const UPLOAD_MAX_DOCUMENTS = 1000;
/** Bytes per upload request, under the service's 16 MB with room for the envelope. */
export const UPLOAD_MAX_BYTES = 12 * 1024 * 1024;
/** Ids per `search.in` filter when reading hashes back (and the `top` of that query). */
export const HASH_LOOKUP_IDS = 1000;

const encoder = new TextEncoder();

/** A safe-side size of a document as JSON: its text in UTF-8, ~24 bytes a vector component. */
function documentBytes(doc: SearchDocument): number {
  let bytes = 256 + doc.contentVector.length * 24;
  for (const value of Object.values(doc)) {
    if (typeof value === "string") bytes += encoder.encode(value).length + 16;
  }
  return bytes;
}

/** Split documents, in order, into upload requests under the document and byte limits. */
export function uploadBatches(
  documents: SearchDocument[],
  limits: { maxDocuments?: number; maxBytes?: number } = {},
): SearchDocument[][] {
  const maxDocuments = limits.maxDocuments ?? UPLOAD_MAX_DOCUMENTS;
  const maxBytes = limits.maxBytes ?? UPLOAD_MAX_BYTES;
  const batches: SearchDocument[][] = [];
  let batch: SearchDocument[] = [];
  let bytes = 0;
  for (const doc of documents) {
    const size = documentBytes(doc);
    if (batch.length > 0 && (batch.length >= maxDocuments || bytes + size > maxBytes)) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(doc);
    bytes += size;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

/** Product ids per `search.in(productId, …)` query when listing their documents. */
export const PRODUCTS_PER_LISTING = 100;

/** An OData filter matching these values of a field (ids hold no commas; quotes are doubled). */
function inFilter(field: "id" | "productId", values: string[]): string {
  return `search.in(${field}, '${values.map((v) => v.replaceAll("'", "''")).join(",")}', ',')`;
}

/** An Azure AI Search SDK failure as the `UpstreamError` of the products service. */
export function searchError(error: unknown, action: string): UpstreamError {
  const status = Number((error as { statusCode?: number })?.statusCode) || 0;
  return new UpstreamError(
    `Azure AI Search failed to ${action}${status ? ` (HTTP ${status})` : ""}`,
    {
      service: "products",
      status: status || 503,
      isRetryable: isRetryableStatus(status),
      cause: error,
    },
  );
}

/** The adapter over clients built by the composition root. */
export function createAzureProductSearch(
  client: SearchClient<SearchDocument>,
  indexClient: SearchIndexClient | undefined,
  options: AzureSearchOptions,
): ProductSearch & { ensureIndex(): Promise<void> } {
  return {
    backend: "azure-search",
    async ensureIndex() {
      if (!indexClient) throw new TypeError("Cannot create the search index: no index client");
      try {
        await indexClient.createOrUpdateIndex(productIndexDefinition(options));
      } catch (error) {
        throw searchError(error, `create index "${options.indexName}"`);
      }
    },
    async search(
      query: SearchQuery,
      o: { top?: number; signal?: AbortSignal } = {},
    ): Promise<SearchHit[]> {
      const top = o.top ?? 3;
      const vectorQuery: VectorizedQuery<SearchDocument> = {
        kind: "vector",
        vector: query.vector,
        kNearestNeighborsCount: top,
        fields: ["contentVector"],
      };
      try {
        const base = {
          top,
          select: [
            "id",
            "kind",
            "productId",
            "title",
            "content",
            "url",
            "category",
            "brand",
          ] as const,
          vectorSearchOptions: { queries: [vectorQuery] },
          abortSignal: o.signal,
        };
        const searchOptions = (options.semanticConfiguration
          ? {
            ...base,
            queryType: "semantic",
            semanticSearchOptions: { configurationName: options.semanticConfiguration },
          }
          : base) as SearchOptions<SearchDocument>;
        const response = await client.search(query.text, searchOptions);
        const hits: SearchHit[] = [];
        for await (const result of response.results) {
          const d = result.document as SearchDocument;
          hits.push({
            id: d.id,
            kind: d.kind,
            productId: d.productId,
            title: d.title,
            content: d.content,
            url: d.url,
            category: d.category,
            brand: d.brand,
            score: result.rerankerScore ?? result.score,
          });
        }
        return hits;
      } catch (error) {
        throw searchError(error, "search");
      }
    },
    async upsert(documents: SearchDocument[]): Promise<number> {
      let count = 0;
      for (const batch of uploadBatches(documents)) {
        try {
          const result = await client.mergeOrUploadDocuments(batch);
          const failed = result.results.filter((r) => !r.succeeded);
          if (failed.length > 0) {
            throw new Error(
              `${failed.length} documents failed: ${
                failed.slice(0, 3).map((f) => `${f.key}: ${f.errorMessage}`).join("; ")
              }`,
            );
          }
          count += batch.length;
        } catch (error) {
          throw searchError(error, "upload documents");
        }
      }
      return count;
    },
    async existingHashes(ids: string[]): Promise<Map<string, string>> {
      const found = new Map<string, string>();
      for (let i = 0; i < ids.length; i += HASH_LOOKUP_IDS) {
        const chunk = ids.slice(i, i + HASH_LOOKUP_IDS);
        try {
          const response = await client.search("*", {
            filter: inFilter("id", chunk),
            select: ["id", "contentHash"],
            top: chunk.length,
          } as SearchOptions<SearchDocument>);
          for await (const result of response.results) {
            const d = result.document as Partial<SearchDocument>;
            if (d.id && d.contentHash) found.set(d.id, d.contentHash);
          }
        } catch (error) {
          throw searchError(error, "read content hashes");
        }
      }
      return found;
    },
    async documentIds(productIds: string[]): Promise<string[]> {
      const ids: string[] = [];
      const list = async (chunk: string[]): Promise<void> => {
        let found: string[] = [];
        try {
          const response = await client.search("*", {
            filter: inFilter("productId", chunk),
            select: ["id"],
            top: HASH_LOOKUP_IDS,
          } as SearchOptions<SearchDocument>);
          for await (const result of response.results) {
            found.push((result.document as Partial<SearchDocument>).id!);
          }
        } catch (error) {
          throw searchError(error, "list documents");
        }
        // A full page may have been cut at `top`: ask again for each half of the products.
        if (found.length >= HASH_LOOKUP_IDS && chunk.length > 1) {
          found = [];
          const half = Math.ceil(chunk.length / 2);
          await list(chunk.slice(0, half));
          await list(chunk.slice(half));
        }
        ids.push(...found);
      };
      for (let i = 0; i < productIds.length; i += PRODUCTS_PER_LISTING) {
        await list(productIds.slice(i, i + PRODUCTS_PER_LISTING));
      }
      return ids;
    },
    async remove(ids: string[]): Promise<number> {
      let count = 0;
      for (let i = 0; i < ids.length; i += UPLOAD_MAX_DOCUMENTS) {
        const batch = ids.slice(i, i + UPLOAD_MAX_DOCUMENTS);
        try {
          const result = await client.deleteDocuments("id", batch);
          count += result.results.filter((r) => r.succeeded).length;
        } catch (error) {
          throw searchError(error, "remove documents");
        }
      }
      return count;
    },
    async count(): Promise<number> {
      try {
        return await client.getDocumentsCount();
      } catch (error) {
        throw searchError(error, "count documents");
      }
    },
  };
}
