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
  progressLine,
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
  assertEquals(s.metrics[0], {
    name: "groundedness",
    kind: "judge",
    range: [1, 5],
    mean: 3,
    count: 2,
    missing: 1,
    min: 2,
    max: 4,
  });
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

Deno.test("compareRuns() gives per-metric deltas B − A", () => {
  const a = summaryOf(results, "a");
  const b = summaryOf([result(0, { groundedness: { value: 5 }, f1: { value: 0.25 } })], "b");
  const deltas = compareRuns(a, b);
  assertEquals(deltas, [
    { metric: "groundedness", kind: "judge", a: 3, b: 5, delta: 2 },
    { metric: "f1", kind: "text", a: 0.25, b: 0.25, delta: 0 },
  ]);
  assertEquals(deltaRows(deltas)[0], { metric: "groundedness", A: "3", B: "5", "Δ (B−A)": "+2" });
  equal(deltaRows(deltas)[1]["Δ (B−A)"], "±0");
  const svg = compareChart(a, b);
  assert(svg.includes("A: a") && svg.includes("B: b"));
});

Deno.test("display helpers give flat rows, a table and a progress line", () => {
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
  const table = textTable([{ a: "x", b: 1 }, { a: "längere", b: null }]);
  assertEquals(table.split("\n"), ["a        b", "-------  -", "x        1", "längere"]);
  equal(
    progressLine({
      total: 10,
      done: 5,
      ok: 4,
      failed: 1,
      resumed: 0,
      retries: 2,
      elapsedMs: 65_000,
      etaMs: 3000,
    }, 10),
    "[█████░░░░░]   5/10  ok 4  failed 1  retries 2  01:05  eta 00:03",
  );
});
