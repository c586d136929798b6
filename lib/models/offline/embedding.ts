/**
 * The offline model's embeddings: deterministic hashed-feature vectors (stemmed content words,
 * word bigrams and the character trigrams of each word, signed feature hashing, L2-normalised).
 * Texts that share words land close together, and words that share most of their letters
 * ("weigh" and "weight", "zipped" and "zip") land near each other, which is all a keyword-heavy
 * catalog search needs offline. It knows no synonyms: "wash" and "clean" stay apart.
 *
 * @module
 */
import { contentWords } from "../../text/mod.ts";

/** FNV-1a 32-bit hash. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Weights of the three kinds of feature (a word's trigrams share its weight between them). */
const WEIGHTS = { word: 1, bigram: 0.5, trigrams: 1 } as const;

/**
 * Embed a text into `dimensions` floats (any positive count: the hashing folds every feature
 * into that many buckets, so fewer dimensions only mean more collisions).
 *
 * @example
 * ```ts
 * import { hashEmbedding } from "./embedding.ts";
 * console.assert(hashEmbedding("alpine tent", 64).length === 64);
 * ```
 */
export function hashEmbedding(text: string, dimensions: number): number[] {
  if (!Number.isInteger(dimensions) || dimensions < 1) {
    throw new RangeError(`Embedding dimensions must be a positive integer, got ${dimensions}`);
  }
  const vector = new Array<number>(dimensions).fill(0);
  const words = contentWords(text);
  const add = (feature: string, weight: number) => {
    const h = fnv1a(feature);
    vector[h % dimensions] += (h & 0x80000000 ? -1 : 1) * weight;
  };
  for (let i = 0; i < words.length; i++) {
    add(words[i], WEIGHTS.word);
    if (i + 1 < words.length) add(`${words[i]} ${words[i + 1]}`, WEIGHTS.bigram);
    // Trigrams of the word with its boundaries ("<we", "wei", …, "ht>"): the word's weight is
    // spread over them by the square root of their count, so long words do not dominate.
    const bounded = `<${words[i]}>`;
    const count = bounded.length - 2;
    for (let k = 0; k < count; k++) {
      add(`#${bounded.slice(k, k + 3)}`, WEIGHTS.trigrams / Math.sqrt(count));
    }
  }
  const norm = Math.hypot(...vector);
  if (norm === 0) {
    vector[fnv1a(text) % dimensions] = 1; // empty or stop-word-only text: still a unit vector
    return vector;
  }
  return vector.map((v) => v / norm);
}
