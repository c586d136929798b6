/**
 * Turning catalog products and product manuals into search documents: one document per
 * product, and one per manual section (chunked by `##` heading, long sections split further,
 * short ones merged into a neighbour, a FAQ split into its questions), so support questions find
 * a passage that answers them. Every passage's text starts with its title, "Product — Section",
 * so the index, the embedding and the prompt all see which product and section it is.
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
 * data/ for no steady gain. The rule is about sections that say too little to answer anything: a
 * FAQ's question with its answer is one complete unit whatever its length (15–40 words in data/),
 * so FAQ entries are never merged for their size (see {@link isTinyPassage}).
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

/** A line that asks a question: `**Q: Can I…?**`, `Q. Can I…?`, `Can I…?` on a line of its own. */
const QUESTION_LINE =
  /^\s*(?:[-*]\s+)?(?:\*\*|__)?\s*(?:Q\s*\d*\s*[:.)]\s*)?[^\n]{3,200}\?\s*(?:\*\*|__)?\s*$/i;

/**
 * The question-and-answer entries of a section (a FAQ), or undefined when it is not one: a
 * section with at least two paragraphs that open with a line asking a question, each followed by
 * an answer. Text before the first question stays with the first entry.
 *
 * @example
 * ```ts
 * import { questionEntries } from "./documents.ts";
 * const faq = "**Q: Is it waterproof?**\nNo.\n\n**Q: Does it float?**\nYes.";
 * console.assert(questionEntries(faq)?.length === 2);
 * console.assert(questionEntries("Dry it. Why?\nMildew.") === undefined);
 * ```
 */
export function questionEntries(body: string): string[] | undefined {
  const lines = body.split("\n");
  // Only a paragraph's first line starts an entry: a wrapped prose line may end with "?" too.
  const starts = lines.flatMap((line, i) =>
    QUESTION_LINE.test(line) && (i === 0 || !lines[i - 1].trim()) ? [i] : []
  );
  const entries = starts.map((start, k) =>
    lines.slice(k === 0 ? 0 : start, starts[k + 1] ?? lines.length).join("\n").trim()
  );
  const answered = entries.filter((e) => /\?\s*(?:\*\*|__)?\s*\n+\s*\S/.test(e));
  return starts.length >= 2 && answered.length === entries.length ? entries : undefined;
}

/**
 * Whether a passage's text (after its title line) is too small to stand on its own: fewer than
 * {@link MIN_PASSAGE_WORDS} words, unless it is a question followed by its answer. A FAQ entry
 * is one complete unit however short, where a one-line section ("Sleeping Bags") is not.
 */
export function isTinyPassage(doc: Pick<SearchFields, "title" | "content">): boolean {
  let text = doc.content.trim();
  if (text.startsWith(doc.title)) text = text.slice(doc.title.length).trim();
  if (wordCount(text) >= MIN_PASSAGE_WORDS) return false;
  const [first, ...rest] = text.split("\n");
  return !(QUESTION_LINE.test(first) && rest.join(" ").trim() !== "");
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
    if (words >= MIN_PASSAGE_WORDS || questionEntries(section.body)) {
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
  // A FAQ becomes one passage per question, so an answer is not diluted by the other answers.
  const entries = questionEntries(parts[primary].body);
  const pieces = entries ? entries.flatMap((e) => splitLong(e)) : splitLong(parts[primary].body);
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
 * sections shorter than {@link MIN_PASSAGE_WORDS} merged into a neighbour; a FAQ section (see
 * {@link questionEntries}) gives one passage per question, however short. A passage's title is
 * "Product — Section" (several sections: "Product — Category, Brand, Features") and its text
 * starts with that title on a line of its own; its id is
 * `<productId>-manual-<slug of its longest section>` (numbered `-1`, `-2`, … when the section
 * gives several passages), so a section that absorbs short ones keeps its id. Front matter and
 * lines that only declare the product (`Product ID: 7`, `Model: <name>`) never reach a passage.
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
  const sections = parsed.sections
    .map((s) => ({ ...s, body: withoutDeclarations(s.body, manual.productId, productName) }))
    .filter((s) => s.body);
  for (const group of groupSections(sections)) {
    const anchor = slug(group.parts[group.primary].heading);
    const texts = groupTexts(group);
    const title = `${productName} — ${group.parts.map((p) => p.heading).join(", ")}`;
    texts.forEach((text, i) => {
      let id = `${manual.productId}-manual-${anchor}${texts.length > 1 ? `-${i + 1}` : ""}`;
      for (let n = 2; used.has(id); n++) id = `${manual.productId}-manual-${anchor}-${n}`;
      used.add(id);
      docs.push({
        id,
        kind: "manual",
        productId: manual.productId,
        title,
        // The passage stands on its own: the index, the embedding and the prompt all see which
        // product and section it is.
        content: `${title}\n${text}`,
        url: `/manuals/${encodeURIComponent(manual.file)}#${anchor}`,
        category: product?.category ?? "",
        brand: product?.brand ?? "",
      });
    });
  }
  return docs;
}

/**
 * The text that is embedded for a document: its content, which for a manual passage already
 * starts with its title (older documents without that get the title put in front).
 */
export function embeddingText(doc: UnembeddedDocument): string {
  return doc.content.startsWith(doc.title) ? doc.content : `${doc.title}\n${doc.content}`;
}

const comparable = (text: string) =>
  text.toLowerCase().normalize("NFKD").replace(/[^\p{L}\p{N}]+/gu, " ").trim();

/**
 * Drop the lines that only say which product a manual is for (`Product ID: d1`,
 * `Model: Longreach 16 Canoe`, `item_number: s1`): a label and a value that is the product's id
 * or name. The passage's heading names the product already, and such a line is noise to the
 * index and the prompt.
 */
function withoutDeclarations(body: string, productId: string, productName: string): string {
  const own = new Set([comparable(productId), comparable(productName)]);
  return body.split("\n").filter((line) => {
    const m = /^\s*[-*]?\s*([\p{L}][\p{L}\s_#-]{0,30}?)\s*[:=#]\s*(.+)$/u
      .exec(line.replace(/\*\*|__|`/g, ""));
    // Only labels that name a product or an id: "Seats: 4" stays even in product 4's manual.
    return !(m && IDENTIFYING_LABEL.test(comparable(m[1])) && own.has(comparable(m[2])));
  }).join("\n").trim();
}

const IDENTIFYING_LABEL = /(^| )(id|number|num|no|sku|code|model|product|item|name)$/;
