/**
 * Small text utilities shared by the offline model and the text metrics: Unicode-aware
 * tokenising, a light English stemmer, stop words and sentence splitting.
 *
 * @module
 */

const STOP_WORDS = new Set(
  ("a an the and or but if then else of to in on at by for with from into onto over under about as is are was were be been " +
    "being am do does did done have has had having i me my mine we our ours you your yours he him his she her hers it its " +
    "they them their theirs this that these those there here what which who whom whose when where why how can could should " +
    "would will shall may might must not no nor so too very just also than such any all some each every both either neither " +
    "one ones s t up out off again further once only own same other more most much many few lot lots get got please tell " +
    "know want need like would'd i'm it's don't doesn't isn't let us")
    .split(/\s+/),
);

/** Lower-cased word tokens (letters and digits of any script; apostrophes inside words kept). */
export function tokenize(text: string): string[] {
  return (text.normalize("NFKC").toLowerCase().match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu) ?? [])
    .map((t) => t.replace(/’/g, "'"));
}

/** A light suffix-stripping stemmer: "tents" → "tent", "hiking" → "hik", "waterproofed" → "waterproof". */
export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  if (word.endsWith("'s")) word = word.slice(0, -2);
  for (const suffix of ["ies", "ing", "ed", "es", "s"]) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 3) {
      if (suffix === "ies") return word.slice(0, -3) + "y";
      if (suffix === "es" && !/(ss|x|ch|sh|z)es$/.test(word)) return word.slice(0, -1);
      if (suffix === "s" && word.endsWith("ss")) return word;
      return word.slice(0, -suffix.length);
    }
  }
  return word;
}

/** The stop words as a list, for search indexes that take one (Orama's tokenizer). */
export function stopWordList(): string[] {
  return [...STOP_WORDS];
}

/** True for a word that carries no content ("the", "what", …). */
export function isStopWord(token: string): boolean {
  return STOP_WORDS.has(token);
}

/** Stemmed content words of a text, in order, stop words removed. */
export function contentWords(text: string): string[] {
  return tokenize(text).filter((t) => !isStopWord(t)).map(stem);
}

/** Split prose into sentences; Markdown bullets and headings count as sentence boundaries. */
export function splitSentences(text: string): string[] {
  return text
    .split(/\n+/)
    .map((line) => line.replace(/^\s*(?:[-*+]|\d+\.|#+)\s+/, "").trim())
    .filter(Boolean)
    .flatMap((line) => line.split(/(?<=[.!?])\s+(?=[\p{Lu}\p{N}"(])/u))
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
