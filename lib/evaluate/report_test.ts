import assert from "node:assert/strict";
import { renderReport } from "./report.ts";
import { summarize } from "./summary.ts";
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
