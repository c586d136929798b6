import assert from "node:assert/strict";
import {
  comparisonSentence,
  formatInterval,
  formatValue,
  intentMeans,
  summaryRows,
  textTable,
  truncate,
  weakestIntentSentence,
} from "./present.ts";
import type { EvalScore } from "./types.ts";

Deno.test("formatValue() and formatInterval() use the digits of the metric's kind", () => {
  assert.equal(formatValue(4, "judge"), "4");
  assert.equal(formatValue(3.456, "judge"), "3.46");
  assert.equal(formatValue(0.45678, "text"), "0.457");
  assert.equal(formatValue(null), "–");
  assert.equal(formatInterval({ low: 3, high: 4.5 }, "judge"), "[3.00, 4.50]");
  assert.equal(formatInterval({ low: 0.1, high: 0.25 }, "text"), "[0.100, 0.250]");
  assert.equal(formatInterval(undefined), "–");
});

Deno.test("summaryRows() shows the interval and the direction", () => {
  const rows = summaryRows({
    metrics: [
      {
        name: "cost",
        kind: "text",
        range: [0, Infinity],
        mean: 0.0012,
        count: 4,
        missing: 0,
        min: 0,
        max: 0.002,
        direction: "lower",
        interval: { low: 0.0008, high: 0.0016, level: 0.95, method: "bootstrap" },
      },
    ],
    skipped: [{ name: "groundedness", kind: "judge", reason: "no judge model" }],
  });
  assert.deepEqual(rows[0], {
    metric: "cost",
    kind: "text",
    mean: "0.001",
    "95% interval": "[0.001, 0.002]",
    scored: 4,
    missing: 0,
    range: "0–∞ (lower is better)",
  });
  assert.equal(rows[1].mean, "skipped");
});

Deno.test("textTable() and truncate() use lib/display's table and clipping", () => {
  const text = textTable([{ metric: "f1", n: 30 }, { metric: "rouge_l", n: 7 }]);
  assert.deepEqual(text.split("\n"), ["metric    n", "-------  --", "f1       30", "rouge_l   7"]);
  assert.equal(truncate("Wie   warm\nist der Schlafsack?", 12), "Wie warm is…");
  assert.equal(truncate("日本語のテキスト", 5), "日本語の…");
});

const scored = (intent: string | undefined, scores: Record<string, number | null>, ok = true) => ({
  intent,
  status: ok ? "ok" as const : "failed" as const,
  scores: Object.fromEntries(
    Object.entries(scores).map((
      [k, value],
    ): [string, EvalScore] => [
      k,
      value === null ? { value, reason: "unparseable reply" } : { value },
    ]),
  ),
});

Deno.test("weakestIntentSentence() names the intents the run's means rank lowest and highest", async (t) => {
  const results = [
    scored("warranty", { rouge_l: 0.5, latency_ms: 900 }),
    scored("warranty", { rouge_l: 0.3, latency_ms: 700 }),
    scored("gift-ideas", { rouge_l: 0.1, latency_ms: 300 }),
    scored("gift-ideas", { rouge_l: null, latency_ms: 100 }),
    scored("gift-ideas", { rouge_l: 0.95 }, false), // a failed row never counts
    scored(undefined, { rouge_l: 0.25 }),
  ];
  await t.step("means over scored, answered rows", () => {
    assert.deepEqual(intentMeans(results, "rouge_l"), [
      { intent: "(none)", scored: 1, mean: 0.25 },
      { intent: "gift-ideas", scored: 1, mean: 0.1 },
      { intent: "warranty", scored: 2, mean: 0.4 },
    ]);
  });
  await t.step("higher is better", () => {
    assert.equal(
      weakestIntentSentence(results, { name: "rouge_l", kind: "text" }),
      "By rouge_l, gift ideas is the weakest intent (0.100 over 1 row) and warranty the strongest (0.400 over 2 rows).",
    );
  });
  await t.step("lower is better: the slowest is the weakest", () => {
    assert.equal(
      weakestIntentSentence(results, { name: "latency_ms", kind: "code", direction: "lower" }),
      "By latency_ms, warranty is the weakest intent (800 over 2 rows) and gift ideas the strongest (200 over 2 rows).",
    );
  });
  await t.step("one intent, none, a tie", () => {
    assert.equal(
      weakestIntentSentence([scored("a", { f1: 0.5 })], { name: "f1", kind: "text" }),
      "Only a has f1 scores (0.500 over 1 row).",
    );
    assert.equal(
      weakestIntentSentence(results, { name: "bleu", kind: "text" }),
      "No intent has bleu scores in this run.",
    );
    assert.equal(
      weakestIntentSentence([scored("a", { f1: 0.5 }), scored("b", { f1: 0.5 })], {
        name: "f1",
        kind: "text",
      }),
      "By f1, every intent scores the same (0.500).",
    );
  });
});

Deno.test("comparisonSentence() states the verdicts of a comparison with their figures", async (t) => {
  const d = (metric: string, delta: number | null, verdict?: string, pairs = 12) => ({
    metric,
    kind: metric === "groundedness" ? "judge" : "text",
    delta,
    interval: delta === null ? undefined : { low: delta - 0.05, high: delta + 0.05 },
    verdict,
    pairs,
  });
  const names = { a: "version 1", b: "version 2" };
  await t.step("better, worse and unclear metrics", () => {
    assert.equal(
      comparisonSentence([
        d("f1", 0.2, "better"),
        d("groundedness", -0.5, "worse"),
        d("bleu", 0.01, "no clear difference"),
        d("latency_ms", null),
      ], names),
      "Version 2 is better than version 1 on f1 (+0.200, 95% interval [0.150, 0.250]); " +
        "worse on groundedness (-0.50, 95% interval [-0.55, -0.45]); no clear difference on bleu (12 paired rows).",
    );
  });
  await t.step("nothing clear, nothing paired", () => {
    assert.equal(
      comparisonSentence([d("f1", 0.01, "no clear difference", 5)], names),
      "Version 2 shows no clear difference from version 1 on any metric (5 paired rows).",
    );
    assert.equal(
      comparisonSentence([d("f1", null)], names),
      "Version 2 and version 1 share no scored rows to compare.",
    );
  });
});
