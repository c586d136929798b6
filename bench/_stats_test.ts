/**
 * Tests of the benchmarks' statistics and table helpers: the figures `deno task bench` prints
 * and the PASS/MISS verdicts are only as good as these.
 *
 * @module
 */
import assert from "node:assert/strict";
import {
  type FigureRow,
  formatNumber,
  formatTable,
  median,
  meetsGoal,
  percentile,
  seededRandom,
} from "./_stats.ts";

Deno.test("percentile() and median() use nearest rank and the middle value", () => {
  const values = [5, 1, 4, 2, 3, 6, 7, 8, 9, 10];
  assert.equal(percentile(values, 50), 5);
  assert.equal(percentile(values, 99), 10);
  assert.equal(percentile(values, 0), 1);
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 2, 3]), 2.5);
  assert.ok(Number.isNaN(median([])));
  assert.deepEqual(values.slice(0, 3), [5, 1, 4], "the input is not sorted in place");
});

Deno.test("meetsGoal() reads at most, strictly below, at least, and no goal", () => {
  const row = (value: number, kind: FigureRow["kind"], goal?: number): FigureRow => ({
    benchmark: "b",
    figure: "f",
    value,
    unit: "",
    kind,
    goal,
  });
  assert.ok(meetsGoal(row(1.15, "max", 1.15)));
  assert.ok(!meetsGoal(row(1.16, "max", 1.15)));
  assert.ok(!meetsGoal(row(100, "below", 100)));
  assert.ok(meetsGoal(row(99.9, "below", 100)));
  assert.ok(meetsGoal(row(500, "min", 500)));
  assert.ok(!meetsGoal(row(499, "min", 500)));
  assert.ok(meetsGoal(row(1e9, "none")));
});

Deno.test("formatTable() prints each figure beside its goal and verdict", () => {
  const table = formatTable([
    {
      benchmark: "throughput",
      figure: "chat capacity",
      value: 612.4,
      unit: "req/s",
      goal: 500,
      kind: "min",
    },
    {
      benchmark: "startup",
      figure: "median",
      value: 1600,
      unit: "ms",
      goal: 1500,
      kind: "below",
      note: "5 runs",
    },
    { benchmark: "pipeline", figure: "sequential ÷ 3L", value: 2.071, unit: "", kind: "none" },
  ]);
  const lines = table.split("\n");
  assert.equal(lines.length, 5);
  assert.match(lines[2], /chat capacity\s+612 req\/s\s+≥ 500 req\/s\s+PASS/);
  assert.match(lines[3], /median\s+1600 ms\s+< 1500 ms\s+MISS\s+5 runs/);
  assert.match(lines[4], /sequential ÷ 3L\s+2\.07$/);
  assert.equal(formatNumber(0.0271), "0.027");
  assert.equal(formatNumber(12.34), "12.3");
});

Deno.test("seededRandom() repeats its sequence for a seed", () => {
  const a = seededRandom(42);
  const b = seededRandom(42);
  const xs = Array.from({ length: 5 }, a);
  assert.deepEqual(xs, Array.from({ length: 5 }, b));
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  assert.notDeepEqual(xs, Array.from({ length: 5 }, seededRandom(43)));
});
