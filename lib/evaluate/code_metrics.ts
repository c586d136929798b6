/**
 * Code metrics: numbers computed from an answer and its pipeline call with no model, such as
 * its length, the ids it cites, and what its tokens cost. Pure functions; the evaluators in
 * `code_evaluators.ts` wrap them.
 *
 * Citations: the chat prompt asks for ids in square brackets ("[3]", "[1, 4]", "[3][7]"); a
 * bracket holding words with spaces ("[Summit Dome]") or a Markdown link ("[manual](url)") is
 * not a citation. Reference answers written by people usually name ids in prose instead
 * ("the Summit Dome 2 Tent (id 1)", "ids 4 and 7"), so {@link referenceIds} reads both forms.
 *
 * @module
 */
import type { ContextItem } from "../chat/types.ts";
import type { TokenUsage } from "./types.ts";
import type { ModelPrice } from "../config/types.ts";

/**
 * Length of an answer in characters: Unicode code points of the trimmed text (an emoji or a
 * CJK character is one, as a reader counts them; UTF-16 units would count some twice).
 *
 * @example
 * ```ts
 * import { answerLength } from "./code_metrics.ts";
 * console.assert(answerLength(" 防水テント ") === 5);
 * ```
 */
export function answerLength(answer: string): number {
  return [...answer.trim()].length;
}

/**
 * Ids cited in square brackets, in order of first appearance, without repeats.
 *
 * @example
 * ```ts
 * import { citedIds } from "./code_metrics.ts";
 * console.assert(citedIds("Try [3] or [1, p-7][3].").join() === "3,1,p-7");
 * ```
 */
export function citedIds(text: string): string[] {
  const ids = new Set<string>();
  for (const match of text.matchAll(/\[([^\[\]\n]+)\](?!\()/g)) {
    const parts = match[1].split(/[,;]/).map((p) => p.trim());
    // "[Summit Dome]" or "[see below]" is prose, not a list of ids.
    if (parts.some((p) => p === "" || /\s/.test(p))) continue;
    for (const part of parts) ids.add(part);
  }
  return [...ids];
}

/**
 * Ids a reference answer cites: bracketed ones ({@link citedIds}) and ids named in prose,
 * "id 7", "(id 10, $89.99)", "ids 4 and 7", "id: p-3" (an id there must contain a digit, so
 * words after "id" are never read as ids; only the plural "ids" is followed by a list).
 *
 * @example
 * ```ts
 * import { referenceIds } from "./code_metrics.ts";
 * console.assert(referenceIds("The Summit Dome (id 1) and ids 4 and 7 [9]").join() === "9,1,4,7");
 * ```
 */
export function referenceIds(text: string): string[] {
  const ids = new Set(citedIds(text));
  const id = String.raw`[\p{L}_-]*\d[\p{L}\p{N}_-]*`;
  const list = new RegExp(
    String.raw`\bids?\b[\s:#]*(${id}(?:\s*(?:,|&|\band\b|\bor\b|/)\s*${id})*)`,
    "giu",
  );
  for (const match of text.matchAll(list)) {
    // Only "ids" takes a list: in "(id 21, 850-fill down)" the text after the comma is prose.
    const parts = /^ids/i.test(match[0])
      ? match[1].split(/\s*(?:,|&|\band\b|\bor\b|\/)\s*/iu)
      : [match[1].match(new RegExp(id, "u"))![0]];
    for (const part of parts) if (part) ids.add(part);
  }
  return [...ids];
}

/**
 * Share of the reference's ids that the answer cites; `undefined` when the reference cites
 * none. Citing a context item also cites its product, so "[1-manual-care]" (a passage of
 * product 1's manual) matches a reference's "id 1".
 *
 * @example
 * ```ts
 * import { citationMatch } from "./code_metrics.ts";
 * console.assert(citationMatch("Take the tent [1].", "The tent (id 1) and stove (id 16)") === 0.5);
 * ```
 */
export function citationMatch(
  answer: string,
  truth: string,
  context: readonly Pick<ContextItem, "id" | "productId">[] = [],
): number | undefined {
  const expected = referenceIds(truth);
  if (expected.length === 0) return undefined;
  const cited = new Set(citedIds(answer));
  for (const item of context) if (cited.has(item.id)) cited.add(item.productId);
  return expected.filter((id) => cited.has(id)).length / expected.length;
}

/**
 * Cost in US dollars of the tokens of one call, from a price per million tokens.
 *
 * @example
 * ```ts
 * import { tokenCost } from "./code_metrics.ts";
 * const usd = tokenCost({ promptTokens: 2000, completionTokens: 500 }, { input: 0.15, output: 0.6 });
 * console.assert(Math.abs(usd - 0.0006) < 1e-12);
 * ```
 */
export function tokenCost(usage: TokenUsage, price: ModelPrice): number {
  return (usage.promptTokens * price.input + usage.completionTokens * price.output) / 1_000_000;
}
