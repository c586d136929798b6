/**
 * Turning catalog products and product manuals into search documents: one document per
 * product, and one per manual section (chunked by `##` heading, long sections split further),
 * so support questions find the passage that answers them.
 *
 * @module
 */
import type { SearchFields } from "./types.ts";

/** A catalog product (a row of products.csv). */
export interface Product {
  id: string;
  name: string;
  price: number;
  category: string;
  brand: string;
  description: string;
}

/** A product manual (one Markdown file per product). */
export interface Manual {
  productId: string;
  /** File name, for error messages and urls. */
  file: string;
  markdown: string;
}

/** A search document before its embedding is computed. */
export type UnembeddedDocument = SearchFields;

const MAX_CHUNK_CHARS = 1200;

/** The url of a product page (relative; the storefront resolves it). */
export function productUrl(productId: string): string {
  return `/products/${encodeURIComponent(productId)}`;
}

/** The document of a catalog product. */
export function productDocument(p: Product): UnembeddedDocument {
  return {
    id: p.id,
    kind: "product",
    productId: p.id,
    title: p.name,
    content: `${p.description} Category: ${p.category}. Brand: ${p.brand}. Price: $${
      p.price.toFixed(2)
    }.`,
    url: productUrl(p.id),
    category: p.category,
    brand: p.brand,
  };
}

function slug(text: string): string {
  return text.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") ||
    "section";
}

/** Split a long text at paragraph, then sentence, boundaries into pieces under the limit. */
function splitLong(text: string, limit = MAX_CHUNK_CHARS): string[] {
  if (text.length <= limit) return [text];
  const pieces: string[] = [];
  let current = "";
  for (const unit of text.split(/\n\s*\n|(?<=[.!?])\s+/)) {
    if (current && current.length + unit.length + 1 > limit) {
      pieces.push(current.trim());
      current = "";
    }
    current += (current ? "\n" : "") + unit;
  }
  if (current.trim()) pieces.push(current.trim());
  return pieces;
}

/**
 * Chunk a manual by `##` section. Each passage's title is "Product — Section".
 *
 * @example
 * ```ts
 * import { manualDocuments } from "./documents.ts";
 * const docs = manualDocuments({ productId: "1", file: "1-tent.md", markdown: "# Tent\nIntro\n## Care\nDry it." }, undefined);
 * console.assert(docs.length === 2 && docs[1].title.endsWith("Care"));
 * ```
 */
export function manualDocuments(
  manual: Manual,
  product: Product | undefined,
): UnembeddedDocument[] {
  const lines = manual.markdown.replace(/\r\n/g, "\n").split("\n");
  const h1 = lines.find((l) => /^#\s/.test(l))?.replace(/^#\s+/, "").replace(
    /\s+[—-]\s+User Manual$/i,
    "",
  ).trim();
  const productName = product?.name ?? h1 ?? `Product ${manual.productId}`;
  const sections: { heading: string; body: string[] }[] = [{ heading: "Overview", body: [] }];
  for (const line of lines) {
    if (/^#\s/.test(line)) continue;
    const heading = /^##\s+(.+)$/.exec(line);
    if (heading) sections.push({ heading: heading[1].trim(), body: [] });
    else sections.at(-1)!.body.push(line);
  }
  const docs: UnembeddedDocument[] = [];
  for (const section of sections) {
    const body = section.body.join("\n").trim();
    if (!body) continue;
    const pieces = splitLong(body);
    pieces.forEach((content, i) => {
      const suffix = pieces.length > 1 ? `-${i + 1}` : "";
      docs.push({
        id: `${manual.productId}-manual-${slug(section.heading)}${suffix}`,
        kind: "manual",
        productId: manual.productId,
        title: `${productName} — ${section.heading}`,
        content,
        url: `/manuals/${encodeURIComponent(manual.file)}#${slug(section.heading)}`,
        category: product?.category ?? "",
        brand: product?.brand ?? "",
      });
    });
  }
  return docs;
}

/** The text that is embedded for a document. */
export function embeddingText(doc: UnembeddedDocument): string {
  return `${doc.title}\n${doc.content}`;
}
