/**
 * Text metrics that need no model: token F1, ROUGE-L and BLEU against a reference answer, and
 * a lexical groundedness (how much of the answer's wording comes from the retrieved context).
 * They are cheap, deterministic and run offline, so they are the honest signal when no real
 * judge model is configured. Tokens are Unicode-aware and lower-cased (see `lib/text`).
 *
 * Conventions: two empty texts are identical (1); one empty text against a non-empty one
 * scores 0.
 *
 * @module
 */
import { contentWords, tokenize } from "../text/mod.ts";

function counts(items: string[]): Map<string, number> {
  const map = new Map<string, number>();
  for (const item of items) map.set(item, (map.get(item) ?? 0) + 1);
  return map;
}

function clippedOverlap(candidate: Map<string, number>, reference: Map<string, number>): number {
  let overlap = 0;
  for (const [item, n] of candidate) overlap += Math.min(n, reference.get(item) ?? 0);
  return overlap;
}

function f1(precision: number, recall: number): number {
  return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
}

/**
 * Token F1 (SQuAD-style): harmonic mean of the precision and recall of the answer's tokens
 * against the reference's, counting repeated tokens at most as often as the reference has them.
 *
 * @example
 * ```ts
 * import { tokenF1 } from "./text_metrics.ts";
 * console.assert(tokenF1("the red tent", "a red tent") === 2 / 3);
 * ```
 */
export function tokenF1(answer: string, reference: string): number {
  const a = tokenize(answer);
  const r = tokenize(reference);
  if (a.length === 0 || r.length === 0) return a.length === r.length ? 1 : 0;
  const overlap = clippedOverlap(counts(a), counts(r));
  return f1(overlap / a.length, overlap / r.length);
}

/** Length of the longest common subsequence of two token lists (O(n·m) time, O(m) space). */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
  let previous = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const current = new Array<number>(b.length + 1).fill(0);
    for (let j = 1; j <= b.length; j++) {
      current[j] = a[i - 1] === b[j - 1]
        ? previous[j - 1] + 1
        : Math.max(previous[j], current[j - 1]);
    }
    previous = current;
  }
  return previous[b.length];
}

/**
 * ROUGE-L F1: precision and recall of the longest common subsequence of tokens.
 *
 * @example
 * ```ts
 * import { rougeL } from "./text_metrics.ts";
 * console.assert(Math.abs(rougeL("the tent is green", "the green tent") - 4 / 7) < 1e-12);
 * ```
 */
export function rougeL(answer: string, reference: string): number {
  const a = tokenize(answer);
  const r = tokenize(reference);
  if (a.length === 0 || r.length === 0) return a.length === r.length ? 1 : 0;
  const lcs = lcsLength(a, r);
  return f1(lcs / a.length, lcs / r.length);
}

function ngrams(tokens: string[], n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i + n <= tokens.length; i++) out.push(tokens.slice(i, i + n).join("\u0000"));
  return out;
}

/** Options of {@link bleu}. */
export interface BleuOptions {
  /** Highest n-gram order (default 4). */
  maxOrder?: number;
}

/**
 * Sentence BLEU with uniform weights up to 4-grams, the brevity penalty, and add-one smoothing
 * of the 2-gram and higher precisions (Lin & Och 2004), so one missing 4-gram does not zero a
 * short answer.
 *
 * @example
 * ```ts
 * import { bleu } from "./text_metrics.ts";
 * console.assert(bleu("the cat sat on the mat", "the cat sat on the mat") === 1);
 * ```
 */
export function bleu(answer: string, reference: string, options: BleuOptions = {}): number {
  const maxOrder = options.maxOrder ?? 4;
  const a = tokenize(answer);
  const r = tokenize(reference);
  if (a.length === 0 || r.length === 0) return a.length === r.length ? 1 : 0;
  let logSum = 0;
  for (let n = 1; n <= maxOrder; n++) {
    const candidate = ngrams(a, n);
    const matches = clippedOverlap(counts(candidate), counts(ngrams(r, n)));
    // Unigrams are not smoothed: an answer sharing no word with the reference scores 0.
    const precision = n === 1 ? matches / candidate.length : (matches + 1) / (candidate.length + 1);
    if (precision === 0) return 0;
    logSum += Math.log(precision) / maxOrder;
  }
  const brevity = a.length > r.length ? 1 : Math.exp(1 - r.length / a.length);
  return brevity * Math.exp(logSum);
}

/**
 * Lexical groundedness: the share of the answer's content words (stemmed, stop words removed)
 * that also occur in the context. `undefined` when the answer has no content words at all.
 *
 * @example
 * ```ts
 * import { lexicalGroundedness } from "./text_metrics.ts";
 * console.assert(lexicalGroundedness("Waterproof tents", "The tent is waterproof") === 1);
 * ```
 */
export function lexicalGroundedness(answer: string, context: string): number | undefined {
  const words = contentWords(answer);
  if (words.length === 0) return undefined;
  const known = new Set(contentWords(context));
  return words.filter((w) => known.has(w)).length / words.length;
}
