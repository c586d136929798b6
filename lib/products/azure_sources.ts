/**
 * Cited sources read back from Azure AI Search: a product by key (`getDocument`), a manual's
 * passages by a filter on the filterable `productId` and `kind` fields. The index's `url` is not
 * filterable (and an existing field cannot become so without rebuilding the index), so the
 * manual's product is found from its file name first — the linking rule "the leading id in the
 * file name" — and, for a manual linked another way, by a title search for the file name's
 * words; either way only passages whose url is the manual's are kept.
 *
 * @module
 */
import type { SearchClient, SearchOptions } from "@azure/search-documents";
import { searchError } from "./azure_ai_search.ts";
import { fileNameIds, isPassageOf, manualPath, type SourceStore } from "./sources.ts";
import type { SearchDocument, SearchFields } from "./types.ts";

const FIELDS = ["id", "kind", "productId", "title", "content", "url", "category", "brand"] as const;

/** Passages read for one manual (a manual has a few dozen at most). */
const PASSAGES_TOP = 1000;
/** Title-search hits examined when the file name names no product. */
const TITLE_SEARCH_TOP = 50;

function quote(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

function fieldsOf(d: Partial<SearchDocument>): SearchFields {
  return {
    id: d.id ?? "",
    kind: d.kind ?? "manual",
    productId: d.productId ?? "",
    title: d.title ?? "",
    content: d.content ?? "",
    url: d.url ?? "",
    category: d.category ?? "",
    brand: d.brand ?? "",
  };
}

/**
 * The source store over a search client built by the composition root.
 *
 * @example
 * ```ts ignore
 * const sources = createAzureSources(new SearchClient(endpoint, index, credential));
 * const passages = await sources.manual("1-summit-dome-2-tent.md");
 * ```
 */
export function createAzureSources(client: SearchClient<SearchDocument>): SourceStore {
  const query = async (
    text: string,
    options: Record<string, unknown>,
    action: string,
  ): Promise<SearchFields[]> => {
    try {
      const response = await client.search(text, {
        select: [...FIELDS],
        ...options,
      } as SearchOptions<SearchDocument>);
      const found: SearchFields[] = [];
      for await (const result of response.results) {
        found.push(fieldsOf(result.document as Partial<SearchDocument>));
      }
      return found;
    } catch (error) {
      throw searchError(error, action);
    }
  };
  return {
    backend: "azure-search",
    async product(id, options = {}) {
      try {
        const d = await client.getDocument(
          id,
          {
            selectedFields: [...FIELDS],
            abortSignal: options.signal,
          } as Parameters<typeof client.getDocument>[1],
        );
        const fields = fieldsOf(d as Partial<SearchDocument>);
        return fields.kind === "product" ? fields : undefined;
      } catch (error) {
        if ((error as { statusCode?: number })?.statusCode === 404) return undefined;
        throw searchError(error, `read product "${id}"`);
      }
    },
    async manualsOf(productId, options = {}) {
      const passages = await query("*", {
        filter: `kind eq 'manual' and productId eq ${quote(productId)}`,
        select: ["url"],
        top: PASSAGES_TOP,
        abortSignal: options.signal,
      }, `list the manuals of product "${productId}"`);
      return [...new Set(passages.map((d) => d.url.replace(/#.*$/, "")).filter(Boolean))];
    },
    async manual(file, options = {}) {
      const path = manualPath(file);
      const ids = fileNameIds(file);
      const byIds = await query("*", {
        filter: `kind eq 'manual' and search.in(productId, ${quote(ids.join("|"))}, '|')`,
        top: PASSAGES_TOP,
        abortSignal: options.signal,
      }, `read manual "${file}"`);
      const passages = byIds.filter((d) => isPassageOf(d, path));
      if (passages.length > 0) return passages;
      const words = file.replace(/\.[^.]+$/, "").replace(/[^\p{L}\p{N}]+/gu, " ").trim();
      if (!words) return [];
      const byTitle = await query(words, {
        filter: "kind eq 'manual'",
        searchFields: ["title"],
        top: TITLE_SEARCH_TOP,
        abortSignal: options.signal,
      }, `read manual "${file}"`);
      const productIds = [
        ...new Set(byTitle.filter((d) => isPassageOf(d, path)).map((d) => d.productId)),
      ];
      if (productIds.length === 0) return [];
      const all = await query("*", {
        filter: `kind eq 'manual' and search.in(productId, ${quote(productIds.join("|"))}, '|')`,
        top: PASSAGES_TOP,
        abortSignal: options.signal,
      }, `read manual "${file}"`);
      return all.filter((d) => isPassageOf(d, path));
    },
  };
}
