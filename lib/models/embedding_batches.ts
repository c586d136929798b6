/**
 * Sizing embedding requests to what the service accepts: how many inputs one request may carry,
 * how many tokens one input and one request may hold, per backend, and a plan that packs texts
 * into requests under those limits. Token counts are estimated on the safe side (no tokenizer is
 * loaded, see {@link estimateTokens}); a request the service still refuses as too large is split
 * by the caller.
 *
 * @module
 */

/** What one embedding request may carry. */
export interface EmbeddingLimits {
  /** Inputs (texts) per request. */
  maxInputs: number;
  /** Tokens per input; a longer text is cut to this before it is sent. */
  maxInputTokens: number;
  /** Tokens summed over every input of one request. */
  maxRequestTokens: number;
}

/**
 * The documented limits by backend. Azure OpenAI ("Learn how to generate embeddings with Azure
 * OpenAI", best practices): inputs up to 8,192 tokens, an array of at most 2,048 inputs, and
 * the token count of the whole array in one call subject to the same 8,192-token limit; the
 * newer Foundry API reference allows 300,000 tokens summed over the inputs, so the Azure rule
 * is the stricter of the two and the one used. OpenAI's own API (and compatible endpoints):
 * 2,048 inputs, 8,192 tokens each, 300,000 per request. The offline model has no limit but
 * the array size.
 */
export const EMBEDDING_LIMITS: Readonly<Record<string, EmbeddingLimits>> = {
  "azure-openai": { maxInputs: 2048, maxInputTokens: 8192, maxRequestTokens: 8192 },
  "openai-compatible": { maxInputs: 2048, maxInputTokens: 8192, maxRequestTokens: 300_000 },
  // GitHub Models' Embedding tier: 64,000 tokens per request (free tier); inputs as OpenAI's.
  "github-models": { maxInputs: 2048, maxInputTokens: 8192, maxRequestTokens: 64_000 },
  offline: { maxInputs: 2048, maxInputTokens: Infinity, maxRequestTokens: Infinity },
};

/** The limits of a backend (unknown backends get the strictest, Azure's). */
export function embeddingLimits(
  backend: string,
  overrides: Partial<EmbeddingLimits> = {},
): EmbeddingLimits {
  const base = EMBEDDING_LIMITS[backend] ?? EMBEDDING_LIMITS["azure-openai"];
  const limits = { ...base, ...stripUndefined(overrides) };
  for (const [key, value] of Object.entries(limits)) {
    if (!(value >= 1)) {
      throw new RangeError(
        `Cannot size embedding requests: ${key} must be at least 1, got ${value}`,
      );
    }
  }
  return limits;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Word-like pieces as byte-level BPE tokenizers first split text (cl100k_base, o200k_base). */
const PIECE = /[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+|\s+|[\s\S]/gu;

/**
 * A safe-side estimate of a text's token count, from the pieces a tokenizer splits text into: a
 * run of letters is a token per 3.5 letters, of digits one per 3 (tokenizers group at most three),
 * any other ASCII character or run of whitespace one (a single space joins the next word), and
 * any other character one per UTF-8 byte (byte-level BPE never needs more). Over the manuals of
 * data/ and generated catalogs it is never under cl100k_base or o200k_base, and about 1.4 times
 * their count; random identifiers can be a few tokens over it.
 *
 * @example
 * ```ts
 * import { estimateTokens } from "./embedding_batches.ts";
 * console.assert(estimateTokens("Dry the tent before packing.") === 9);
 * console.assert(estimateTokens("") === 0);
 * ```
 */
export function estimateTokens(text: string): number {
  let tokens = 0;
  for (const [piece] of text.matchAll(PIECE)) {
    const c = piece.charCodeAt(0);
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) tokens += Math.ceil(piece.length / 3.5);
    else if (c >= 48 && c <= 57) tokens += Math.ceil(piece.length / 3);
    else if (c < 0x80) tokens += piece === " " ? 0 : 1;
    else if (c < 0x800) tokens += 2;
    else if (c >= 0xd800 && c < 0xdc00) tokens += 4; // a surrogate pair: one 4-byte character
    else tokens += 3;
  }
  return tokens;
}

/**
 * The text cut to at most `maxTokens` estimated tokens (at a word boundary when there is one
 * near the end), so one long product description cannot fail a whole request.
 */
export function fitEmbeddingInput(text: string, maxTokens: number): string {
  if (!Number.isFinite(maxTokens) || estimateTokens(text) <= maxTokens) return text;
  let low = 0;
  let high = text.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (estimateTokens(text.slice(0, mid)) <= maxTokens) low = mid;
    else high = mid - 1;
  }
  const cut = text.slice(0, low);
  const space = cut.search(/\s\S*$/);
  return space > low * 0.9 ? cut.slice(0, space) : cut;
}

/** One planned request: the texts `start` (inclusive) to `end` (exclusive). */
export interface EmbeddingBatch {
  start: number;
  end: number;
  tokens: number;
}

/**
 * Pack texts, in order, into requests under the limits: a request closes when the next text
 * would pass the inputs or the request-token limit. Texts are assumed already cut to the
 * per-input limit ({@link fitEmbeddingInput}); one text over the request limit goes alone.
 *
 * @example
 * ```ts
 * import { planEmbeddingBatches } from "./embedding_batches.ts";
 * const plan = planEmbeddingBatches(["aaa", "bbb", "ccc"], { maxInputs: 2, maxInputTokens: 10, maxRequestTokens: 10 });
 * console.assert(plan.length === 2 && plan[1].start === 2);
 * ```
 */
export function planEmbeddingBatches(texts: string[], limits: EmbeddingLimits): EmbeddingBatch[] {
  const batches: EmbeddingBatch[] = [];
  let start = 0;
  let tokens = 0;
  texts.forEach((text, i) => {
    const t = estimateTokens(text);
    if (i > start && (i - start >= limits.maxInputs || tokens + t > limits.maxRequestTokens)) {
      batches.push({ start, end: i, tokens });
      start = i;
      tokens = 0;
    }
    tokens += t;
  });
  if (texts.length > start) batches.push({ start, end: texts.length, tokens });
  return batches;
}
