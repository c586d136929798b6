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
  for (const p of products) {
    folded.set(p.id.toLowerCase(), [...folded.get(p.id.toLowerCase()) ?? [], p]);
  }
  return (raw) => {
    const value = raw.trim();
    if (exact.has(value)) return exact.get(value);
    const byCase = folded.get(value.toLowerCase());
    if (byCase?.length === 1) return byCase[0];
    if (/^\d+$/.test(value)) {
      const numeric = products.filter((p) => /^\d+$/.test(p.id) && Number(p.id) === Number(value));
      if (numeric.length === 1) return numeric[0];
    }
    return undefined;
  };
}

function byFileName(stem: string, products: Product[]): Candidate[] {
  const lower = stem.toLowerCase();
  return products.flatMap((p) => {
    const id = p.id.toLowerCase();
    if (lower === id) return [{ product: p, strength: 2 * id.length + 1 }];
    if (lower.startsWith(id) && /[-_\s.]/.test(lower.charAt(id.length))) {
      return [{ product: p, strength: 2 * id.length }];
    }
    return [];
  });
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

function byProductName(tiers: string[][], products: Product[]): Candidate[] {
  // Tiers in decreasing weight: a name in the title beats a longer one in the first lines.
  const names = products.map((p) => ({ product: p, name: words(p.name) })).filter((n) => n.name);
  return tiers.flatMap((places, i) =>
    places.map(words).flatMap((text) =>
      names.filter((n) => text.includes(n.name)).map((n) => ({
        product: n.product,
        strength: (tiers.length - i) * 100_000 + n.name.length,
      }))
    )
  );
}

/** The candidates of the highest strength, as distinct products. */
function best(candidates: Candidate[]): Product[] {
  const top = Math.max(...candidates.map((c) => c.strength));
  return [...new Set(candidates.filter((c) => c.strength === top).map((c) => c.product))];
}

/**
 * Link a manual to a product of the catalog.
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
  const stem = basename(file).replace(/\.(md|markdown)$/i, "");
  const parsed = parseManual(markdown);
  const leading = parsed.lines.filter((l) => l.trim()).slice(0, LEADING_LINES);
  const resolve = idResolver(products);
  const hints: string[] = [];
  let titles = [parsed.title ?? ""];
  if (parsed.frontMatter !== undefined) {
    const fm = /^(?:title|name|product|model)\s*:\s*(.+)$/gim;
    titles = [...titles, ...[...parsed.frontMatter.matchAll(fm)].map((m) => m[1])];
  }
  const rules: [ManualLinkRule, () => Candidate[]][] = [
    ["file name", () => byFileName(stem, products)],
    ["front matter", () => byFrontMatter(parsed.frontMatter, resolve, hints)],
    ["declared id", () => byDeclaredId(leading, resolve, hints)],
    ["product name", () => byProductName([titles, leading, [stem]], products)],
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
}

/**
 * One line saying how the manuals were linked, e.g.
 * `manuals: 24 linked (20 by file name, 2 by front matter, 1 by declared id, 1 by product name), 1 skipped`.
 */
export function manualLinkSummary(manuals: Manual[], skipped: number): string {
  const counts = MANUAL_LINK_RULES.map((rule) =>
    [rule, manuals.filter((m) => m.linkedBy === rule).length] as const
  )
    .filter(([, n]) => n > 0)
    .map(([rule, n]) => `${n} by ${rule}`);
  const other = manuals.filter((m) => !m.linkedBy).length;
  if (other > 0) counts.push(`${other} given`);
  return `manuals: ${manuals.length} linked${counts.length > 0 ? ` (${counts.join(", ")})` : ""}` +
    (skipped > 0 ? `, ${skipped} skipped` : "");
}
