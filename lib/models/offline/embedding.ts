/**
 * The offline model's embeddings: deterministic hashed-feature vectors (stemmed content words
 * and word bigrams, signed feature hashing, L2-normalised). Texts that share words land close
 * together, which is all a keyword-heavy catalog search needs offline.
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

/**
 * Embed a text into `dimensions` floats.
 *
 * @example
 * ```ts
 * import { hashEmbedding } from "./embedding.ts";
 * console.assert(hashEmbedding("alpine tent", 64).length === 64);
 * ```
 */
export function hashEmbedding(text: string, dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  const words = contentWords(text);
  const add = (feature: string, weight: number) => {
    const h = fnv1a(feature);
    vector[h % dimensions] += (h & 0x80000000 ? -1 : 1) * weight;
  };
  for (let i = 0; i < words.length; i++) {
    add(words[i], 1);
    if (i + 1 < words.length) add(`${words[i]} ${words[i + 1]}`, 0.5);
  }
  const norm = Math.hypot(...vector);
  if (norm === 0) {
    vector[fnv1a(text) % dimensions] = 1; // empty or stop-word-only text: still a unit vector
    return vector;
  }
  return vector.map((v) => v / norm);
}
