/**
 * Product search on Azure AI Search (`@azure/search-documents`): the index schema as code
 * (keyword fields, a vector field sized to the embedding model, HNSW, a semantic
 * configuration) and hybrid queries (text + vector, semantic ranking when configured).
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
import { UpstreamError } from "../errors.ts";
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

function searchError(error: unknown, action: string): UpstreamError {
  const status = Number((error as { statusCode?: number })?.statusCode) || 0;
  return new UpstreamError(
    `Azure AI Search failed to ${action}${status ? ` (HTTP ${status})` : ""}`,
    {
      service: "products",
      status: status || 503,
      isRetryable: status === 0 || status === 429 || status >= 500,
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
      for (let i = 0; i < documents.length; i += 500) {
        const batch = documents.slice(i, i + 500);
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
    async count(): Promise<number> {
      try {
        return await client.getDocumentsCount();
      } catch (error) {
        throw searchError(error, "count documents");
      }
    },
  };
}
