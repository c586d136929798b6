import assert from "node:assert/strict";
import {
  bootstrapMean,
  directionOf,
  mulberry32,
  pairedBootstrap,
  seedFrom,
  verdictOf,
} from "./stats.ts";

/** Draws from a discrete distribution given as value → weight. */
function discrete(weights: Record<number, number>, random: () => number): () => number {
  const entries = Object.entries(weights).map(([v, w]) => [Number(v), w] as const);
  const total = entries.reduce((s, [, w]) => s + w, 0);
  return () => {
    let u = random() * total;
    for (const [v, w] of entries) if ((u -= w) < 0) return v;
    return entries.at(-1)![0];
  };
}

/** A normal draw by Box–Muller. */
function normal(mu: number, sigma: number, random: () => number): () => number {
  return () =>
    mu + sigma * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function coverage(draw: () => number, truth: number, trials: number, n: number): number {
  let covered = 0;
  for (let t = 0; t < trials; t++) {
    const sample = Array.from({ length: n }, draw);
    const interval = bootstrapMean(sample, { seed: 1000 + t })!;
    if (interval.low <= truth && truth <= interval.high) covered++;
  }
  return covered / trials;
}

Deno.test("mulberry32() is seeded, uniform and in [0, 1)", () => {
  const a = mulberry32(42), b = mulberry32(42), c = mulberry32(43);
  const xs = Array.from({ length: 10_000 }, a);
  assert.deepEqual(xs.slice(0, 5), Array.from({ length: 5 }, b));
  assert.notEqual(xs[0], c());
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  const m = xs.reduce((s, x) => s + x, 0) / xs.length;
  assert.ok(Math.abs(m - 0.5) < 0.01, `mean ${m}`);
  const low = xs.filter((x) => x < 0.1).length / xs.length;
  assert.ok(Math.abs(low - 0.1) < 0.01, `share below 0.1: ${low}`);
  assert.notEqual(seedFrom("groundedness"), seedFrom("fluency"));
});

Deno.test("bootstrapMean() covers a known mean in at least 90% of 200 trials", async (t) => {
  await t.step("30 draws of a 1–5 judge-like score (mean 3.65)", () => {
    // P(1..5) = .05 .10 .25 .35 .25 → mean .05 + .2 + .75 + 1.4 + 1.25 = 3.65
    const weights = { 1: 0.05, 2: 0.1, 3: 0.25, 4: 0.35, 5: 0.25 };
    const truth = 1 * 0.05 + 2 * 0.1 + 3 * 0.25 + 4 * 0.35 + 5 * 0.25;
    const share = coverage(discrete(weights, mulberry32(7)), truth, 200, 30);
    assert.ok(share >= 0.9, `coverage ${share}`);
    console.log(`coverage ${share}`);
    assert.ok(share < 1, `coverage ${share} is suspiciously perfect`);
  });
  await t.step("30 draws of a normal(0.42, 0.2)", () => {
    const share = coverage(normal(0.42, 0.2, mulberry32(11)), 0.42, 200, 30);
    assert.ok(share >= 0.9, `coverage ${share}`);
    console.log(`coverage ${share}`);
  });
  await t.step("the half-width on a 1–5 judge is about ±0.3–0.5 with 30 rows", () => {
    const draw = discrete({ 1: 1, 2: 1, 3: 1, 4: 1, 5: 1 }, mulberry32(3));
    const i = bootstrapMean(Array.from({ length: 30 }, draw))!;
    const half = (i.high - i.low) / 2;
    // sd of uniform 1..5 is √2, so the half-width is near 1.96·√2/√30 ≈ 0.51
    assert.ok(half > 0.35 && half < 0.65, `half-width ${half}`);
  });
});

Deno.test("bootstrapMean() is reproducible and handles edge cases", async (t) => {
  const values = [1, 5, 3, 4, 4, 2, 5, 3];
  await t.step("same seed, same interval; another seed, a nearby one", () => {
    assert.deepEqual(bootstrapMean(values, { seed: 5 }), bootstrapMean(values, { seed: 5 }));
    const a = bootstrapMean(values, { seed: 5 })!, b = bootstrapMean(values, { seed: 6 })!;
    assert.ok(Math.abs(a.low - b.low) < 0.3);
    assert.equal(a.level, 0.95);
    assert.equal(a.method, "bootstrap");
  });
  await t.step("fewer than two values: no interval", () => {
    assert.equal(bootstrapMean([]), undefined);
    assert.equal(bootstrapMean([4]), undefined);
  });
  await t.step("constant values: a zero-width interval at the value", () => {
    const i = bootstrapMean([0.5, 0.5, 0.5])!;
    assert.equal(i.low, 0.5);
    assert.equal(i.high, 0.5);
  });
  await t.step("2,000 resamples of 1,000 values is fast", () => {
    const big = Array.from({ length: 1000 }, mulberry32(1));
    const start = performance.now();
    bootstrapMean(big);
    assert.ok(performance.now() - start < 1000);
  });
});

Deno.test("pairedBootstrap() finds a known shift and mostly no difference without one", async (t) => {
  const n = 30;
  const judge = discrete({ 1: 1, 2: 2, 3: 3, 4: 3, 5: 1 }, mulberry32(21));
  const noise = mulberry32(22);
  const run = (shift: number) => {
    const a = new Map<string, number>(), b = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const base = judge();
      a.set(`q${i}`, base);
      // B is A plus the shift, with row-level noise of ±1 on a third of the rows
      const jitter = noise() < 1 / 3 ? (noise() < 0.5 ? -1 : 1) : 0;
      b.set(`q${i}`, Math.min(5, Math.max(1, base + shift + jitter)));
    }
    return { a, b };
  };
  await t.step("a shift of +1 is better in nearly every trial", () => {
    let better = 0;
    for (let trial = 0; trial < 100; trial++) {
      const { a, b } = run(1);
      if (pairedBootstrap(a, b, { seed: trial }).verdict === "better") better++;
    }
    assert.ok(better >= 95, `better in ${better}/100`);
  });
  await t.step("no shift is mostly no clear difference", () => {
    let none = 0;
    for (let trial = 0; trial < 100; trial++) {
      const { a, b } = run(0);
      if (pairedBootstrap(a, b, { seed: trial }).verdict === "no clear difference") none++;
    }
    assert.ok(none >= 85, `no clear difference in ${none}/100`);
  });
  await t.step("rows pair by id, whatever the order; unpaired rows are left out", () => {
    const a = new Map([["x", 1], ["y", 2], ["z", 3], ["only-a", 5]]);
    const b = new Map([["z", 4], ["y", 3], ["x", 2], ["only-b", 1]]);
    const p = pairedBootstrap(a, b);
    assert.equal(p.pairs, 3);
    assert.equal(p.delta, 1);
    assert.equal(p.verdict, "better");
    assert.equal(pairedBootstrap(b, a).verdict, "worse");
  });
  await t.step("lower-is-better metrics flip the verdict", () => {
    const slow = new Map([["a", 900], ["b", 1200], ["c", 1000]]);
    const fast = new Map([["a", 400], ["b", 700], ["c", 450]]);
    assert.equal(pairedBootstrap(slow, fast, { direction: "lower" }).verdict, "better");
    assert.equal(pairedBootstrap(slow, fast).verdict, "worse");
  });
  await t.step("no pairs: no delta and no verdict either way", () => {
    const p = pairedBootstrap(new Map([["a", 1]]), new Map([["b", 1]]));
    assert.deepEqual(p, { pairs: 0, delta: null, verdict: "no clear difference" });
  });
});

Deno.test("verdictOf() and directionOf() read intervals and metric directions", () => {
  const i = (low: number, high: number) => ({
    low,
    high,
    level: 0.95 as const,
    method: "bootstrap" as const,
  });
  assert.equal(verdictOf(i(0.1, 0.5)), "better");
  assert.equal(verdictOf(i(-0.5, -0.1)), "worse");
  assert.equal(verdictOf(i(-0.1, 0.5)), "no clear difference");
  assert.equal(verdictOf(i(0, 0.5)), "no clear difference");
  assert.equal(verdictOf(i(-0.5, -0.1), "lower"), "better");
  assert.equal(verdictOf(undefined), "no clear difference");
  assert.equal(directionOf({ name: "groundedness" }), "higher");
  assert.equal(directionOf({ name: "latency_ms" }), "lower");
  assert.equal(directionOf({ name: "latency_ms", direction: "higher" }), "higher");
});
