import { deepEqual, equal, ok as assert, throws } from "node:assert/strict";
import { checkGate, formatGate, parseMaxFailed, parseMinScored } from "./gate.ts";
import type { MetricSummary, RowResult, RunSummary } from "./types.ts";

function metric(name: string, mean: number | null, count: number, missing = 0): MetricSummary {
  return {
    name,
    kind: name === "f1" ? "text" : "judge",
    range: name === "f1" ? [0, 1] : [1, 5],
    mean,
    count,
    missing,
    min: mean,
    max: mean,
  };
}

function summary(
  rows: RunSummary["rows"],
  metrics: MetricSummary[],
): Pick<RunSummary, "rows" | "metrics" | "skipped"> {
  return { rows, metrics, skipped: [] };
}

Deno.test("parseMaxFailed() reads rows or a percentage", async (t) => {
  await t.step("rows and percentages", () => {
    deepEqual(parseMaxFailed("0"), { rows: 0 });
    deepEqual(parseMaxFailed("7"), { rows: 7 });
    deepEqual(parseMaxFailed("12.5%"), { percent: 12.5 });
    deepEqual(parseMaxFailed(" 5 % "), { percent: 5 });
  });
  await t.step("rejects what is neither", () => {
    for (const bad of ["", "-1", "1.5", "x", "150%", "5%%"]) {
      throws(() => parseMaxFailed(bad), TypeError, bad);
    }
  });
  await t.step("parseMinScored() takes whole numbers only", () => {
    equal(parseMinScored("20"), 20);
    for (const bad of ["", "2.5", "-3", "ten"]) throws(() => parseMinScored(bad), TypeError, bad);
  });
});

Deno.test("checkGate() fails on failed rows even when the answered rows' mean passes", async (t) => {
  // 11 of 32 rows failed; the 21 answered all scored 4
  const s = summary({ total: 32, ok: 21, failed: 11, pending: 0 }, [metric("groundedness", 4, 21)]);
  const thresholds = [{ metric: "groundedness", min: 3 }];

  await t.step("default --max-failed 0", () => {
    const gate = checkGate(s, { thresholds });
    equal(gate.passed, false);
    const failed = gate.checks.find((c) => c.name === "failed rows")!;
    equal(failed.passed, false);
    equal(failed.reason, "11 rows failed, at most 0 allowed");
    const g = gate.checks.find((c) => c.name === "groundedness")!;
    equal(g.passed, true, "the mean itself is above 3");
    assert(g.text.includes("n 21 of 32 (11 missing, 11 of them failed rows)"), g.text);
    deepEqual(gate.metrics, [
      { name: "groundedness", n: 21, missing: 11, failedRows: 11, notApplicable: 0 },
    ]);
  });

  await t.step("--max-failed as rows and as a share of the set", () => {
    equal(checkGate(s, { thresholds, maxFailed: { rows: 10 } }).passed, false);
    equal(checkGate(s, { thresholds, maxFailed: { rows: 11 } }).passed, true);
    equal(checkGate(s, { thresholds, maxFailed: { percent: 34 } }).passed, false); // 10.88 → 10
    equal(checkGate(s, { thresholds, maxFailed: { percent: 35 } }).passed, true); // 11.2 → 11
  });

  await t.step("31 of 32 failed never passes by default", () => {
    const worse = summary({ total: 32, ok: 1, failed: 31, pending: 0 }, [metric("f1", 1, 1)]);
    equal(checkGate(worse, { thresholds: [{ metric: "f1", min: 0.5 }] }).passed, false);
  });
});

Deno.test("checkGate() --min-scored: a metric with fewer scores fails", async (t) => {
  // every row answered, but the judge's reply was unparseable on 12 of 20
  const s = summary({ total: 20, ok: 20, failed: 0, pending: 0 }, [
    metric("relevance", 4.5, 8, 12),
    metric("f1", 0.6, 20),
  ]);
  const thresholds = [{ metric: "relevance", min: 3 }, { metric: "f1", min: 0.5 }];

  await t.step("default: every answered row needs a score", () => {
    const gate = checkGate(s, { thresholds });
    equal(gate.passed, false);
    const r = gate.checks.find((c) => c.name === "relevance")!;
    equal(r.passed, false);
    equal(r.reason, "8 scores, at least 20 needed");
    equal(gate.checks.find((c) => c.name === "f1")!.passed, true);
  });
  await t.step("a lower --min-scored lets it pass", () => {
    equal(checkGate(s, { thresholds, minScored: 8 }).passed, true);
    equal(checkGate(s, { thresholds, minScored: 9 }).passed, false);
  });
  await t.step("rows a metric does not apply to are not asked of it; failed judges are", () => {
    // f1 on 20 answered rows: 14 scored, 6 without a reference answer (not applicable)
    const results: RowResult[] = Array.from({ length: 20 }, (_, i) => ({
      id: `r${i}`,
      index: i,
      fingerprint: "x",
      status: "ok",
      customerId: "1",
      question: "q",
      retries: 0,
      durationMs: 1,
      scores: {
        f1: i < 14
          ? { value: 0.6 }
          : { value: null, reason: "no reference answer (truth) in the row", applicable: false },
        relevance: i < 8 ? { value: 4.5 } : { value: null, reason: "unparseable reply" },
      },
    }));
    const partial = summary({ total: 20, ok: 20, failed: 0, pending: 0 }, [
      metric("relevance", 4.5, 8, 12),
      metric("f1", 0.6, 14, 6),
    ]);
    const gate = checkGate(partial, { thresholds, results });
    const f1 = gate.checks.find((c) => c.name === "f1")!;
    equal(f1.passed, true, f1.reason);
    assert(f1.text.includes("n 14 of 20 (6 missing, 6 not applicable)"), f1.text);
    equal(gate.checks.find((c) => c.name === "relevance")!.passed, false, "unparseable counts");
    equal(gate.metrics.find((m) => m.name === "f1")!.notApplicable, 6);
    // without the results, every answered row needs a score
    equal(checkGate(partial, { thresholds: [thresholds[1]] }).passed, false);
  });

  await t.step("a metric without --min is not gated", () => {
    equal(checkGate(s, { thresholds: [{ metric: "f1", min: 0.5 }] }).passed, true);
  });
});

Deno.test("checkGate() keeps the --min checks: below, no scores, skipped, unknown", () => {
  const s = {
    ...summary({ total: 4, ok: 4, failed: 0, pending: 0 }, [
      metric("f1", 0.2, 4),
      metric("coherence", null, 0, 4),
    ]),
    skipped: [{ name: "fluency", kind: "judge" as const, reason: "no judge model" }],
  };
  const gate = checkGate(s, {
    thresholds: [
      { metric: "f1", min: 0.3 },
      { metric: "coherence", min: 1 },
      { metric: "fluency", min: 1 },
      { metric: "nope", min: 1 },
    ],
  });
  equal(gate.passed, false);
  deepEqual(gate.checks.map((c) => [c.name, c.passed]), [
    ["failed rows", true],
    ["f1", false],
    ["coherence", false],
    ["fluency", false],
    ["nope", false],
  ]);
  assert(gate.checks[2].reason?.includes("coherence has no scores"));
  assert(gate.checks[3].reason?.includes("fluency was skipped: no judge model"));
});

Deno.test("formatGate() prints rows answered and failed, n per metric, and each check", () => {
  const gate = checkGate(
    summary({ total: 32, ok: 21, failed: 11, pending: 0 }, [
      metric("groundedness", 4, 21),
      metric("f1", 0.7, 21),
    ]),
    { thresholds: [{ metric: "groundedness", min: 3 }] },
  );
  deepEqual(formatGate(gate), [
    "Gate: 21 of 32 rows answered, 11 failed",
    "  n per metric: groundedness 21/32, f1 21/32",
    "FAIL  failed rows <= 0: 11 of 32 — 11 rows failed, at most 0 allowed",
    "PASS  groundedness >= 3: mean 4.00, n 21 of 32 (11 missing, 11 of them failed rows)",
    "Gate failed",
  ]);
});
