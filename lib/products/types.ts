/**
 * The product search port: a hybrid (keyword + vector) index over catalog products and
 * manual passages.
 *
 * @module
 */

/** Whether a search document is a catalog product or a passage of a product manual. */
export type DocumentKind = "product" | "manual";

/** The fields every search document has (what the index stores, besides the vector). */
export interface SearchFields {
  /** Unique key: the product id for products, `<productId>-manual-<section>` for passages. */
  id: string;
  kind: DocumentKind;
  productId: string;
  title: string;
  content: string;
  url: string;
  category: string;
  brand: string;
}

/** One indexed document. */
export interface SearchDocument extends SearchFields {
  /** Embedding of `title + content`. */
  contentVector: number[];
  /**
   * Hash of the fields and the embedding model that made the vector (set by seeding when the
   * store can read it back, see {@link ProductSearch.existingHashes}).
   */
  contentHash?: string;
}

/** A search hit: the document without its vector, plus a score. */
export interface SearchHit extends SearchFields {
  score: number;
}

/** One hybrid query: the text and its embedding. */
export interface SearchQuery {
  text: string;
  vector: number[];
}

/** Where products and manuals are searched. */
export interface ProductSearch {
  readonly backend: string;
  search(
    query: SearchQuery,
    options?: { top?: number; signal?: AbortSignal },
  ): Promise<SearchHit[]>;
  upsert(documents: SearchDocument[]): Promise<number>;
  count(): Promise<number>;
  /**
   * The stored `contentHash` of each of these ids that is in the index and has one. Seeding
   * skips a document whose hash is unchanged (no embedding, no upload); a store without this
   * method gets every document again.
   */
  existingHashes?(ids: string[]): Promise<Map<string, string>>;
  /**
   * The ids of every stored document of these products. With {@link ProductSearch.remove},
   * seeding removes the passages a manual no longer has.
   */
  documentIds?(productIds: string[]): Promise<string[]>;
  /** Remove documents by id; resolves to how many were removed. */
  remove?(ids: string[]): Promise<number>;
}
