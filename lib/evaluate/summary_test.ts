import assert from "node:assert/strict";
import { summarizeMetric } from "./summary.ts";
import { summaryRows } from "./present.ts";
import type { EvalScore, RowResult } from "./types.ts";

const row = (i: number, score?: EvalScore, ok = true): RowResult => ({
  id: `case-${i}`,
  index: i,
  fingerprint: "f",
  status: ok ? "ok" : "failed",
  customerId: "2",
  question: "q",
  scores: score ? { citation_match: score } : {},
  retries: 0,
  durationMs: 1,
});

Deno.test("summarizeMetric() tells missing scores from rows a metric does not apply to", () => {
  const results = [
    row(0, { value: 1 }),
    row(1, { value: 0.5 }),
    row(2, { value: 0 }),
    row(3, { value: null, reason: "the reference cites no ids", applicable: false }),
    row(4, { value: null, reason: "unparseable reply" }),
    row(5, undefined, false),
  ];
  const m = summarizeMetric({ name: "citation_match", kind: "code", range: [0, 1] }, results);
  assert.equal(m.count, 3);
  assert.equal(m.missing, 1);
  assert.equal(m.notApplicable, 1);
  assert.equal(m.mean, 0.5);
  assert.ok(m.interval && m.interval.low >= 0 && m.interval.high <= 1);
  const rows = summaryRows({ metrics: [m], skipped: [] });
  assert.equal(rows[0]["n/a"], 1);
  const plain = summarizeMetric(
    { name: "citation_match", kind: "code", range: [0, 1] },
    results.slice(0, 3),
  );
  assert.equal(plain.notApplicable, undefined);
  assert.equal("n/a" in summaryRows({ metrics: [plain], skipped: [] })[0], false);
});
