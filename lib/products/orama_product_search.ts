/**
 * The embedded product search: an in-process hybrid (full-text + vector) index on
 * `@orama/orama`, built from the same search documents that seeding uploads to Azure AI Search.
 *
 * @module
 */
import { count, create, search, upsertMultiple } from "@orama/orama";
import { stopWordList } from "../text/mod.ts";
import type { ProductSearch, SearchDocument, SearchHit, SearchQuery } from "./types.ts";

/** Options of {@link createOramaProductSearch}. */
export interface OramaProductSearchOptions {
  dimensions: number;
  /** Weights of the text and vector halves of the hybrid score. */
  hybridWeights?: { text: number; vector: number };
}

/**
 * Create an empty embedded index for vectors of `dimensions` floats.
 *
 * @example
 * ```ts ignore
 * const search = createOramaProductSearch({ dimensions: 256 });
 * await search.upsert(documents);
 * ```
 */
export function createOramaProductSearch(options: OramaProductSearchOptions): ProductSearch {
  const db = create({
    schema: {
      id: "string",
      kind: "enum",
      productId: "string",
      title: "string",
      content: "string",
      url: "string",
      category: "string",
      brand: "string",
      contentVector: `vector[${options.dimensions}]`,
    } as const,
    // Orama matches query tokens as prefixes, so "i" or "the" in a question pulled in most of
    // the index and was most of a chat request's CPU time; stop words carry no content anyway.
    // Stemming (Orama's English stemmer) lets "assemble" find "Assembly" and "clean" find
    // "cleaning": measured by `deno task search:eval`, top-1 on data/ 0.391 → 0.413.
    components: { tokenizer: { stopWords: stopWordList(), stemming: true } },
  });
  const weights = options.hybridWeights ?? { text: 0.5, vector: 0.5 };

  return {
    backend: "embedded",
    async search(query: SearchQuery, o: { top?: number } = {}): Promise<SearchHit[]> {
      if (query.vector.length !== options.dimensions) {
        throw new TypeError(
          `Query vector has ${query.vector.length} dimensions; the index expects ${options.dimensions}`,
        );
      }
      const results = await search(db, {
        mode: "hybrid",
        term: query.text,
        properties: ["title", "content", "category", "brand"],
        vector: { value: query.vector, property: "contentVector" },
        similarity: 0.05,
        hybridWeights: weights,
        limit: o.top ?? 3,
        includeVectors: false,
      });
      return results.hits.map(({ document, score }) => ({
        id: document.id,
        kind: document.kind as SearchHit["kind"],
        productId: document.productId,
        title: document.title,
        content: document.content,
        url: document.url,
        category: document.category,
        brand: document.brand,
        score,
      }));
    },
    async upsert(documents: SearchDocument[]): Promise<number> {
      for (const d of documents) {
        if (d.contentVector.length !== options.dimensions) {
          throw new TypeError(
            `Document "${d.id}" has a ${d.contentVector.length}-dimension vector; expected ${options.dimensions}`,
          );
        }
      }
      await upsertMultiple(db, documents.map((d) => ({ ...d })));
      return documents.length;
    },
    count(): Promise<number> {
      return Promise.resolve(count(db));
    },
  };
}
