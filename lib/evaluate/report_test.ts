import assert from "node:assert/strict";
import { checkGate } from "./gate.ts";
import { renderGateSummary, renderReport } from "./report.ts";
import { type MetricInfo, parseThreshold, summarize } from "./summary.ts";
import type { RowResult } from "./types.ts";

/** An answered row scored `scores`; the fields no report test reads are fixed. */
const answered = (id: string, index: number, scores: RowResult["scores"]): RowResult => ({
  id,
  index,
  fingerprint: "x",
  status: "ok",
  customerId: "5",
  question: `Question ${index}`,
  answer: "An answer",
  scores,
  retries: 0,
  durationMs: 1,
});

/** The summary of `results`, a run of one metric. */
const summaryOf = (name: string, results: RowResult[], metric: MetricInfo) =>
  summarize(results, {
    name,
    dataset: "set.jsonl",
    totalRows: results.length,
    metrics: [metric],
    concurrency: 1,
    startedAt: "2026-01-02T03:04:05.000Z",
    retries: 0,
    wallMs: 1,
  });

Deno.test("renderReport() shows the fingerprint and each mean's interval", () => {
  const results = [0.2, 0.4, 0.6, 0.8].map((v, i) =>
    answered(`r${i}`, i, { rouge_l: { value: v } })
  );
  const summary = summaryOf("interval-run", results, {
    name: "rouge_l",
    kind: "text",
    range: [0, 1],
  });
  const md = renderReport({ ...summary, fingerprintId: "abc123def456" }, results);
  assert.match(md, /\| fingerprint \| abc123def456 \|/);
  assert.match(md, /\| metric \| kind \| mean \| 95% interval \|/);
  const row = /\| rouge_l \| text \| 0\.500 \| \[(0\.\d+), (0\.\d+)\] \|/.exec(md);
  assert.ok(row, md);
  assert.ok(Number(row[1]) >= 0.2 && Number(row[1]) < 0.5 && Number(row[2]) > 0.5);
  assert.match(renderReport(summary, results), /\| fingerprint \| unknown \(older run\) \|/);
});

Deno.test("renderReport() lists missing scores but not rows a metric does not apply to", () => {
  const results: RowResult[] = [
    answered("a", 0, { f1: { value: null, reason: "no reference answer", applicable: false } }),
    answered("b", 1, { f1: { value: null, reason: "judge error: HTTP 500" } }),
  ];
  const summary = summaryOf("na", results, { name: "f1", kind: "text", range: [0, 1] });
  const md = renderReport(summary, results);
  const section = md.slice(md.indexOf("## Missing scores"), md.indexOf("## Rows"));
  assert.ok(section.includes("| b | f1 | judge error: HTTP 500 |"), section);
  assert.ok(!section.includes("no reference answer"), section);
  assert.match(md, /\| f1 \| text \| – \| – \| 0 \| 1 \| 1 \| 0–1 \|/);
});

Deno.test("renderGateSummary() states the verdict and each check's evidence", async (t) => {
  const results = [3, 4, 2].map((v, i) => answered(`q${i}`, i, { relevance: { value: v } }));
  const summary = summaryOf("gate-run", results, {
    name: "relevance",
    kind: "judge",
    range: [1, 5],
  });
  await t.step("a missed --min fails and names the metric's mean", () => {
    const gate = checkGate(summary, { thresholds: [parseThreshold("relevance=3.5")], results });
    const md = renderGateSummary(gate);
    assert.match(md, /^## Evaluation gate: failed\n/);
    assert.match(md, /3 of 3 rows answered, 0 failed\./);
    assert.match(md, /\| relevance >= 3\.5: mean 3\.00, n 3 of 3 \| FAIL/);
  });
  await t.step("a met --min passes", () => {
    const gate = checkGate(summary, { thresholds: [parseThreshold("relevance=2.5")], results });
    assert.match(renderGateSummary(gate), /^## Evaluation gate: passed\n/);
  });
  await t.step("renderReport({ chart: false }) leaves out the run directory's chart", () => {
    assert.match(renderReport(summary, results), /!\[Metric means\]\(chart\.svg\)/);
    assert.doesNotMatch(renderReport(summary, results, { chart: false }), /chart\.svg/);
  });
});
