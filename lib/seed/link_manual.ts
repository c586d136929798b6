/**
 * Which product a manual is for, found from its file name or its content, whoever wrote it.
 * The rules are tried in order and the first that finds a product decides: the leading product
 * id of the file name (longest id wins, so `B-202-trail-stove.md` is `B-202`, not `B`); a
 * front-matter field `productId`, `product_id` or `id`; an id declared in the first lines
 * (`item_number: 7`, `**Product ID:** 7`, `SKU: B-202`); the product's name, in the title first,
 * then in the first lines, then in the file name (case-, accent- and punctuation-insensitive,
 * whole words, the longest name wins). Only ids in the catalog count. When a rule finds two
 * products equally, the manual is not guessed at: it is skipped with both names.
 *
 * @module
 */
import { basename } from "node:path";
import { parse } from "yaml";
import type { Manual, ManualLinkRule, Product } from "../products/documents.ts";
import { parseManual } from "../products/manual_markdown.ts";

export type { ManualLinkRule };

/** The rules, in the order they are tried. */
export const MANUAL_LINK_RULES: readonly ManualLinkRule[] = [
  "file name",
  "front matter",
  "declared id",
  "product name",
];

/** How many non-empty lines at the top of a manual are read for a declared id or a name. */
export const LEADING_LINES = 10;

/** The outcome of {@link linkManual}: a product and the rule that found it, or why not. */
export type ManualLink =
  | { productId: string; rule: ManualLinkRule; reason?: undefined }
  | { productId?: undefined; rule?: undefined; reason: string };

/** A product a rule points at; within a rule, the highest strength decides. */
interface Candidate {
  product: Product;
  strength: number;
}

/** An id lookup: exact, then ignoring case, then numerically ("007" is product 7). */
function idResolver(products: Product[]): (value: string) => Product | undefined {
  const exact = new Map(products.map((p) => [p.id, p]));
  const folded = new Map<string, Product[]>();
  const numeric = new Map<number, Product[]>();
  for (const p of products) {
    const key = p.id.toLowerCase();
    folded.set(key, [...folded.get(key) ?? [], p]);
    if (/^\d+$/.test(p.id)) numeric.set(Number(p.id), [...numeric.get(Number(p.id)) ?? [], p]);
  }
  return (raw) => {
    const value = raw.trim();
    if (exact.has(value)) return exact.get(value);
    const byCase = folded.get(value.toLowerCase());
    if (byCase?.length === 1) return byCase[0];
    if (/^\d+$/.test(value)) {
      const byNumber = numeric.get(Number(value));
      if (byNumber?.length === 1) return byNumber[0];
    }
    return undefined;
  };
}

/**
 * The file-name rule over an index of lowercased ids: the stem itself, and each of its prefixes
 * that ends before a separator, are the only ids that can match.
 */
function fileNameMatcher(products: Product[]): (stem: string) => Candidate[] {
  const byId = new Map<string, Product[]>();
  for (const p of products) {
    const id = p.id.toLowerCase();
    byId.set(id, [...byId.get(id) ?? [], p]);
  }
  return (stem) => {
    const lower = stem.toLowerCase();
    const candidates: Candidate[] = [];
    for (let k = 1; k < lower.length; k++) {
      if (!/[-_\s.]/.test(lower.charAt(k))) continue;
      for (const product of byId.get(lower.slice(0, k)) ?? []) {
        candidates.push({ product, strength: 2 * k });
      }
    }
    for (const product of byId.get(lower) ?? []) {
      candidates.push({ product, strength: 2 * lower.length + 1 });
    }
    return candidates;
  };
}

/** Front-matter keys, compared without case and punctuation, with their strength. */
const FRONT_MATTER_KEYS: Record<string, number> = { productid: 2, id: 1 };

function byFrontMatter(
  frontMatter: string | undefined,
  resolve: (value: string) => Product | undefined,
  hints: string[],
): Candidate[] {
  if (frontMatter === undefined) return [];
  let doc: unknown;
  try {
    // The failsafe schema keeps every scalar a string, so `id: 007` stays "007".
    doc = parse(frontMatter, { schema: "failsafe" });
  } catch (error) {
    hints.push(`the front matter is not valid YAML (${(error as Error).message.split("\n")[0]})`);
    return [];
  }
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) return [];
  const entries = Object.entries(doc as Record<string, unknown>);
  const product = entries.find(([k]) => k.toLowerCase() === "product")?.[1];
  if (product && typeof product === "object" && !Array.isArray(product)) {
    const id = Object.entries(product).find(([k]) => k.toLowerCase() === "id")?.[1];
    if (id !== undefined) entries.push(["product.id", id]);
  }
  const candidates: Candidate[] = [];
  for (const [key, value] of entries) {
    const strength = FRONT_MATTER_KEYS[key.toLowerCase().replace(/[^a-z0-9]/g, "")];
    if (!strength) continue;
    for (const v of Array.isArray(value) ? value : [value]) {
      if (typeof v !== "string") continue;
      const found = resolve(v);
      if (found) candidates.push({ product: found, strength });
      else hints.push(`front matter ${key} "${v}" is not in the catalog`);
    }
  }
  return candidates;
}

/** `Product ID: 7`, `item_number: 7`, `SKU: B-202`, `id = 7`, `Item #7`, `| SKU | B-202 |`. */
const DECLARATION = new RegExp(
  String
    .raw`(?<![\p{L}\p{N}])(?:(?:(?:product|item|article|catalog(?:ue)?|part)[\s_-]*(?:id|number|num|no\.?|code)|sku|id)\s*(?::\s*\||[:=|])|(?:product|item)\s*#)\s*([\p{L}\p{N}][\p{L}\p{N}._/-]*)`,
  "giu",
);

function byDeclaredId(
  lines: string[],
  resolve: (value: string) => Product | undefined,
  hints: string[],
): Candidate[] {
  const candidates: Candidate[] = [];
  for (const line of lines) {
    const plain = line.replace(/\*\*|__|[*`]/g, "");
    for (const match of plain.matchAll(DECLARATION)) {
      const value = match[1].replace(/[._/-]+$/, "");
      const found = resolve(value);
      if (found) candidates.push({ product: found, strength: 1 });
      else hints.push(`"${match[0].trim()}" names no product in the catalog`);
    }
  }
  return candidates;
}

/** Lowercase words without accents or punctuation, space-separated and space-padded. */
function words(text: string): string {
  const plain = text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  return plain ? ` ${plain} ` : "";
}

/**
 * The product-name rule over an index of names by their first word: a name can only be in a
 * text that has its first word, so each text is compared with a handful of names, not all.
 */
function productNameMatcher(products: Product[]): (tiers: string[][]) => Candidate[] {
  const names = products.map((p, index) => ({ product: p, name: words(p.name), index }))
    .filter((n) => n.name);
  const byFirstWord = new Map<string, typeof names>();
  for (const n of names) {
    const first = n.name.trim().split(" ")[0];
    byFirstWord.set(first, [...byFirstWord.get(first) ?? [], n]);
  }
  // Tiers in decreasing weight: a name in the title beats a longer one in the first lines.
  return (tiers) =>
    tiers.flatMap((places, i) =>
      places.map(words).flatMap((text) => {
        const found = new Set<(typeof names)[number]>();
        for (const word of new Set(text.trim().split(" "))) {
          for (const n of byFirstWord.get(word) ?? []) if (text.includes(n.name)) found.add(n);
        }
        // Catalog order, as a scan of every name would give.
        return [...found].sort((a, b) => a.index - b.index).map((n) => ({
          product: n.product,
          strength: (tiers.length - i) * 100_000 + n.name.length,
        }));
      })
    );
}

/** The candidates of the highest strength, as distinct products. */
function best(candidates: Candidate[]): Product[] {
  const top = Math.max(...candidates.map((c) => c.strength));
  return [...new Set(candidates.filter((c) => c.strength === top).map((c) => c.product))];
}

/** Links manuals to the products of one catalog (see {@link createManualLinker}). */
export type ManualLinker = (file: string, markdown: string) => ManualLink;

/**
 * A linker for one catalog: the id and name indexes are built once, so linking each of 10,000
 * manuals costs a few lookups, not a pass over 10,000 products.
 *
 * @example
 * ```ts
 * import { createManualLinker } from "./link_manual.ts";
 * const link = createManualLinker([{ id: "B-202", name: "Trail Stove", price: 1, category: "", brand: "", description: "" }]);
 * console.assert(link("B-202-trail-stove.md", "# Stove").productId === "B-202");
 * ```
 */
export function createManualLinker(products: Product[]): ManualLinker {
  const resolve = idResolver(products);
  const byFileName = fileNameMatcher(products);
  const byProductName = productNameMatcher(products);
  return (file, markdown) => {
    const stem = basename(file).replace(/\.(md|markdown)$/i, "");
    const parsed = parseManual(markdown);
    const leading = parsed.lines.filter((l) => l.trim()).slice(0, LEADING_LINES);
    const hints: string[] = [];
    let titles = [parsed.title ?? ""];
    if (parsed.frontMatter !== undefined) {
      const fm = /^(?:title|name|product|model)\s*:\s*(.+)$/gim;
      titles = [...titles, ...[...parsed.frontMatter.matchAll(fm)].map((m) => m[1])];
    }
    const rules: [ManualLinkRule, () => Candidate[]][] = [
      ["file name", () => byFileName(stem)],
      ["front matter", () => byFrontMatter(parsed.frontMatter, resolve, hints)],
      ["declared id", () => byDeclaredId(leading, resolve, hints)],
      ["product name", () => byProductName([titles, leading, [stem]])],
    ];
    for (const [rule, find] of rules) {
      const candidates = find();
      if (candidates.length === 0) continue;
      const [first, second] = best(candidates);
      if (!second) return { productId: first.id, rule };
      return {
        reason:
          `ambiguous: matches "${first.name}" (id ${first.id}) and "${second.name}" (id ${second.id}) by ${rule}`,
      };
    }
    return {
      reason: "cannot tell which product this manual is for: no catalog id in the file name, " +
        `front matter or first ${LEADING_LINES} lines, and no product name in the title or first lines` +
        (hints.length > 0 ? ` (${[...new Set(hints)].join("; ")})` : ""),
    };
  };
}

/**
 * Link a manual to a product of the catalog. To link many manuals, build the indexes once with
 * {@link createManualLinker}.
 *
 * @example
 * ```ts
 * import { linkManual } from "./link_manual.ts";
 * const products = [{ id: "B-202", name: "Trail Stove", price: 1, category: "", brand: "", description: "" }];
 * const link = linkManual("stove.md", "---\nproduct_id: B-202\n---\n# Stove", products);
 * console.assert(link.productId === "B-202" && link.rule === "front matter");
 * ```
 */
export function linkManual(file: string, markdown: string, products: Product[]): ManualLink {
  return createManualLinker(products)(file, markdown);
}

/** How many manuals each linking rule linked. */
export type ManualLinkCounts = Partial<Record<ManualLinkRule | "given", number>>;

/** Count the manuals by the rule that linked them ("given": built in code, no rule). */
export function countManualLinks(manuals: Pick<Manual, "linkedBy">[]): ManualLinkCounts {
  const counts: ManualLinkCounts = {};
  for (const m of manuals) {
    const key = m.linkedBy ?? "given";
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/**
 * One line saying how the manuals were linked, e.g.
 * `manuals: 24 linked (20 by file name, 2 by front matter, 1 by declared id, 1 by product name), 1 skipped`.
 * Takes the manuals, or their counts by rule ({@link countManualLinks}) when they were streamed.
 */
export function manualLinkSummary(
  manuals: Manual[] | ManualLinkCounts,
  skipped: number,
): string {
  const byRule = Array.isArray(manuals) ? countManualLinks(manuals) : manuals;
  const counts = MANUAL_LINK_RULES.filter((rule) => (byRule[rule] ?? 0) > 0)
    .map((rule) => `${byRule[rule]} by ${rule}`);
  if ((byRule.given ?? 0) > 0) counts.push(`${byRule.given} given`);
  const linked = Object.values(byRule).reduce((n, c) => n + (c ?? 0), 0);
  return `manuals: ${linked} linked${counts.length > 0 ? ` (${counts.join(", ")})` : ""}` +
    (skipped > 0 ? `, ${skipped} skipped` : "");
}
