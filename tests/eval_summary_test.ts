/**
 * Summaries, the `--min` quality gate, comparison of two runs, and the display helpers.
 *
 * @module
 */
import { deepEqual as assertEquals, equal, ok as assert, throws } from "node:assert/strict";
import {
  checkThresholds,
  compareChart,
  compareRuns,
  deltaRows,
  parseThreshold,
  resultRows,
  summarize,
  summaryRows,
  textTable,
} from "../lib/evaluate/mod.ts";
import type { RowResult, RunSummary } from "../lib/evaluate/mod.ts";

function result(
  id: number,
  scores: RowResult["scores"],
  status: RowResult["status"] = "ok",
): RowResult {
  return {
    id: `row-${id}`,
    index: id,
    fingerprint: "x",
    status,
    customerId: "1",
    question: `question ${id}`,
    scores,
    retries: 0,
    durationMs: 1,
  };
}

const results = [
  result(0, { groundedness: { value: 4 }, f1: { value: 0.5 } }),
  result(1, { groundedness: { value: 2 }, f1: { value: 0.25 } }),
  result(2, {
    groundedness: { value: null, reason: "unparseable reply", raw: "great" },
    f1: { value: 0 },
  }),
  result(3, {}, "failed"),
];

function summaryOf(rs: RowResult[], name = "run"): RunSummary {
  return summarize(rs, {
    name,
    dataset: "t.jsonl",
    totalRows: 4,
    metrics: [
      { name: "groundedness", kind: "judge", range: [1, 5] },
      { name: "f1", kind: "text", range: [0, 1] },
    ],
    skipped: [{ name: "fluency", kind: "judge", reason: "no model" }],
    concurrency: 4,
    startedAt: "2026-01-01T00:00:00.000Z",
    retries: 0,
    wallMs: 10,
  });
}

Deno.test("summarize() averages present scores only and counts missing ones", () => {
  const s = summaryOf(results);
  assertEquals(s.rows, { total: 4, ok: 3, failed: 1, pending: 0 });
  const { interval, ...rest } = s.metrics[0];
  assertEquals(rest, {
    name: "groundedness",
    kind: "judge",
    range: [1, 5],
    mean: 3,
    count: 2,
    missing: 1,
    min: 2,
    max: 4,
  });
  // two scores, 2 and 4: resampled means are 2, 3 or 4
  assert(interval && interval.low >= 2 && interval.high <= 4 && interval.low < interval.high);
  assertEquals(summaryOf(results).metrics[0].interval, interval, "seeded: the same every time");
  equal(s.metrics[1].mean, 0.25);
  equal(s.metrics[1].count, 3);
  equal(summaryOf([]).metrics[0].mean, null);
  equal(summaryOf([]).complete, false);
});

Deno.test("parseThreshold() and checkThresholds() make the quality gate", () => {
  assertEquals(parseThreshold("groundedness=3.5"), { metric: "groundedness", min: 3.5 });
  throws(() => parseThreshold("groundedness"), TypeError);
  throws(() => parseThreshold("f1=high"), TypeError);
  const s = summaryOf(results);
  const checks = checkThresholds(s, [
    { metric: "groundedness", min: 3 }, // mean 3: passes (>=)
    { metric: "f1", min: 0.3 }, // mean 0.25: fails
    { metric: "fluency", min: 1 }, // skipped: fails, no evidence
  ]);
  assertEquals(checks.map((c) => c.passed), [true, false, false]);
  equal(checks[1].reason, "mean 0.250 is below 0.3");
  assert(checks[2].reason?.includes("skipped: no model"));
  equal(checkThresholds(summaryOf([]), [{ metric: "f1", min: 0 }])[0].reason, "f1 has no scores");
});

Deno.test("compareRuns() gives per-metric deltas B − A", async (t) => {
  const a = summaryOf(results, "a");
  const bResults = [result(0, { groundedness: { value: 5 }, f1: { value: 0.25 } })];
  const b = summaryOf(bResults, "b");
  await t.step("from summaries alone: the difference of the means, no verdict", () => {
    const deltas = compareRuns(a, b);
    assertEquals(deltas, [
      {
        metric: "groundedness",
        kind: "judge",
        range: [1, 5],
        direction: "higher",
        a: 3,
        b: 5,
        delta: 2,
        pairs: 0,
      },
      {
        metric: "f1",
        kind: "text",
        range: [0, 1],
        direction: "higher",
        a: 0.25,
        b: 0.25,
        delta: 0,
        pairs: 0,
      },
    ]);
    assertEquals(deltaRows(deltas)[0], {
      metric: "groundedness",
      A: "3",
      B: "5",
      "Δ (B−A)": "+2",
      "95% interval": "–",
      pairs: 0,
      verdict: "no paired rows",
    });
    equal(deltaRows(deltas)[1]["Δ (B−A)"], "±0");
  });
  await t.step("with results: paired by row id over rows both scored", () => {
    const deltas = compareRuns({ summary: a, results }, { summary: b, results: bResults });
    // row-0 is the only row scored in both: groundedness 4 → 5, f1 0.5 → 0.25
    equal(deltas[0].pairs, 1);
    equal(deltas[0].delta, 1);
    equal(deltas[1].delta, -0.25);
    equal(deltas[0].verdict, "no clear difference", "one pair gives no interval");
  });
  await t.step("the chart shows both runs' names", () => {
    const svg = compareChart(a, b).svg;
    assert(svg.includes("B (b) − A (a)"), svg.slice(0, 200));
  });
});

Deno.test("display helpers give flat rows and a table", () => {
  const rows = resultRows(results, summaryOf(results).metrics);
  assertEquals(rows[2], {
    id: "row-2",
    question: "question 2",
    status: "ok",
    groundedness: "–",
    f1: "0",
  });
  assert(String(rows[3].status).startsWith("failed"));
  assertEquals(summaryRows(summaryOf(results)).map((r) => r.mean), ["3", "0.250", "skipped"]);
  assert(
    /^\[2\.\d\d, [34]\.\d\d\]$/.test(String(summaryRows(summaryOf(results))[0]["95% interval"])),
  );
  const table = textTable([{ a: "x", b: 1 }, { a: "längere", b: null }]);
  assertEquals(table.split("\n"), ["a        b", "-------  -", "x        1", "längere"]);
  equal(textTable([]), "(no rows)");
});
