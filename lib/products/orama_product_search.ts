/**
 * The embedded product search: an in-process hybrid (full-text + vector) search built from the
 * same search documents that seeding uploads to Azure AI Search. It ranks as `@orama/orama`'s
 * hybrid mode does (Orama's tokenizer and BM25, Orama's blend) over typed-array postings and
 * vectors ({@link HybridIndex}), so a query costs a few milliseconds at 72,000 passages instead
 * of 50–110 ms. By default the vector half is text-first (only documents that can still reach
 * the top are compared with the query vector); `exactVectors: true` compares every vector, the
 * reference that the default is measured against (docs/scale.md).
 *
 * @module
 */
import { components } from "@orama/orama";
import { stopWordList } from "../text/mod.ts";
import { HybridIndex } from "./hybrid_index.ts";
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
  /**
   * Compare the query with every vector, as Orama's hybrid search does (the reference the
   * default text-first vector half is measured against; slower on large catalogs). Default false.
   */
  exactVectors?: boolean;
  /** Start from this index (a persisted one, see `index_cache.ts`) instead of an empty one. */
  index?: HybridIndex;
}

/** The embedded search, with its index (what the index cache saves). */
export interface EmbeddedProductSearch extends ProductSearch {
  readonly index: HybridIndex;
  /** Build the query structures now, so the first search does not pay for them. */
  prepare(): void;
  /** Make room for about this many documents (see `HybridIndex.reserve`). */
  reserve(documents: number): void;
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
  // An empty piece of the split (a text ending in "?") must stay empty: as a bare marker it was a
  // term in 92% of passages at 10,000 products, a third to two thirds of a query's postings.
  tokenizer.stemmer = (word: string) => word ? `${stem(word)}${WORD_END}` : "";
  return tokenizer;
}

/** The tokenizer of the index: Orama's, with whole-word matching ({@link wholeWordTokenizer}). */
export function createIndexTokenizer(): (text: string) => string[] {
  const tokenizer = wholeWordTokenizer();
  return (text: string) => tokenizer.tokenize(text, "english") as string[];
}

/**
 * Create an embedded index for vectors of `dimensions` floats (empty, or `options.index`).
 *
 * @example
 * ```ts ignore
 * const search = createOramaProductSearch({ dimensions: 256 });
 * await search.upsert(documents);
 * ```
 */
export function createOramaProductSearch(
  options: OramaProductSearchOptions,
): EmbeddedProductSearch {
  const index = options.index ?? new HybridIndex(options.dimensions, createIndexTokenizer());
  if (index.dimensions !== options.dimensions) {
    throw new RangeError(
      `The index holds ${index.dimensions}-dimension vectors; expected ${options.dimensions}`,
    );
  }
  const weights = options.hybridWeights ?? DEFAULT_HYBRID_WEIGHTS;
  const relevance = options.bm25 ?? DEFAULT_BM25;
  const exact = options.exactVectors ?? false;

  return {
    backend: "embedded",
    index,
    prepare: () => index.prepare(relevance),
    reserve: (documents) => index.reserve(documents),
    search(query: SearchQuery, o: { top?: number } = {}): Promise<SearchHit[]> {
      if (query.vector.length !== options.dimensions) {
        return Promise.reject(
          new TypeError(
            `Query vector has ${query.vector.length} dimensions; the index expects ${options.dimensions}`,
          ),
        );
      }
      const hits = index.search(query.text, query.vector, {
        top: o.top ?? 3,
        weights,
        bm25: relevance,
        exact,
      });
      return Promise.resolve(hits.map(({ row, score }) => ({ ...index.fieldsOf(row), score })));
    },
    upsert(documents: SearchDocument[]): Promise<number> {
      for (const d of documents) {
        if (d.contentVector.length !== options.dimensions) {
          return Promise.reject(
            new TypeError(
              `Document "${d.id}" has a ${d.contentVector.length}-dimension vector; expected ${options.dimensions}`,
            ),
          );
        }
      }
      index.upsert(documents);
      return Promise.resolve(documents.length);
    },
    count(): Promise<number> {
      return Promise.resolve(index.size);
    },
  };
}
