/**
 * Turning catalog products and product manuals into search documents: one document per
 * product, and one per manual section (chunked by `##` heading, long sections split further,
 * short ones merged into a neighbour), so support questions find a passage that answers them
 * and names its product and section.
 *
 * @module
 */
import { type ManualSection, parseManual, wordCount } from "./manual_markdown.ts";
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

/** Which rule linked a manual to its product (see `linkManual` in lib/seed). */
export type ManualLinkRule = "file name" | "front matter" | "declared id" | "product name";

/** A product manual (one Markdown file per product). */
export interface Manual {
  productId: string;
  /** File name, for error messages and urls. */
  file: string;
  markdown: string;
  /** How seeding found the product (absent for manuals built in code). */
  linkedBy?: ManualLinkRule;
}

/** A search document before its embedding is computed. */
export type UnembeddedDocument = SearchFields;

const MAX_CHUNK_CHARS = 1200;

/**
 * Sections with fewer words than this are merged into a neighbour. Chosen by measurement: the
 * one-line sections of other teams' manuals (`## Category` → "Sleeping Bags") have 1–3 words,
 * their one-sentence sections 8–24; every section of data/'s manuals but three has 25 or more.
 * With 20, a 23-word "thank you for choosing" introduction still outranked the Care section it
 * stood before (`deno task search:eval`, paddle catalog); with 25 no passage under 25 words wins
 * and top-1/MRR stay within one query of 20 on both catalogs, while 30–60 merge real sections of
 * data/ for no steady gain.
 */
export const MIN_PASSAGE_WORDS = 25;

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
  // A short tail would be a passage too small to stand on its own: it stays with its neighbour.
  if (pieces.length > 1 && wordCount(pieces.at(-1)!) < MIN_PASSAGE_WORDS) {
    const tail = pieces.pop()!;
    pieces[pieces.length - 1] += `\n${tail}`;
  }
  return pieces;
}

/** One passage before it is split by length: sections merged together, and the one that names it. */
interface SectionGroup {
  parts: ManualSection[];
  /** Index in `parts` of the longest section: the passage takes its id and anchor. */
  primary: number;
}

/**
 * Group sections so that none shorter than {@link MIN_PASSAGE_WORDS} stands alone: a run of
 * short sections joins the next long one, or becomes a passage of its own once it is long
 * enough together; a short run at the end joins the previous passage.
 */
function groupSections(sections: ManualSection[]): SectionGroup[] {
  const groups: ManualSection[][] = [];
  let pending: ManualSection[] = [];
  let pendingWords = 0;
  for (const section of sections) {
    const words = wordCount(section.body);
    if (words >= MIN_PASSAGE_WORDS) {
      groups.push([...pending, section]);
      pending = [];
      pendingWords = 0;
      continue;
    }
    pending.push(section);
    pendingWords += words;
    if (pendingWords >= MIN_PASSAGE_WORDS) {
      groups.push(pending);
      pending = [];
      pendingWords = 0;
    }
  }
  if (pending.length > 0) {
    if (groups.length > 0) groups.at(-1)!.push(...pending);
    else groups.push(pending);
  }
  return groups.map((parts) => {
    const sizes = parts.map((p) => wordCount(p.body));
    return { parts, primary: sizes.indexOf(Math.max(...sizes)) };
  });
}

/** A section's text with its heading in front, for passages that hold several sections. */
function labelled(section: ManualSection, body = section.body): string {
  // "Care: Rinse it." reads as one sentence even once the prompt collapses the line breaks.
  const label = `${section.heading}${/[.:?!]$/.test(section.heading) ? "" : ":"}`;
  return `${label}${body.includes("\n") ? "\n" : " "}${body}`;
}

/** The texts of a group's passages: the longest section split by length, the others attached. */
function groupTexts(group: SectionGroup): string[] {
  const { parts, primary } = group;
  const pieces = splitLong(parts[primary].body);
  if (parts.length === 1) return pieces;
  const before = parts.slice(0, primary).map((p) => labelled(p));
  const after = parts.slice(primary + 1).map((p) => labelled(p));
  pieces[0] = labelled(parts[primary], pieces[0]);
  pieces[0] = [...before, pieces[0]].join("\n\n");
  pieces[pieces.length - 1] = [pieces[pieces.length - 1], ...after].join("\n\n");
  return pieces;
}

/**
 * Chunk a manual into passages that stand on their own: one per `##` section (the text before
 * the first one is "Overview"), long sections split at paragraph or sentence boundaries, and
 * sections shorter than {@link MIN_PASSAGE_WORDS} merged into a neighbour. A passage's title is
 * "Product — Section" (several sections: "Product — Category, Brand, Features"); its id is
 * `<productId>-manual-<slug of its longest section>`, so a section that absorbs short ones keeps
 * its id. Front matter never reaches a passage.
 *
 * @example
 * ```ts
 * import { manualDocuments } from "./documents.ts";
 * const docs = manualDocuments({ productId: "1", file: "1-tent.md", markdown: "# Tent\nIntro\n## Care\nDry it." }, undefined);
 * console.assert(docs.length === 1 && docs[0].title === "Tent — Overview, Care");
 * ```
 */
export function manualDocuments(
  manual: Manual,
  product: Product | undefined,
): UnembeddedDocument[] {
  const parsed = parseManual(manual.markdown);
  const h1 = parsed.title?.replace(/\s+[—–-]\s+(User\s+)?(Manual|Guide)$/i, "").trim();
  const productName = product?.name ?? (h1 || `Product ${manual.productId}`);
  const docs: UnembeddedDocument[] = [];
  const used = new Set<string>();
  for (const group of groupSections(parsed.sections)) {
    const anchor = slug(group.parts[group.primary].heading);
    const texts = groupTexts(group);
    texts.forEach((content, i) => {
      let id = `${manual.productId}-manual-${anchor}${texts.length > 1 ? `-${i + 1}` : ""}`;
      for (let n = 2; used.has(id); n++) id = `${manual.productId}-manual-${anchor}-${n}`;
      used.add(id);
      docs.push({
        id,
        kind: "manual",
        productId: manual.productId,
        title: `${productName} — ${group.parts.map((p) => p.heading).join(", ")}`,
        content,
        url: `/manuals/${encodeURIComponent(manual.file)}#${anchor}`,
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
