import assert from "node:assert/strict";
import {
  compareChart,
  compareRuns,
  compareWarnings,
  deltaRows,
  renderComparison,
} from "./compare.ts";
import { fingerprintId, type RunFingerprint } from "./fingerprint.ts";
import { summarize } from "./summary.ts";
import type { RowResult, RunSummary } from "./types.ts";
import { assertWellFormedXml } from "../display/_xml_testing.ts";
import { mulberry32 } from "./stats.ts";

function row(
  id: string,
  index: number,
  scores: Record<string, number | null>,
  ok = true,
): RowResult {
  return {
    id,
    index,
    fingerprint: id,
    status: ok ? "ok" : "failed",
    customerId: "7",
    question: `Question ${id}?`,
    scores: Object.fromEntries(
      Object.entries(scores).map((
        [k, v],
      ) => [k, v === null ? { value: null, reason: "unparseable reply" } : { value: v }]),
    ),
    retries: 0,
    durationMs: 5,
  };
}

const METRICS = [
  { name: "relevance", kind: "judge" as const, range: [1, 5] as const },
  { name: "rouge_l", kind: "text" as const, range: [0, 1] as const },
  {
    name: "latency_ms",
    kind: "text" as const,
    range: [0, Infinity] as const,
    direction: "lower" as const,
  },
];

function runOf(
  name: string,
  results: RowResult[],
  fingerprint?: RunFingerprint,
): { summary: RunSummary; results: RowResult[] } {
  const summary = summarize(results, {
    name,
    dataset: "questions.jsonl",
    totalRows: results.length,
    metrics: METRICS,
    concurrency: 2,
    startedAt: "2026-03-04T05:06:07.000Z",
    retries: 0,
    wallMs: 1,
  });
  return {
    summary: fingerprint
      ? { ...summary, fingerprint, fingerprintId: fingerprintId(fingerprint) }
      : summary,
    results,
  };
}

const print: RunFingerprint = {
  dataset: "d1",
  prompts: { chat: "c1", query: "q1" },
  models: {
    chat: { name: "gpt-4o-mini", backend: "azure" },
    embedding: { name: "e3", backend: "azure" },
  },
  evaluators: ["latency_ms", "relevance", "rouge_l"],
  parameters: { topPerQuery: 3 },
};

// 24 rows in shuffled order on one side, so pairing by position would be wrong
const random = mulberry32(99);
const ids = Array.from({ length: 24 }, (_, i) => `case-${String.fromCharCode(97 + i)}`);
const base = ids.map((id, i) => ({
  id,
  i,
  relevance: 1 + Math.floor(random() * 4),
  rouge: random() * 0.6,
  latency: 800 + Math.floor(random() * 400),
}));
const before = base.map((r) =>
  row(r.id, r.i, { relevance: r.relevance, rouge_l: r.rouge, latency_ms: r.latency })
);
const after = [...base].reverse().map((r) =>
  row(r.id, r.i, {
    relevance: Math.min(5, r.relevance + 1), // clearly better
    rouge_l: r.rouge + (r.i % 2 ? 0.02 : -0.02), // noise around no change
    latency_ms: r.latency - 300, // faster: better for a lower-is-better metric
  })
);

Deno.test("compareRuns() pairs rows by id and gives a verdict per metric", async (t) => {
  const deltas = compareRuns(runOf("v1", before, print), runOf("v2", after, print));
  const by = Object.fromEntries(deltas.map((d) => [d.metric, d]));
  await t.step("a shift on every row is better", () => {
    assert.equal(by.relevance.pairs, 24);
    assert.equal(by.relevance.verdict, "better");
    assert.ok(by.relevance.interval!.low > 0);
  });
  await t.step("alternating noise is no clear difference", () => {
    assert.ok(Math.abs(by.rouge_l.delta!) < 0.01);
    assert.equal(by.rouge_l.verdict, "no clear difference");
  });
  await t.step("faster is better when lower is better", () => {
    assert.equal(by.latency_ms.direction, "lower");
    assert.equal(by.latency_ms.delta, -300);
    assert.equal(by.latency_ms.verdict, "better");
    assert.equal(deltaRows(deltas)[2].metric, "latency_ms (lower is better)");
  });
  await t.step("failed rows and missing scores are not paired", () => {
    const a = [
      row("x", 0, { relevance: 2 }),
      row("y", 1, { relevance: 3 }),
      row("z", 2, { relevance: 4 }),
    ];
    const b = [
      row("x", 0, { relevance: 5 }),
      row("y", 1, { relevance: 5 }, false),
      row("z", 2, { relevance: null }),
    ];
    const [d] = compareRuns(runOf("a", a), runOf("b", b));
    assert.equal(d.pairs, 1);
    assert.equal(d.delta, 3);
  });
});

Deno.test("compareWarnings() names what differs between the runs", async (t) => {
  await t.step("same fingerprint: no warning", () => {
    assert.deepEqual(
      compareWarnings(runOf("a", before, print).summary, runOf("b", after, print).summary),
      [],
    );
  });
  await t.step("another chat model and prompt: one warning each", () => {
    const other = {
      ...print,
      prompts: { ...print.prompts, chat: "c2" },
      models: { ...print.models, chat: { name: "phi-4", backend: "openai-compatible" } },
    };
    const w = compareWarnings(runOf("a", before, print).summary, runOf("b", after, other).summary);
    assert.equal(w.length, 2, w.join("\n"));
    assert.ok(w.some((x) => x.includes("chat model") && x.includes("phi-4")));
    assert.ok(w.some((x) => x.includes("chat prompt")));
  });
  await t.step("an old run without a fingerprint is unknown", () => {
    const w = compareWarnings(runOf("a", before).summary, runOf("b", after, print).summary);
    assert.equal(w.length, 1);
    assert.match(w[0], /run A has no fingerprint/);
    const rows = renderComparison(runOf("a", before).summary, runOf("b", after, print).summary, []);
    assert.ok(rows.includes("| A | a | unknown |"), rows);
  });
});

Deno.test("renderComparison() and compareChart() show deltas with intervals", () => {
  const a = runOf("v1", before, print), b = runOf("v2", after, print);
  const deltas = compareRuns(a, b);
  const md = renderComparison(a.summary, b.summary, deltas, { chart: "compare.svg" });
  assert.match(
    md,
    /\| relevance \| [\d.]+ \| [\d.]+ \| \+[\d.]+ \| \[[\d.]+, [\d.]+\] \| 24 \| better \|/,
  );
  assert.ok(md.includes(`| B | v2 | ${fingerprintId(print)} |`));
  assert.ok(md.includes("![Paired differences B − A](compare.svg)"));
  const chart = compareChart(a, b, deltas);
  assertWellFormedXml(chart.svg);
  // judges and text metrics on separate panels; the unbounded latency is a text-kind metric here
  assert.ok(chart.svg.includes("AI judges") && chart.svg.includes("text metrics"));
  assert.match(String(chart), /relevance\s+│█+ [\d.]+ \[[\d.]+, [\d.]+\]/);
});
