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

const PYTHON = "/usr/bin/python3";
const SCRIPT = fileURLToPath(new URL("./testdata/bleu_with_nltk.py", import.meta.url));
const PAIRS = fileURLToPath(new URL("./testdata/metric_pairs.json", import.meta.url));
const INSTALL_HINT = "apt-get install -y python3-nltk";
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

/** Score every pair with NLTK in one Python process. */
async function scoreWithNltk(
  input: TokenPair[],
): Promise<
  | { version: string; results: Record<string, number>; f1: Record<string, number> }
  | { unavailable: string }
> {
  let child;
  try {
    child = new Deno.Command(PYTHON, {
      args: [SCRIPT],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  } catch (error) {
    return { unavailable: `${PYTHON} cannot be run (${(error as Error).message})` };
  }
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(JSON.stringify(input)));
  await writer.close();
  const out = await child.output();
  if (!out.success) {
    const stderr = new TextDecoder().decode(out.stderr);
    return {
      unavailable: /No module named .?nltk/.test(stderr)
        ? "nltk is not installed for /usr/bin/python3"
        : `the NLTK reference failed: ${stderr.trim().split("\n").at(-1)}`,
    };
  }
  const parsed = JSON.parse(new TextDecoder().decode(out.stdout));
  return { version: parsed.nltk, results: parsed.results, f1: parsed.f1 };
}

const reference = await scoreWithNltk(tokenPairs);
const inCI = Deno.env.get("CI") === "true";
if ("unavailable" in reference && !inCI) {
  console.warn(
    `BLEU and F1 differential tests ignored: ${reference.unavailable}; install it with \`${INSTALL_HINT}\``,
  );
}

Deno.test({
  name: "bleuTokens() scores every pair as NLTK's sentence_bleu does (method2, auto_reweigh)",
  ignore: "unavailable" in reference && !inCI,
  fn: async (t) => {
    if ("unavailable" in reference) {
      throw new Error(
        `Cannot run the BLEU differential test: ${reference.unavailable} (${INSTALL_HINT})`,
      );
    }
    ok(tokenPairs.length >= 30, `only ${tokenPairs.length} pairs`);
    ok(tokenPairs.some((p) => p.answer.length > 0 && p.answer.length < 4), "short answers");
    ok(reference.version.startsWith("3."), `nltk ${reference.version}`);
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
      `BLEU vs NLTK ${reference.version}: ${tokenPairs.length} pairs, max |difference| ${maxDifference}`,
    );
  },
});

Deno.test({
  name: "tokenF1() scores every pair as the SQuAD v1.1 script's f1_score does (in Python)",
  ignore: "unavailable" in reference && !inCI,
  fn: async (t) => {
    if ("unavailable" in reference) {
      throw new Error(
        `Cannot run the F1 differential test: ${reference.unavailable} (${INSTALL_HINT})`,
      );
    }
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
