/**
 * Text metrics that need no model: token F1, ROUGE-L and BLEU against a reference answer, and
 * a lexical groundedness (how much of the answer's wording comes from the retrieved context).
 * They are cheap, deterministic and run offline, so they are the honest signal when no real
 * judge model is configured. Tokens come from the metrics' own tokeniser (`./tokenize.ts`:
 * Unicode word segmentation, lower-cased, numbers whole and signed).
 *
 * Conventions: two empty texts are identical (1); one empty text against a non-empty one
 * scores 0. The README's "Evaluation metrics" list names each metric's exact variant.
 *
 * @module
 */
import { isStopWord, stem } from "../text/mod.ts";
import { metricTokens, squadTokens } from "./tokenize.ts";

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
 * Token F1 as in the SQuAD v1.1 evaluation script: both texts are normalised (lower-cased,
 * punctuation removed, the English articles "a", "an", "the" removed), then F1 is the harmonic
 * mean of the precision and recall of the answer's tokens against the reference's, counting a
 * repeated token at most as often as the reference has it. Unlike the script, tokens come from
 * word segmentation rather than splitting on spaces after deleting punctuation, so numbers keep
 * their decimal point and sign ("2.1" is not "21", "-12" is not "12") and CJK text has words.
 *
 * @example
 * ```ts
 * import { tokenF1 } from "./text_metrics.ts";
 * console.assert(tokenF1("The red tent.", "a red tent") === 1);
 * ```
 */
export function tokenF1(answer: string, reference: string): number {
  const a = squadTokens(answer);
  const r = squadTokens(reference);
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
  return rougeLTokens(metricTokens(answer), metricTokens(reference));
}

/** {@link rougeL} on token lists (the answer's, the reference's). */
export function rougeLTokens(a: readonly string[], r: readonly string[]): number {
  if (a.length === 0 || r.length === 0) return a.length === r.length ? 1 : 0;
  const lcs = lcsLength(a, r);
  return f1(lcs / a.length, lcs / r.length);
}

function ngrams(tokens: readonly string[], n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i + n <= tokens.length; i++) out.push(tokens.slice(i, i + n).join("\u0000"));
  return out;
}

/** Options of {@link bleu}. */
export interface BleuOptions {
  /** Highest n-gram order (default 4); an answer with fewer tokens uses as many as it has. */
  maxOrder?: number;
}

/**
 * Sentence BLEU against one reference, exactly NLTK's `sentence_bleu([reference], answer,
 * smoothing_function=SmoothingFunction().method2, auto_reweigh=True)`: clipped n-gram
 * precisions up to 4-grams with uniform weights; the 2-gram and higher precisions smoothed by
 * adding 1 to their numerator and denominator (NLTK's method2, after Lin & Och 2004), so one
 * missing 4-gram does not zero a short answer; an answer shorter than 4 tokens is weighted
 * uniformly over the orders it has (auto_reweigh), so an exact short answer scores 1; no shared
 * word scores 0; brevity penalty `exp(1 - r/c)` when the answer is not longer than the reference.
 *
 * @example
 * ```ts
 * import { bleu } from "./text_metrics.ts";
 * console.assert(bleu("the cat sat on the mat", "the cat sat on the mat") === 1);
 * ```
 */
export function bleu(answer: string, reference: string, options: BleuOptions = {}): number {
  return bleuTokens(metricTokens(answer), metricTokens(reference), options);
}

/** {@link bleu} on token lists (the answer's, the reference's). */
export function bleuTokens(
  a: readonly string[],
  r: readonly string[],
  options: BleuOptions = {},
): number {
  if (a.length === 0 || r.length === 0) return a.length === r.length ? 1 : 0;
  const orders = Math.min(options.maxOrder ?? 4, a.length);
  let logSum = 0;
  for (let n = 1; n <= orders; n++) {
    const candidate = ngrams(a, n);
    const matches = clippedOverlap(counts(candidate), counts(ngrams(r, n)));
    // Unigrams are not smoothed: an answer sharing no word with the reference scores 0.
    if (n === 1 && matches === 0) return 0;
    const precision = n === 1 ? matches / candidate.length : (matches + 1) / (candidate.length + 1);
    logSum += Math.log(precision) / orders;
  }
  const brevity = a.length > r.length ? 1 : Math.exp(1 - r.length / a.length);
  return brevity * Math.exp(logSum);
}

function contentTokens(text: string): string[] {
  return metricTokens(text).filter((t) => !isStopWord(t)).map(stem);
}

/**
 * Lexical groundedness: the share of the answer's content words (the metrics' tokens, stop
 * words removed, stemmed by `lib/text`'s light stemmer) that also occur in the context.
 * `undefined` when the answer has no content words at all.
 *
 * @example
 * ```ts
 * import { lexicalGroundedness } from "./text_metrics.ts";
 * console.assert(lexicalGroundedness("Waterproof tents", "The tent is waterproof") === 1);
 * ```
 */
export function lexicalGroundedness(answer: string, context: string): number | undefined {
  const words = contentTokens(answer);
  if (words.length === 0) return undefined;
  const known = new Set(contentTokens(context));
  return words.filter((w) => known.has(w)).length / words.length;
}
