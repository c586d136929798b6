/**
 * Reading a judge's score out of its reply. Judges are told to answer with one number, but real
 * models add decoration ("4.", "**Score:** 4", "I'd give this a 4.", "Four", "Five stars",
 * full-width "４", JSON with a reason, a paragraph and then the score). This reads what is
 * unambiguous and refuses the rest: a reply with no score, a refusal, two different scores, a
 * score on another scale or outside the range becomes a missing score with a reason and the raw
 * text, never a guessed number.
 *
 * The rule, strongest evidence first (the strongest kind present decides; two different values
 * of that kind make the score missing):
 * 1. a JSON object's score field (`{"score": 4, "reason": "…"}`, fenced or not);
 * 2. an explicitly labelled score: `Score: 4`, `Rating - 4/5`, `Groundedness: 4`, `Note : 4`,
 *    `评分：4` (a label saying "final" beats the others);
 * 3. a phrased score: `I'd give this a 4`, `it deserves a 4`, `I pick 4`, `so 3`, `Five stars`,
 *    `4分`, or a line holding the number alone;
 * 4. a fraction of the top of the range: `4/5`, `4 out of five`;
 * 5. otherwise the reply's one standalone number (a final short "score line" wins over numbers
 *    in the prose above it). Citation ids (`[7]`), list markers, quantities (`2 errors`,
 *    `2.1 kg`) and mentions of the scale itself (`1–5`, `on a scale of 1 to 5`) are not scores;
 *    a number after a negation (`not a 5`) is not either. A refusal ("I cannot evaluate this")
 *    with no stated score is missing as refused.
 *
 * @module
 */
import type { EvalScore } from "./types.ts";

/** Options of {@link parseScore}. */
export interface ParseScoreOptions {
  /** Inclusive range of valid scores (default `[1, 5]`). */
  range?: readonly [number, number];
  /** Accept only whole numbers (default true): a judge's "3.5" is missing, never rounded. */
  integer?: boolean;
  /** Extra words that label the score, e.g. the metric's name (`Groundedness: 4`). */
  labels?: readonly string[];
}

/** Why a score is missing: the keyword every reason contains (tests and reports read it). */
export type MissingKind =
  | "empty reply"
  | "no score found"
  | "refused"
  | "several numbers"
  | "conflicting scores"
  | "another scale"
  | "not an integer"
  | "outside";

const WORDS: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  // A few other languages' number words judges answer in.
  eins: 1,
  zwei: 2,
  drei: 3,
  vier: 4,
  "fünf": 5,
  uno: 1,
  dos: 2,
  tres: 3,
  cuatro: 4,
  cinco: 5,
  un: 1,
  deux: 2,
  trois: 3,
  quatre: 4,
  cinq: 5,
};

/** Digit zeros of the scripts whose digits NFKC leaves alone (Arabic-Indic, Devanagari, …). */
const DIGIT_ZEROS = [
  0x0660,
  0x06f0,
  0x07c0,
  0x0966,
  0x09e6,
  0x0a66,
  0x0ae6,
  0x0b66,
  0x0be6,
  0x0c66,
  0x0ce6,
  0x0d66,
  0x0e50,
  0x0ed0,
  0x0f20,
  0x1040,
  0x17e0,
  0x1810,
];

const NUM = String.raw`(-?\d+(?:[.,]\d+)?|${Object.keys(WORDS).join("|")})`;
const LABELS = [
  "score",
  "rating",
  "grade",
  "mark",
  "verdict",
  "result",
  "note",
  "nota",
  "bewertung",
  "punktzahl",
  "puntuaci[oó]n",
  "calificaci[oó]n",
  "valutazione",
  "punteggio",
  "pontua[cç][aã]o",
  "groundedness",
  "relevance",
  "coherence",
  "fluency",
  "friendliness",
];
/** Scripts without word boundaries: matched as plain strings. */
const CJK_LABELS = [
  "评分",
  "得分",
  "分数",
  "打分",
  "スコア",
  "評価",
  "점수",
  "स्कोर",
  "الدرجة",
  "التقييم",
];
/** Words between a label and its number: `Score is 4`, `score I'd give: 4`, `rating of 4`. */
const FILLER = String
  .raw`(?:\s*(?:[:=→–—]|-(?=\s)|\bis\b|\bof\b|\bwould\s+be\b|\bwill\s+be\b|\bhere\b|\bthen\b|\bi(?:'d|\s+would)\s+give(?:\s+(?:it|this))?\b|\bfor\s+(?:this|the)\s+(?:answer|response|text)\b|\b(?:a|an)\b))*`;
const TAIL = String.raw`(?:\s*(?:/|\bout\s+of\b|\bof\b|\bover\b)\s*${NUM})?`;
/** What a count is followed by: `2 errors`, `3 claims`, `2.1 kg` are not scores. */
const COUNTED = String
  .raw`(?=\s*(?:errors?|mistakes?|claims?|facts?|statements?|sentences?|products?|items?|issues?|problems?|details?|typos?|times?|kg|g\b|l\b|litres?|liters?|°|%|minutes?|hours?|days?|people|persons?|points?|words?|ids?|citations?|sources?|passages?|paragraphs?|orders?|-[a-z]))`;

const NEGATION =
  /\b(?:not|never|no|n't|cannot|rather\s+than|instead\s+of)\s+(?:(?:quite|really|even|a|an|give\s+(?:it|this)|rate\s+(?:it|this)|be|it|this)\s+){0,3}$/i;

const REFUSAL = [
  /\bi\s*(?:cannot|can\s*not|can't|am\s+unable\s+to|'m\s+unable\s+to|am\s+not\s+able\s+to|'m\s+not\s+able\s+to|won't|will\s+not|must\s+decline\s+to|have\s+to\s+decline\s+to|'m\s+not\s+in\s+a\s+position\s+to|do\s+not\s+feel\s+comfortable)\s+(?:\w+\s+){0,3}?(?:evaluate|rate|score|judge|assess|grade|determine|give|provide|assign|complete)/i,
  /\b(?:unable|not\s+possible|impossible|not\s+enough\s+(?:information|context))\s+to\s+(?:\w+\s+){0,2}?(?:evaluate|rate|score|judge|assess|grade)/i,
  /\bas\s+an\s+ai\b/i,
  /\b(?:can't|cannot|can\s+not|won't)\s+help\s+with\b/i,
  /\b(?:there\s+is|there's)\s+no\s+(?:answer|response|text|context)\s+(?:to|I\s+can)\s+(?:evaluate|rate|score|judge|assess)/i,
  /\bcannot\s+be\s+(?:evaluated|rated|scored|judged|assessed)\b/i,
  /\b(?:je\s+ne\s+peux\s+pas|no\s+puedo|ich\s+kann\s+(?:das\s+)?(?:nicht|keine))\b/i,
  /无法(?:评估|评分|打分)|評価できません|評価することはできません/,
];

const NOT_APPLICABLE = /^\s*(?:n\/?a|none|null|nil|not\s+applicable|unknown|-|—|\?)\s*[.!]?\s*$/i;

interface Candidate {
  value: number;
  /** 5 JSON, 4 labelled, 3 phrased, 2 fraction, 1 bare. */
  strength: number;
  final?: boolean;
  /** The number was given on another scale (`8/10` for a 1–5 judge). */
  scale?: number;
  index: number;
}

function missing(kind: MissingKind, raw: string, detail?: string): EvalScore {
  const reason = kind === "empty reply" ? kind : `unparseable reply: ${detail ?? kind}`;
  return { value: null, reason, raw };
}

function toNumber(token: string): number {
  const word = WORDS[token.toLowerCase()];
  if (word !== undefined) return word;
  return Number(token.replace(",", "."));
}

/** One script's digits and signs, curly quotes and NFKC forms (full-width `４`) to ASCII. */
function normalise(text: string): string {
  let out = "";
  for (const char of text.normalize("NFKC")) {
    const code = char.codePointAt(0)!;
    const zero = DIGIT_ZEROS.find((z) => code >= z && code <= z + 9);
    out += zero === undefined ? char : String(code - zero);
  }
  return out
    .replace(/[\u2212\uFE63\u2012]/g, "-") // minus signs
    .replace(/[\u2018\u2019\u02BC]/g, "'")
    .replace(/[\u201C\u201D]/g, '"')
    .replace(/[\u200B-\u200D\uFEFF]/g, "");
}

/** Markdown decoration and table pipes to spaces, keeping the line structure. */
function stripMarkdown(text: string): string {
  return text
    .replace(/```[a-z]*\n?/gi, "\n")
    .replace(/[*_`#>~|]/g, " ")
    .replace(/[ \t]+/g, " ")
    .split("\n").map((l) => l.trim()).join("\n")
    .trim();
}

/** Mentions of the scale itself: `(1-5)`, `on a scale of 1 to 5`, `a 5-point scale`. */
function removeScale(text: string, low: number, high: number): string {
  const range = String.raw`\(?\s*(?:from\s+)?${low}\s*(?:-|–|—|to|\.\.|~)\s*${high}\s*\)?`;
  return text
    .replace(
      /(?:on\s+)?(?:a\s+|the\s+)?scale\s+(?:of\s+|from\s+)?\(?\d+\s*(?:-|–|—|to|\.\.)\s*\d+\)?/gi,
      " ",
    )
    .replace(/\b\d+[- ]point\s+scale\b/gi, " scale ")
    .replace(new RegExp(range + String.raw`(?:\s*scale\b)?`, "gi"), " ")
    .replace(/\bwhere\s+\d+\s+(?:is|=|means)\b[^.;\n]*/gi, " ")
    .replace(/\(\s*\d+\s*=\s*[^)]*\)/g, " ");
}

/** The score of a JSON object reply, or `undefined` when the reply is not one. */
function fromJson(text: string, options: ParseScoreOptions): Candidate[] | undefined {
  const unfenced = text.replace(/```(?:json)?/gi, "").trim();
  const start = unfenced.indexOf("{");
  const end = unfenced.lastIndexOf("}");
  if (start === -1 || end <= start) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(unfenced.slice(start, end + 1));
  } catch {
    return undefined;
  }
  if (!parsed || typeof parsed !== "object") return undefined;
  const names = new RegExp(
    String.raw`^(?:final[_ ]?)?(?:${
      [...LABELS, ...(options.labels ?? []).map(escape)].join("|")
    }|value)$`,
    "i",
  );
  const found: Candidate[] = [];
  const visit = (node: unknown, depth: number) => {
    if (!node || typeof node !== "object" || depth > 3) return;
    for (const [key, value] of Object.entries(node)) {
      if (names.test(key.trim()) || /(?:^|_)score$/i.test(key)) {
        const final = /^final/i.test(key);
        if (typeof value === "number") {
          found.push({ value, strength: 5, final, index: 0 });
        } else if (typeof value === "string") {
          const inner = parseScore(value, { ...options });
          if (inner.value !== null) {
            found.push({ value: inner.value, strength: 5, final, index: 0 });
          } else if (/\d/.test(value)) found.push({ value: NaN, strength: 5, final, index: 0 });
        }
      } else if (typeof value === "object") visit(value, depth + 1);
    }
  };
  visit(parsed, 0);
  return found;
}

function negated(text: string, index: number): boolean {
  return NEGATION.test(text.slice(Math.max(0, index - 40), index));
}

/** Every number the text states as a score, with how strongly. */
function candidates(text: string, options: ParseScoreOptions, high: number): Candidate[] {
  const found: Candidate[] = [];
  const add = (
    match: RegExpMatchArray,
    group: number,
    strength: number,
    extra: Partial<Candidate> = {},
  ) => {
    const token = match[group];
    const index = match.index! + match[0].lastIndexOf(token);
    if (negated(text, match.index!)) return;
    const value = toNumber(token);
    found.push({ value, strength, index, ...extra });
    // `3-4`, `3 or 4`: a second value right after the first is a second candidate.
    const after = text.slice(index + token.length);
    const range =
      /^\s*(?:-|–|—|or|to|and|bis|ou|o)\s*(?:(?:a|an)\s+)?(\d+(?:[.,]\d+)?)(?!\s*(?:\/|out\s+of))/i
        .exec(after);
    if (range && toNumber(range[1]) !== value) {
      found.push({ value: toNumber(range[1]), strength, index: index + 1, ...extra });
    }
  };
  const scaleOf = (tail: string | undefined) => {
    if (tail === undefined) return {};
    const d = toNumber(tail);
    return d === high ? {} : { scale: d };
  };

  const labels = [...LABELS, ...(options.labels ?? []).map(escape)].join("|");
  const labelled = new RegExp(
    String.raw`(?:\b(final|overall)\s+)?(?:\b(?:${labels})\b|${CJK_LABELS.join("|")})["']?` +
      String.raw`(?:\s*\([^)\n]*\))?${FILLER}\s*${NUM}(?![\w.,]\d|\w)${TAIL}`,
    "gi",
  );
  for (const m of text.matchAll(labelled)) {
    add(m, 2, 4, { final: m[1] !== undefined, ...scaleOf(m[3]) });
  }

  const phrased = new RegExp(
    String
      .raw`\b(?:rate|rating|rated|give|giving|gave|assign|assigning|award|awarding|deserves?|deserving|earns?|gets?|merits?|pick|choose|go\s+with|going\s+with|settle\s+on|say|vote)\b` +
      String
        .raw`(?:\s+(?:it|this|that|the\s+(?:answer|response|text)|this\s+(?:answer|response|text)|them|a|an|as|at|with|solid|strong|full|only|just|me|would|be|probably|definitely|maybe|clear|high|low))*\s+${NUM}(?![\w.,]\d|\w)${TAIL}` +
      `(?!${COUNTED.slice(3, -1)})`,
    "gi",
  );
  for (const m of text.matchAll(phrased)) add(m, 1, 3, scaleOf(m[2]));

  const concluding = new RegExp(
    String
      .raw`\b(?:so|therefore|thus|hence|overall|in\s+conclusion|in\s+summary|finally|final\s+answer|on\s+reflection|on\s+second\s+thought|all\s+in\s+all|i\s+think|i\s+believe|i'd\s+go\s+with)\b[\s,:]*(?:(?:it's|it\s+is|i'd\s+say|that's|this\s+is|a|an|would\s+be)\s+)*${NUM}(?![\w.,]\d|\w)${TAIL}(?!${
      COUNTED.slice(3, -1)
    })`,
    "gi",
  );
  for (const m of text.matchAll(concluding)) add(m, 1, 3, scaleOf(m[2]));

  for (
    const m of text.matchAll(
      new RegExp(
        String
          .raw`${NUM}\s*(?:stars?|points?(?=\s*(?:[.!,;)]|$|\bout\b|\bfrom\b))|分|点|星|점)(?!\w)`,
        "gi",
      ),
    )
  ) {
    add(m, 1, 3);
  }
  const stars = /([★⭐]+)(☆*)/.exec(text);
  if (stars) {
    found.push({ value: [...stars[1]].length, strength: 3, index: stars.index });
  }
  // A line holding the number alone (the format judges are asked for).
  for (
    const m of text.matchAll(
      new RegExp(String.raw`^\s*(?:\(|\[)?${NUM}(?:\)|\])?${TAIL}\s*[.!]?\s*$`, "gim"),
    )
  ) {
    add(m, 1, 3, scaleOf(m[2]));
  }

  const fraction = new RegExp(
    String.raw`(?<![\w.,\[])${NUM}\s*(?:/|\bout\s+of\b)\s*${NUM}(?![\w.,]\d|\w)`,
    "gi",
  );
  for (const m of text.matchAll(fraction)) {
    const d = toNumber(m[2]);
    if (d === high) add(m, 1, 2);
    else if (/^\d/.test(m[1]) && (d === 10 || d === 100 || toNumber(m[1]) > high)) {
      add(m, 1, 2, { scale: d });
    }
  }

  // Bare numbers: not a citation id, a list marker, a quantity or part of a word.
  const bare = new RegExp(
    String
      .raw`(?<![\w.,\[#/])((?:(?<![\w-])-)?\d+(?:[.,]\d+)?)(?![\w\]]|[.,]\d|\s*(?:/|\bout\s+of\b))(?!${
      COUNTED.slice(3, -1)
    })`,
    "g",
  );
  const lines = text.split("\n");
  let offset = 0;
  for (const line of lines) {
    for (const m of line.matchAll(bare)) {
      if (m.index === 0 && /^\d+[.)]\s+\S/.test(line)) continue; // "1. The answer…"
      if (negated(line, m.index!)) continue;
      found.push({ value: toNumber(m[1]), strength: 1, index: offset + m.index! });
    }
    offset += line.length + 1;
  }
  return found;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The number of the strongest kind present, or why there is none. */
function decide(
  found: Candidate[],
  text: string,
  raw: string,
): { value: number; scale?: number } | { missing: EvalScore } {
  const top = Math.max(...found.map((c) => c.strength));
  let best = found.filter((c) => c.strength === top);
  if (best.some((c) => c.final)) best = best.filter((c) => c.final);
  if (top === 1) {
    // Prose then a short last line with a number: that line is the score line.
    const lines = text.split("\n").filter((l) => l.trim() !== "");
    const last = lines.at(-1) ?? "";
    const start = text.lastIndexOf(last);
    const inLast = best.filter((c) => c.index >= start);
    if (lines.length > 1 && inLast.length > 0 && last.split(/\s+/).length <= 8) best = inLast;
  }
  const values = [...new Set(best.map((c) => c.value))];
  if (values.length > 1 || values.some(Number.isNaN)) {
    const shown = values.filter((v) => !Number.isNaN(v)).join(", ");
    return {
      missing: top >= 4
        ? missing("conflicting scores", raw, `conflicting scores (${shown})`)
        : missing("several numbers", raw, `several numbers (${shown})`),
    };
  }
  const scale = best.find((c) => c.scale !== undefined)?.scale;
  return { value: values[0], scale };
}

/**
 * Parse a judge's reply into a score.
 *
 * @example
 * ```ts
 * import { parseScore } from "./parse_score.ts";
 * console.assert(parseScore("**Score: 4/5**").value === 4);
 * console.assert(parseScore("I'd give this a 4.").value === 4);
 * console.assert(parseScore("I cannot evaluate this").value === null);
 * ```
 */
export function parseScore(reply: string, options: ParseScoreOptions = {}): EvalScore {
  const [low, high] = options.range ?? [1, 5];
  const raw = reply;
  const normal = normalise(reply);
  if (stripMarkdown(normal).replace(/[\s.!]/g, "") === "") return missing("empty reply", raw);
  if (NOT_APPLICABLE.test(stripMarkdown(normal))) {
    return missing("no score found", raw, "no score found (the judge answered N/A)");
  }

  let found = fromJson(normal, options);
  const text = stripMarkdown(removeScale(normal, low, high));
  if (found === undefined) {
    found = candidates(text, options, high);
    const stated = found.some((c) => c.strength >= 2);
    if (!stated && REFUSAL.some((r) => r.test(text))) {
      return missing("refused", raw, "refused: the judge declined to score");
    }
    if (found.length === 0 && /^\s*(?:[a-zäöüéñ]+)\s*[.!]?\s*$/i.test(text)) {
      const word = WORDS[text.replace(/[\s.!]/g, "").toLowerCase()];
      if (word !== undefined) found = [{ value: word, strength: 3, index: 0 }];
    }
  }
  if (found.length === 0) return missing("no score found", raw);

  const decided = decide(found, text, raw);
  if ("missing" in decided) return decided.missing;
  const { value, scale } = decided;
  if (scale !== undefined) {
    return missing(
      "another scale",
      raw,
      `${value}/${scale} is on another scale than ${low}–${high}`,
    );
  }
  if ((options.integer ?? true) && !Number.isInteger(value)) {
    return missing("not an integer", raw, `${value} is not an integer`);
  }
  if (value < low || value > high) {
    return missing("outside", raw, `${value} is outside ${low}–${high}`);
  }
  return { value, raw };
}
