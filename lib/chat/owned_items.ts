/**
 * Resolving "my sleeping bag" and "the tent I bought" to the customer's own orders. Query
 * generation runs beside the customer lookup (it never sees the orders), so a question about an
 * owned item would otherwise search for every product of that kind and ground the answer on
 * another product's manual. Once both are known, the pipeline adds one search query per owned
 * item the question refers to: the item's name followed by the question's content words.
 *
 * @module
 */
import type { Order } from "../customers/types.ts";
import { contentWords, isStopWord, stem, tokenize } from "../text/mod.ts";

/** Most owned items one question adds queries for. */
const MAX_OWNED_QUERIES = 2;

// "my sleeping bag", "my new tent's" … and "the tent I bought", "the stove we ordered".
const POSSESSIVE = /\b(?:my|our)\s+((?:[\p{L}\p{N}'’-]+\s+){0,3}[\p{L}\p{N}'’-]+)/giu;
const BOUGHT =
  /\b(?:the|that|this)\s+((?:[\p{L}\p{N}'’-]+\s+){0,3}?[\p{L}\p{N}'’-]+)\s+(?:i|we)\s+(?:bought|ordered|purchased|own|got|have)\b/giu;

const OWNING_VERBS = new Set(["bought", "ordered", "purchased", "own", "got", "have"]);

/** The words a question uses for items it says the customer owns ("my X", "the X I bought"). */
export function ownedReferences(question: string): string[][] {
  const refs: string[][] = [];
  for (const pattern of [POSSESSIVE, BOUGHT]) {
    for (const match of question.matchAll(pattern)) {
      const words = contentWords(match[1]);
      if (words.length > 0) refs.push(words);
    }
  }
  return refs;
}

/**
 * Search queries for the owned items a question refers to, best match first: an order matches a
 * reference when its name or category shares a content word with it.
 *
 * @example
 * ```ts
 * import { ownedItemQueries } from "./owned_items.ts";
 * const orders = [{ name: "Polar Vault 0 Expedition Sleeping Bag", category: "Sleeping Bags" }];
 * const [query] = ownedItemQueries("What is the temperature rating of my sleeping bag?", orders);
 * console.assert(query.startsWith("Polar Vault 0 Expedition Sleeping Bag"));
 * ```
 */
export function ownedItemQueries(
  question: string,
  orders: Pick<Order, "name" | "category">[],
): string[] {
  const refs = ownedReferences(question);
  if (refs.length === 0 || orders.length === 0) return [];
  // The question's own words (not stems): the search index applies its own stemmer.
  const asked = tokenize(question).filter((t) => !isStopWord(t) && !OWNING_VERBS.has(t));
  const scored = orders.map((order, index) => {
    const words = new Set(contentWords(`${order.name ?? ""} ${order.category ?? ""}`));
    const score = Math.max(0, ...refs.map((ref) => ref.filter((w) => words.has(w)).length));
    return { order, index, score };
  }).filter((o) => o.score > 0)
    .sort((a, b) => b.score - a.score || a.index - b.index);
  const names = [...new Set(scored.map((o) => o.order.name).filter(Boolean))];
  return names.slice(0, MAX_OWNED_QUERIES).map((name) => {
    const own = new Set(contentWords(name));
    const rest = [...new Set(asked.filter((w) => !own.has(stem(w))))];
    return `${name} ${rest.join(" ")}`.trim();
  });
}
