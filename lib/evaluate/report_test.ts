import assert from "node:assert/strict";
import { checkGate } from "./gate.ts";
import { renderGateSummary, renderReport } from "./report.ts";
import { parseThreshold, summarize } from "./summary.ts";
import type { RowResult } from "./types.ts";

Deno.test("renderReport() shows the fingerprint and each mean's interval", () => {
  const results: RowResult[] = [0.2, 0.4, 0.6, 0.8].map((v, i) => ({
    id: `r${i}`,
    index: i,
    fingerprint: "x",
    status: "ok",
    customerId: "5",
    question: `Question ${i}`,
    answer: "An answer",
    scores: { rouge_l: { value: v } },
    retries: 0,
    durationMs: 1,
  }));
  const summary = summarize(results, {
    name: "interval-run",
    dataset: "set.jsonl",
    totalRows: 4,
    metrics: [{ name: "rouge_l", kind: "text", range: [0, 1] }],
    concurrency: 1,
    startedAt: "2026-01-02T03:04:05.000Z",
    retries: 0,
    wallMs: 1,
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
  const base = {
    index: 0,
    fingerprint: "x",
    status: "ok" as const,
    customerId: "5",
    question: "Where is my order?",
    answer: "It shipped.",
    retries: 0,
    durationMs: 1,
  };
  const results: RowResult[] = [
    {
      ...base,
      id: "a",
      scores: { f1: { value: null, reason: "no reference answer", applicable: false } },
    },
    {
      ...base,
      id: "b",
      index: 1,
      scores: { f1: { value: null, reason: "judge error: HTTP 500" } },
    },
  ];
  const summary = summarize(results, {
    name: "na",
    dataset: "set.jsonl",
    totalRows: 2,
    metrics: [{ name: "f1", kind: "text", range: [0, 1] }],
    concurrency: 1,
    startedAt: "2026-01-02T03:04:05.000Z",
    retries: 0,
    wallMs: 1,
  });
  const md = renderReport(summary, results);
  const section = md.slice(md.indexOf("## Missing scores"), md.indexOf("## Rows"));
  assert.ok(section.includes("| b | f1 | judge error: HTTP 500 |"), section);
  assert.ok(!section.includes("no reference answer"), section);
  assert.match(md, /\| f1 \| text \| – \| – \| 0 \| 1 \| 1 \| 0–1 \|/);
});

Deno.test("renderGateSummary() states the verdict and each check's evidence", async (t) => {
  const results: RowResult[] = [3, 4, 2].map((v, i) => ({
    id: `q${i}`,
    index: i,
    fingerprint: "x",
    status: "ok",
    customerId: "7",
    question: `How warm is tent ${i}?`,
    answer: "Warm enough",
    scores: { relevance: { value: v } },
    retries: 0,
    durationMs: 1,
  }));
  const summary = summarize(results, {
    name: "gate-run",
    dataset: "other.jsonl",
    totalRows: 3,
    metrics: [{ name: "relevance", kind: "judge", range: [1, 5] }],
    concurrency: 1,
    startedAt: "2026-03-04T05:06:07.000Z",
    retries: 0,
    wallMs: 1,
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
