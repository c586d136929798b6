import assert from "node:assert/strict";
import { formatScaleTable, type ScaleResult, scaleRows, type SizeFigures } from "./scale.ts";

function size(products: number, over: Partial<SizeFigures> = {}): SizeFigures {
  const sets = [
    { file: "queries.jsonl", queries: 46, top1: 0.8, mrr: 0.86, tinyWins: 0 },
    { file: "holdout.jsonl", queries: 20, top1: 0.75, mrr: 0.8, tinyWins: 0 },
  ];
  return {
    products,
    customers: Math.max(12, products / 10),
    documents: products * 7,
    coldMs: products,
    warmMs: 500,
    warmRunsMs: [500],
    load: {
      rate: 50,
      connections: 3,
      durationS: 15,
      requests: 750,
      requestsPerSecond: 50,
      p50Ms: 4,
      p90Ms: 6,
      p99Ms: 12,
      maxMs: 20,
      non2xx: 0,
      errors: 0,
      timeouts: 0,
      failures: 0,
      roundsP99Ms: [12],
    },
    peakRssColdMiB: 150,
    peakRssWarmMiB: 140,
    cpuMsPerRequest: 3,
    loadAverage: 1,
    quality: { shipped: { documents: products * 7, sets }, exact: { documents: 1, sets } },
    seconds: 10,
    ...over,
  };
}

const result = (sizes: SizeFigures[]): ScaleResult => ({
  sizes,
  rate: 50,
  seconds: 15,
  loadAverage: 1,
  pinned: true,
});

Deno.test("formatScaleTable() prints a column per size and the largest ÷ smallest ratio", () => {
  const table = formatScaleTable(result([size(24), size(1000, { coldMs: 6000 })]));
  const lines = table.split("\n");
  assert.match(lines[0], /24 products\s+1,000 products\s+× \(1000 ÷ 24\)\s+goal/);
  const cold = lines.find((l) => l.startsWith("cold start"))!;
  // 6000 ms ÷ 24 ms = 250, under the 60 s goal at both sizes.
  assert.match(cold, /24\s+6000\s+250\s+≤ 60000\s+PASS$/);
  assert.match(
    lines.find((l) => l.startsWith("holdout: top-1, shipped"))!,
    /\s0\s+0\s+≥ 0\s+PASS$/,
  );
});

Deno.test("scaleRows() gives each goal per size, and a miss at one size fails the row", async (t) => {
  const slow = size(10_000, { warmMs: 2500, quality: { shipped: size(1).quality.shipped } });
  const rows = scaleRows(result([size(24), slow]));
  await t.step("a row per size for each figure with a goal", () => {
    const warm = rows.filter((r) => r.figure.endsWith("warm start → /ready (median)"));
    assert.deepEqual(warm.map((r) => [r.figure.split(":")[0], r.value]), [["24", 500], [
      "10,000",
      2500,
    ]]);
  });
  await t.step("a size without exact figures has no quality-difference rows", () => {
    const diffs = rows.filter((r) => r.figure.includes("shipped − exact"));
    assert.equal(diffs.length, 4);
    assert.ok(diffs.every((r) => r.figure.startsWith("24:")));
  });
  await t.step("the shipped search's own figures come along, without a goal", () => {
    const top1 = rows.filter((r) => r.figure.endsWith("queries: top-1"));
    assert.deepEqual(top1.map((r) => [r.value, r.goal]), [[0.8, undefined], [0.8, undefined]]);
  });
  await t.step("the table marks the miss and shows n/a for what was not measured", () => {
    const table = formatScaleTable(result([size(24), slow]));
    assert.match(table.split("\n").find((l) => l.startsWith("warm start"))!, /MISS$/);
    assert.match(
      table.split("\n").find((l) => l.startsWith("queries: MRR@10, exact"))!,
      /0\.860\s+n\/a/,
    );
  });
});
