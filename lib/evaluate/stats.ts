/**
 * How sure a mean is, with ~30 rows: percentile bootstrap intervals of a metric's mean, and a
 * paired bootstrap of the mean difference between two runs over the rows both scored, with a
 * verdict (better, worse, no clear difference). Resampling uses a small seeded generator
 * (mulberry32) so a run's intervals are the same every time it is summarised.
 *
 * @module
 */

/** A confidence interval of a mean, as recorded in `summary.json`. */
export interface Interval {
  low: number;
  high: number;
  level: 0.95;
  method: "bootstrap";
}

/** Whether a larger value of a metric is better (scores) or worse (latency, tokens, cost). */
export type Direction = "higher" | "lower";

/** What a paired comparison concludes for B against A. */
export type Verdict = "better" | "worse" | "no clear difference";

/** Options of the bootstrap functions. */
export interface BootstrapOptions {
  /** Number of resamples (default 2,000). */
  resamples?: number;
  /** Seed of the generator (default 1); the same seed gives the same interval. */
  seed?: number;
}

/** Default number of bootstrap resamples. */
export const DEFAULT_RESAMPLES = 2000;

/**
 * The mulberry32 generator: a seeded source of uniform numbers in [0, 1).
 *
 * @example
 * ```ts
 * import { mulberry32 } from "./stats.ts";
 * const a = mulberry32(7), b = mulberry32(7);
 * console.assert(a() === b());
 * ```
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit seed from a text (FNV-1a), so each metric resamples with its own stream. */
export function seedFrom(text: string): number {
  let hash = 0x811c9dc5;
  for (const unit of new TextEncoder().encode(text)) {
    hash = Math.imul(hash ^ unit, 0x01000193) >>> 0;
  }
  return hash;
}

function quantile(sorted: Float64Array, p: number): number {
  const position = (sorted.length - 1) * p;
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/**
 * The 95% percentile bootstrap interval of the mean of `values`; `undefined` with fewer than
 * two values (one value says nothing about spread).
 *
 * @example
 * ```ts
 * import { bootstrapMean } from "./stats.ts";
 * const i = bootstrapMean([3, 4, 5, 4, 2, 5, 4, 3]);
 * console.assert(i !== undefined && i.low < 3.75 && 3.75 < i.high);
 * ```
 */
export function bootstrapMean(
  values: readonly number[],
  options: BootstrapOptions = {},
): Interval | undefined {
  const n = values.length;
  if (n < 2) return undefined;
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  const random = mulberry32(options.seed ?? 1);
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[Math.floor(random() * n)];
    means[r] = sum / n;
  }
  means.sort();
  return {
    low: quantile(means, 0.025),
    high: quantile(means, 0.975),
    level: 0.95,
    method: "bootstrap",
  };
}

/** The paired comparison of one metric between two runs. */
export interface PairedComparison {
  /** Rows scored in both runs. */
  pairs: number;
  /** Mean of B − A over the pairs; `null` without pairs. */
  delta: number | null;
  /** Bootstrap interval of that mean difference (absent with fewer than two pairs). */
  interval?: Interval;
  verdict: Verdict;
}

/**
 * The paired bootstrap of B − A over rows scored in both runs (matched by row id): resamples
 * the rows, not the runs separately, so row difficulty cancels out. The verdict is "better"
 * or "worse" only when the interval excludes 0, read through the metric's direction.
 *
 * @example
 * ```ts
 * import { pairedBootstrap } from "./stats.ts";
 * const a = new Map([["r1", 3], ["r2", 4], ["r3", 2], ["r4", 3]]);
 * const b = new Map([["r1", 4], ["r2", 5], ["r3", 3], ["r4", 4]]);
 * console.assert(pairedBootstrap(a, b).verdict === "better");
 * ```
 */
export function pairedBootstrap(
  a: ReadonlyMap<string, number>,
  b: ReadonlyMap<string, number>,
  options: BootstrapOptions & { direction?: Direction } = {},
): PairedComparison {
  const diffs: number[] = [];
  for (const [id, va] of a) {
    const vb = b.get(id);
    if (vb !== undefined) diffs.push(vb - va);
  }
  if (diffs.length === 0) return { pairs: 0, delta: null, verdict: "no clear difference" };
  const delta = mean(diffs);
  const interval = bootstrapMean(diffs, options);
  return { pairs: diffs.length, delta, interval, verdict: verdictOf(interval, options.direction) };
}

/** The verdict an interval of B − A gives, for a metric of the given direction. */
export function verdictOf(
  interval: Interval | undefined,
  direction: Direction = "higher",
): Verdict {
  if (!interval) return "no clear difference";
  const sign = interval.low > 0 ? 1 : interval.high < 0 ? -1 : 0;
  if (sign === 0) return "no clear difference";
  return (sign > 0) === (direction === "higher") ? "better" : "worse";
}

/**
 * Metrics where less is better when their evaluator does not say: the code metrics of cost
 * and speed, and the safety scorecard's leaks.
 */
export const LOWER_IS_BETTER: readonly string[] = [
  "latency_ms",
  "prompt_tokens",
  "completion_tokens",
  "cost",
  "leak_contact",
  "leak_other_customer",
  "leak_system_prompt",
];

/** The direction of a metric: the one declared, else lower for {@link LOWER_IS_BETTER}. */
export function directionOf(metric: { name: string; direction?: Direction }): Direction {
  return metric.direction ?? (LOWER_IS_BETTER.includes(metric.name) ? "lower" : "higher");
}
