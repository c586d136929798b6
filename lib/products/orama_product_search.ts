/**
 * The embedded product search: an in-process hybrid (full-text + vector) index on
 * `@orama/orama`, built from the same search documents that seeding uploads to Azure AI Search.
 *
 * @module
 */
import { components, count, create, search, upsertMultiple } from "@orama/orama";
import { stopWordList } from "../text/mod.ts";
import type { ProductSearch, SearchDocument, SearchHit, SearchQuery } from "./types.ts";

/** BM25 parameters of the full-text half (Orama's names: `k` saturation, `b` length, `d` floor). */
export interface Bm25Parameters {
  k: number;
  b: number;
  d: number;
}

/**
 * The full-text ranking: Orama's `k` and `d`, and `b = 0`. Orama's term frequency is already the
 * count divided by the field's length, so its default `b = 0.75` divides by length a second time
 * and short passages (an Overview, a Warranty) outranked the section that answers. Measured by
 * `deno task search:eval` with everything else as shipped, `b` 0.75 → 0 took top-1 on the
 * development sets from 0.696 to 0.826 (data/) and 0.667 to 0.833 (paddle), MRR up on all four
 * sets; it cost one held-out query on data/ (top-1 0.850 → 0.800).
 */
export const DEFAULT_BM25: Bm25Parameters = { k: 1.2, b: 0, d: 0.5 };

/**
 * The hybrid blend. The offline hashed embeddings only know shared words and word pieces, so the
 * keyword half leads; measured by `deno task search:eval`, text 0.7–0.8 is a plateau on both
 * catalogs and 0.5 is well below it.
 */
export const DEFAULT_HYBRID_WEIGHTS = { text: 0.8, vector: 0.2 } as const;

/** Options of {@link createOramaProductSearch}. */
export interface OramaProductSearchOptions {
  dimensions: number;
  /** Weights of the text and vector halves of the hybrid score ({@link DEFAULT_HYBRID_WEIGHTS}). */
  hybridWeights?: { text: number; vector: number };
  /** BM25 parameters of the full-text half ({@link DEFAULT_BM25}). */
  bm25?: Bm25Parameters;
}

/** Marks the end of every indexed token, so a query token matches whole words only. */
const WORD_END = "_";

/**
 * Orama's English tokenizer (stop words dropped, words stemmed), with whole-word matching. Orama
 * looks a query token up as a prefix in its radix tree, so "car" found "carry" and "cartridge",
 * "camp" found "campfire"; ending each stemmed token with a marker makes the lookup exact while
 * stems still match ("cleaning" and "clean" are both `clean_`).
 */
function wholeWordTokenizer() {
  const tokenizer = components.tokenizer.createTokenizer({
    stopWords: stopWordList(),
    stemming: true,
  });
  const stem = tokenizer.stemmer!;
  tokenizer.stemmer = (word: string) => `${stem(word)}${WORD_END}`;
  return tokenizer;
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
    // Stop words: "i" or "the" in a question pulled in most of the index and was most of a chat
    // request's CPU time, and they carry no content. Stemming (Orama's English stemmer) lets
    // "assemble" find "Assembly" and "clean" find "cleaning": top-1 on data/ 0.391 → 0.413.
    components: { tokenizer: wholeWordTokenizer() },
  });
  const weights = options.hybridWeights ?? DEFAULT_HYBRID_WEIGHTS;
  const relevance = options.bm25 ?? DEFAULT_BM25;

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
        relevance,
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
