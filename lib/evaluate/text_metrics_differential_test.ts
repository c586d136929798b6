/**
 * Differential tests of the text metrics against reference implementations, on the pairs of
 * `testdata/metric_pairs.json` (written for this test: lengths from one word up, no overlap,
 * exact matches, repeated words, numbers, nine languages). Both sides get the same token lists
 * (our tokeniser, tested on its own in `tokenize_test.ts`), so these tests check the arithmetic.
 *
 * - BLEU against NLTK's `sentence_bleu` (Debian's `python3-nltk`, run once for all pairs by
 *   `testdata/bleu_with_nltk.py`) with method2 smoothing and auto_reweigh. In CI a missing
 *   Python or NLTK fails the test; elsewhere it is ignored with a hint.
 * - Token F1 against the arithmetic of the SQuAD v1.1 script's `f1_score` (in the same script).
 * - ROUGE-L against a top-down memoised LCS written here (the module's LCS is a bottom-up
 *   dynamic programme with one row).
 *
 * @module
 */
import { equal, ok } from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { bleu, bleuTokens, lcsLength, rougeL, rougeLTokens, tokenF1 } from "./text_metrics.ts";
import { metricTokens, squadTokens } from "./tokenize.ts";
import { referenceGate, runPythonReference } from "../../tests/_python_reference.ts";

const SCRIPT = fileURLToPath(new URL("./testdata/bleu_with_nltk.py", import.meta.url));
const PAIRS = fileURLToPath(new URL("./testdata/metric_pairs.json", import.meta.url));
const TOLERANCE = 1e-12;

interface Pair {
  name: string;
  answer: string;
  reference: string;
}
interface TokenPair {
  name: string;
  answer: string[];
  reference: string[];
  squad_answer: string[];
  squad_reference: string[];
}

const pairs: Pair[] = JSON.parse(Deno.readTextFileSync(PAIRS));
// Two empty texts are identical by our convention (1); NLTK scores them 0, so none is compared.
const tokenPairs: TokenPair[] = pairs
  .map((p) => ({
    name: p.name,
    answer: metricTokens(p.answer),
    reference: metricTokens(p.reference),
    squad_answer: squadTokens(p.answer),
    squad_reference: squadTokens(p.reference),
  }))
  .filter((p) => p.answer.length > 0 || p.reference.length > 0);

/** NLTK (and the SQuAD F1 arithmetic), in one Python process for every pair. */
const NLTK = { module: "nltk", debianPackage: "python3-nltk" };
const gate = referenceGate(
  await runPythonReference<
    { nltk: string; results: Record<string, number>; f1: Record<string, number> }
  >(SCRIPT, tokenPairs, NLTK),
  "BLEU and F1 differential tests",
  NLTK,
);

Deno.test({
  name: "bleuTokens() scores every pair as NLTK's sentence_bleu does (method2, auto_reweigh)",
  ignore: gate.ignore,
  fn: async (t) => {
    const reference = gate.require();
    ok(tokenPairs.length >= 30, `only ${tokenPairs.length} pairs`);
    ok(tokenPairs.some((p) => p.answer.length > 0 && p.answer.length < 4), "short answers");
    ok(reference.nltk.startsWith("3."), `nltk ${reference.nltk}`);
    let maxDifference = 0;
    for (const pair of tokenPairs) {
      await t.step(pair.name, () => {
        const expected = reference.results[pair.name];
        ok(typeof expected === "number", `NLTK gave no score for "${pair.name}"`);
        const actual = bleuTokens(pair.answer, pair.reference);
        const difference = Math.abs(actual - expected);
        maxDifference = Math.max(maxDifference, difference);
        ok(difference <= TOLERANCE, `ours ${actual}, NLTK ${expected}`);
      });
    }
    // The scores spread over the range, so agreement is not agreement on zeros.
    const scores = Object.values(reference.results);
    ok(scores.filter((s) => s > 0 && s < 1).length >= 15, "most pairs score strictly between");
    ok(scores.includes(0) && scores.includes(1), "some pairs score 0 and some 1");
    console.log(
      `BLEU vs NLTK ${reference.nltk}: ${tokenPairs.length} pairs, max |difference| ${maxDifference}`,
    );
  },
});

Deno.test({
  name: "tokenF1() scores every pair as the SQuAD v1.1 script's f1_score does (in Python)",
  ignore: gate.ignore,
  fn: async (t) => {
    const reference = gate.require();
    const names = Object.keys(reference.f1);
    ok(names.length >= 30, `only ${names.length} pairs`);
    let maxDifference = 0;
    for (const p of pairs.filter((p) => names.includes(p.name))) {
      await t.step(p.name, () => {
        const ours = tokenF1(p.answer, p.reference);
        const difference = Math.abs(ours - reference.f1[p.name]);
        maxDifference = Math.max(maxDifference, difference);
        ok(difference <= TOLERANCE, `ours ${ours}, SQuAD ${reference.f1[p.name]}`);
      });
    }
    console.log(`F1 vs SQuAD's f1_score: ${names.length} pairs, max |difference| ${maxDifference}`);
  },
});

Deno.test("bleu() and rougeL() tokenise both texts with metricTokens()", () => {
  for (const p of pairs) {
    const a = metricTokens(p.answer);
    const r = metricTokens(p.reference);
    equal(bleu(p.answer, p.reference), bleuTokens(a, r), p.name);
    equal(rougeL(p.answer, p.reference), rougeLTokens(a, r), p.name);
  }
});

/** LCS length by top-down recursion with a memo (an algorithm unlike the module's). */
function lcsMemo(a: readonly string[], b: readonly string[]): number {
  const memo = new Map<number, number>();
  const go = (i: number, j: number): number => {
    if (i === a.length || j === b.length) return 0;
    const key = i * (b.length + 1) + j;
    const known = memo.get(key);
    if (known !== undefined) return known;
    const value = a[i] === b[j] ? 1 + go(i + 1, j + 1) : Math.max(go(i + 1, j), go(i, j + 1));
    memo.set(key, value);
    return value;
  };
  return go(0, 0);
}

/** ROUGE-L F1 from the reference LCS, written out from its definition. */
function rougeLReference(a: readonly string[], r: readonly string[]): number {
  if (a.length === 0 && r.length === 0) return 1;
  const lcs = lcsMemo(a, r);
  if (lcs === 0) return 0;
  const precision = lcs / a.length;
  const recall = lcs / r.length;
  return (2 * precision * recall) / (precision + recall);
}

Deno.test("rougeLTokens() agrees with an independent LCS on every pair", async (t) => {
  ok(tokenPairs.length >= 30, `only ${tokenPairs.length} pairs`);
  let maxDifference = 0;
  for (const pair of tokenPairs) {
    await t.step(pair.name, () => {
      equal(lcsLength(pair.answer, pair.reference), lcsMemo(pair.answer, pair.reference));
      const expected = rougeLReference(pair.answer, pair.reference);
      const actual = rougeLTokens(pair.answer, pair.reference);
      maxDifference = Math.max(maxDifference, Math.abs(actual - expected));
      ok(Math.abs(actual - expected) <= TOLERANCE, `ours ${actual}, reference ${expected}`);
    });
  }
  await t.step("random token lists over a small vocabulary", () => {
    // A seeded generator: many repeats, so the LCS has many ties to get right.
    let seed = 20261201;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const words = ["tent", "pole", "peg", "fly", "mat"];
    const list = () =>
      Array.from({ length: Math.floor(next() * 25) }, () => words[Math.floor(next() * 5)]);
    for (let i = 0; i < 200; i++) {
      const a = list();
      const b = list();
      equal(lcsLength(a, b), lcsMemo(a, b), `${a.join(" ")} | ${b.join(" ")}`);
    }
  });
  console.log(
    `ROUGE-L vs memoised LCS: ${tokenPairs.length} pairs, max |difference| ${maxDifference}`,
  );
});
