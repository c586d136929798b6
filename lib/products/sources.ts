/**
 * Reading the sources an answer cites back by id, so the urls in a response's `context`
 * resolve: a product's document by its id (`/products/<id>`), and a manual's passages by its
 * file name (`/manuals/<file>#<section>`), in the manual's order. A small port,
 * {@link SourceStore}, with an adapter for the embedded index here and one for Azure AI Search
 * in `azure_sources.ts`; {@link withSourceBaseUrl} makes the urls absolute for a storefront.
 *
 * @module
 */
import type { HybridIndex } from "./hybrid_index.ts";
import type { ProductSearch, SearchFields, SearchHit, SearchQuery } from "./types.ts";

/** Where cited sources are read back by id. */
export interface SourceStore {
  readonly backend: string;
  /** The document of the product with this id, or undefined when there is none. */
  product(id: string, options?: { signal?: AbortSignal }): Promise<SearchFields | undefined>;
  /**
   * The passages of the manual whose url is `/manuals/<file>`, in the manual's order (as
   * seeded); empty when no manual has that file name.
   */
  manual(file: string, options?: { signal?: AbortSignal }): Promise<SearchFields[]>;
  /** The url paths (`/manuals/<file>`) of the manuals of a product, for its page to link. */
  manualsOf?(productId: string, options?: { signal?: AbortSignal }): Promise<string[]>;
}

/** The url path of a manual (no section), as `manualDocuments` writes it. */
export function manualPath(file: string): string {
  return `/manuals/${encodeURIComponent(file)}`;
}

/** Whether a document's url is a section of the manual at `path` (see {@link manualPath}). */
export function isPassageOf(doc: Pick<SearchFields, "kind" | "url">, path: string): boolean {
  return doc.kind === "manual" && (doc.url === path || doc.url.startsWith(`${path}#`));
}

/** The section anchor of a passage's url (`#overview` → `overview`), or "". */
export function sectionAnchor(url: string): string {
  const hash = url.indexOf("#");
  return hash < 0 ? "" : url.slice(hash + 1);
}

/**
 * The product ids a manual's file name can name by the linking rule "the leading id in the
 * file name": the stem and each of its prefixes that ends before a separator, longest first
 * (`B-202-stove.md` → `B-202-stove`, `B-202`, `B`).
 */
export function fileNameIds(file: string): string[] {
  const stem = file.replace(/\.[^.]+$/, "");
  const ids = [stem];
  for (let k = stem.length - 1; k > 0; k--) {
    if (/[-_\s.]/.test(stem.charAt(k))) ids.push(stem.slice(0, k));
  }
  return [...new Set(ids.filter((id) => id.trim()))];
}

/**
 * The sources of the embedded index. The id → row and file → rows maps are built the first
 * time a source is asked for (one pass over the documents), and again when the index grew.
 */
export function createEmbeddedSources(index: HybridIndex): SourceStore {
  let lookup: {
    size: number;
    rows: Map<string, number>;
    manuals: Map<string, number[]>;
    byProduct: Map<string, Set<string>>;
  };
  const current = () => {
    if (lookup?.size === index.size) return lookup;
    const rows = new Map<string, number>();
    const manuals = new Map<string, number[]>();
    const byProduct = new Map<string, Set<string>>();
    index.data().ids.forEach((id, row) => rows.set(id, row));
    for (let row = 0; row < index.size; row++) {
      const { kind, url, productId } = index.fieldsOf(row);
      if (kind !== "manual") continue;
      const hash = url.indexOf("#");
      const key = hash < 0 ? url : url.slice(0, hash);
      const list = manuals.get(key);
      if (list) list.push(row);
      else manuals.set(key, [row]);
      const paths = byProduct.get(productId) ?? new Set<string>();
      byProduct.set(productId, paths.add(key));
    }
    lookup = { size: index.size, rows, manuals, byProduct };
    return lookup;
  };
  return {
    backend: "embedded",
    product(id) {
      const row = current().rows.get(id);
      const fields = row === undefined ? undefined : index.fieldsOf(row);
      return Promise.resolve(fields?.kind === "product" ? fields : undefined);
    },
    manual(file) {
      const path = manualPath(file);
      const rows = current().manuals.get(path) ?? [];
      // A replaced document may have moved to another manual since the map was built.
      return Promise.resolve(
        rows.map((row) => index.fieldsOf(row)).filter((d) => isPassageOf(d, path)),
      );
    },
    manualsOf(productId) {
      return Promise.resolve([...current().byProduct.get(productId) ?? []]);
    },
  };
}

/**
 * The search store as the pipeline sees it, with every hit's relative url made absolute
 * against a storefront's base url (`https://shop.example/` + `/products/1`). Without a base
 * the store is returned as it is.
 *
 * @example
 * ```ts ignore
 * const pipelineProducts = withSourceBaseUrl(products, "https://shop.example.com/");
 * ```
 */
export function withSourceBaseUrl(products: ProductSearch, baseUrl?: string): ProductSearch {
  if (!baseUrl) return products;
  const base = new URL(baseUrl);
  // A base with a path keeps it: https://shop.example/outdoor/ + /products/1.
  const prefix = base.pathname.replace(/\/+$/, "");
  const absolute = (url: string) =>
    /^[a-z][a-z0-9+.-]*:/i.test(url) ? url : new URL(`${prefix}${url}`, base.origin).href;
  return Object.assign(Object.create(products) as ProductSearch, {
    async search(query: SearchQuery, options?: { top?: number; signal?: AbortSignal }) {
      const hits: SearchHit[] = await products.search(query, options);
      return hits.map((hit) => ({ ...hit, url: absolute(hit.url) }));
    },
  });
}
