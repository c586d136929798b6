import assert from "node:assert/strict";
import { diffRuns, renderRowDiffs } from "./run_diff.ts";
import type { RowResult } from "./types.ts";

function row(id: string, answer: string, scores: Record<string, number | null>): RowResult {
  return {
    id,
    index: Number(id.replace(/\D/g, "")),
    fingerprint: id,
    status: "ok",
    customerId: "12",
    question: `Can I wash the jacket (${id})?`,
    answer,
    scores: Object.fromEntries(
      Object.entries(scores).map(([k, v]) => [
        k,
        v === null ? { value: null, reason: "no reference answer" } : { value: v },
      ]),
    ),
    retries: 0,
    durationMs: 3,
  };
}

Deno.test("diffRuns() keeps only the questions whose scores changed", async (t) => {
  const a = [
    row("q1", "Cold wash.", { f1: 0.5, relevance: 4 }),
    row("q2", "Hand wash.", { f1: 0.25, relevance: 3 }),
    row("q3", "Dry clean.", { f1: 0.1, relevance: null }),
  ];
  const b = [
    row("q3", "Dry clean only.", { f1: 0.1, relevance: 2 }),
    row("q2", "Hand wash, cold.", { f1: 0.25, relevance: 5 }),
    row("q1", "Cold wash.", { f1: 0.5 + 1e-12, relevance: 4 }),
    row("q4", "New question.", { f1: 0.9 }),
  ];
  await t.step("one metric: only where it changed, float noise ignored", () => {
    assert.deepEqual(diffRuns(a, b, { metric: "f1" }).map((d) => d.id), ["q4"]);
    assert.deepEqual(diffRuns(a, b, { metric: "relevance" }).map((d) => d.id), ["q2", "q3"]);
  });
  await t.step("any metric: a missing score that appears counts", () => {
    const diffs = diffRuns(a, b);
    assert.deepEqual(diffs.map((d) => [d.id, d.changed]), [
      ["q2", ["relevance"]],
      ["q3", ["relevance"]],
      ["q4", ["f1"]],
    ]);
    assert.equal(diffs[2].a, undefined);
  });
  await t.step("the text shows scores A → B and both answers", () => {
    const text = renderRowDiffs(diffRuns(a, b));
    assert.match(
      text,
      /## q3 \(customer 12\): Can I wash the jacket \(q3\)\?\n {2}relevance: missing \(no reference answer\) → 2\n {2}A:\n {4}Dry clean\.\n {2}B:\n {4}Dry clean only\./,
    );
    assert.match(
      text,
      /## q4[^\n]*\n {2}f1: \(not in run\) → 0\.900 {3}status: absent → ok\n[^\n]*\n {4}\(not in this run\)/,
    );
  });
});
