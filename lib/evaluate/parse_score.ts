/**
 * Reading a judge's score out of its reply. Judges are told to answer with one integer, but
 * real models add decoration ("Score: 4", "4/5", "**4**", "I'd rate it 4 out of 5."). This
 * accepts what is unambiguous and refuses the rest: a reply with no score, two different
 * scores or a score outside the range becomes a missing score with the raw text, never a
 * guessed number.
 *
 * @module
 */
import type { EvalScore } from "./types.ts";

/** Options of {@link parseScore}. */
export interface ParseScoreOptions {
  /** Inclusive range of valid scores (default `[1, 5]`). */
  range?: readonly [number, number];
}

const NUMBER = String.raw`(\d+(?:\.\d+)?)`;

/** Patterns that name the score, tried in order before the bare-number fallback. */
const LABELLED: RegExp[] = [
  new RegExp(String.raw`^\s*${NUMBER}\s*$`),
  new RegExp(String.raw`"?(?:score|rating)"?\s*[:=]\s*${NUMBER}`, "i"),
  new RegExp(String.raw`${NUMBER}\s*(?:/|out\s+of)\s*\d+`, "i"),
  new RegExp(
    String.raw`(?:score|rating|rate\s+(?:it|this)(?:\s+an?)?)\s+(?:is\s+|of\s+|as\s+)?${NUMBER}`,
    "i",
  ),
];

function strip(text: string): string {
  return text.replace(/[*_`#>]/g, " ").replace(/\s+/g, " ").trim();
}

function missing(reason: string, raw: string): EvalScore {
  return { value: null, reason, raw };
}

/**
 * Parse a judge's reply into a score.
 *
 * @example
 * ```ts
 * import { parseScore } from "./parse_score.ts";
 * console.assert(parseScore("**Score: 4/5**").value === 4);
 * console.assert(parseScore("I cannot rate this").value === null);
 * ```
 */
export function parseScore(reply: string, options: ParseScoreOptions = {}): EvalScore {
  const [low, high] = options.range ?? [1, 5];
  const raw = reply;
  const text = strip(reply);
  if (text === "") return missing("empty reply", raw);

  let found: number | undefined;
  for (const pattern of LABELLED) {
    const match = pattern.exec(text);
    if (match) {
      found = Number(match[1]);
      break;
    }
  }
  if (found === undefined) {
    // No label: accept a lone number, but not a reply that mentions two different numbers.
    const numbers = [
      ...new Set((text.match(/(?<![\d.])\d+(?:\.\d+)?(?![\d.])/g) ?? []).map(Number)),
    ];
    if (numbers.length === 0) return missing("unparseable reply: no score found", raw);
    if (numbers.length > 1) {
      return missing(`unparseable reply: several numbers (${numbers.join(", ")})`, raw);
    }
    found = numbers[0];
  }
  if (!Number.isInteger(found)) {
    return missing(`unparseable reply: ${found} is not an integer`, raw);
  }
  if (found < low || found > high) {
    return missing(`unparseable reply: ${found} is outside ${low}–${high}`, raw);
  }
  return { value: found, raw };
}
