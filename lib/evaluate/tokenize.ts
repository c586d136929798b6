/**
 * The tokeniser of the text metrics (F1, ROUGE-L, BLEU, lexical groundedness). Words come from
 * Unicode word segmentation (`Intl.Segmenter`, granularity "word", word-like segments only), so
 * Chinese and Japanese runs split into words, Thai splits without spaces, and Devanagari words
 * keep their combining marks. Numbers stay whole: "2.1" and "1,000" are one token each, and a
 * sign that starts a number ("-12", "+3", "−12" with U+2212 MINUS SIGN) is part of it, so
 * "-12°C" is not "12°C"; a hyphen between two words or numbers ("2-3", "x-ray") is not a sign.
 * Text is NFKC-normalised (full-width "４" is "4") and lower-cased; the right single quote in
 * "it’s" becomes an apostrophe.
 *
 * This is the metrics' own tokeniser: `lib/text`'s `tokenize` serves the offline model and the
 * search index, whose behaviour is tuned and tested separately, and is left as it is.
 *
 * @module
 */

const segmenter = new Intl.Segmenter("und", { granularity: "word" });

/** Signs that may start a number: hyphen-minus, plus, and U+2212 MINUS SIGN. */
const SIGNS = new Set(["-", "+", "\u2212"]);

/** English articles, removed by SQuAD's answer normalisation. */
const ARTICLES = new Set(["a", "an", "the"]);

/**
 * Lower-cased word tokens of a text, numbers whole and signed.
 *
 * @example
 * ```ts
 * import { metricTokens } from "./tokenize.ts";
 * console.assert(metricTokens("Comfort −12°C, weighs 2.1 kg").join(" ") === "comfort -12 c weighs 2.1 kg");
 * ```
 */
export function metricTokens(text: string): string[] {
  const tokens: string[] = [];
  let sign = "";
  let previousWordLike = false;
  for (const { segment, isWordLike } of segmenter.segment(text.normalize("NFKC"))) {
    if (isWordLike) {
      let token = segment.toLowerCase().replace(/’/g, "'");
      if (sign && /^\p{N}/u.test(token)) token = sign + token;
      tokens.push(token);
      sign = "";
      previousWordLike = true;
      continue;
    }
    // A sign counts only where a number can start: not right after a word ("2-3", "x-ray").
    sign = SIGNS.has(segment) && !previousWordLike ? (segment === "+" ? "+" : "-") : "";
    previousWordLike = false;
  }
  return tokens;
}

/**
 * Tokens as SQuAD's answer normalisation leaves them: {@link metricTokens} (which already
 * lower-cases and drops punctuation) without the English articles "a", "an" and "the".
 *
 * @example
 * ```ts
 * import { squadTokens } from "./tokenize.ts";
 * console.assert(squadTokens("The tent, a classic.").join(" ") === "tent classic");
 * ```
 */
export function squadTokens(text: string): string[] {
  return metricTokens(text).filter((token) => !ARTICLES.has(token));
}
