/**
 * Aggregating row results into a run summary (means over the scores that exist, each with a
 * seeded 95% bootstrap interval; missing scores are counted, never averaged in), and checking
 * means against `--min` thresholds.
 *
 * @module
 */
import type {
  EvaluatorKind,
  MetricSummary,
  RowResult,
  RunSummary,
  SkippedEvaluator,
} from "./types.ts";
import { bootstrapMean, type Direction, directionOf, seedFrom } from "./stats.ts";

/** What the summary needs to know of an evaluator. */
export interface MetricInfo {
  name: string;
  kind: EvaluatorKind;
  range: readonly [number, number];
  /** Whether a larger value is better (default: "higher", or "lower" for cost-like metrics). */
  direction?: Direction;
}

/**
 * Summarise one metric over results: mean, counts, extremes, and the 95% bootstrap interval
 * of the mean (seeded from the metric's name, so the same results give the same interval).
 */
export function summarizeMetric(metric: MetricInfo, results: readonly RowResult[]): MetricSummary {
  const values: number[] = [];
  let missing = 0;
  let notApplicable = 0;
  for (const result of results) {
    if (result.status !== "ok") continue;
    const score = result.scores[metric.name];
    if (score && score.value !== null) values.push(score.value);
    else if (score?.applicable === false) notApplicable++;
    else missing++;
  }
  const interval = bootstrapMean(values, { seed: seedFrom(metric.name) });
  const direction = directionOf(metric);
  return {
    name: metric.name,
    kind: metric.kind,
    range: metric.range,
    mean: values.length ? values.reduce((a, b) => a + b, 0) / values.length : null,
    count: values.length,
    missing,
    ...(notApplicable > 0 ? { notApplicable } : {}),
    min: values.length ? Math.min(...values) : null,
    max: values.length ? Math.max(...values) : null,
    ...(interval ? { interval } : {}),
    ...(direction === "lower" ? { direction } : {}),
  };
}

/** Options of {@link summarize}. */
export interface SummarizeOptions {
  name: string;
  dataset: string;
  totalRows: number;
  metrics: readonly MetricInfo[];
  skipped?: readonly SkippedEvaluator[];
  prompt?: string;
  judgeModel?: string;
  concurrency: number;
  startedAt: string;
  finishedAt?: string;
  retries: number;
  wallMs: number;
}

/**
 * Build `summary.json` from the latest result of each row.
 *
 * @example
 * ```ts
 * import { summarize } from "./summary.ts";
 * const s = summarize([], { name: "t", dataset: "t.jsonl", totalRows: 0, metrics: [], concurrency: 4,
 *   startedAt: new Date().toISOString(), retries: 0, wallMs: 0 });
 * console.assert(s.complete);
 * ```
 */
export function summarize(results: readonly RowResult[], options: SummarizeOptions): RunSummary {
  const ok = results.filter((r) => r.status === "ok").length;
  const failed = results.length - ok;
  return {
    name: options.name,
    startedAt: options.startedAt,
    finishedAt: options.finishedAt ?? new Date().toISOString(),
    complete: results.length >= options.totalRows,
    dataset: options.dataset,
    prompt: options.prompt,
    judgeModel: options.judgeModel,
    concurrency: options.concurrency,
    rows: {
      total: options.totalRows,
      ok,
      failed,
      pending: Math.max(0, options.totalRows - results.length),
    },
    retries: options.retries,
    metrics: options.metrics.map((m) => summarizeMetric(m, results)),
    skipped: [...(options.skipped ?? [])],
    wallMs: Math.round(options.wallMs),
  };
}

/** A `--min metric=value` threshold. */
export interface Threshold {
  metric: string;
  min: number;
}

/** The outcome of checking one threshold. */
export interface ThresholdCheck extends Threshold {
  mean: number | null;
  passed: boolean;
  /** Why it failed: below the threshold, no scores, or the metric was skipped or unknown. */
  reason?: string;
}

/**
 * Parse `metric=value` (e.g. `groundedness=3.5`). Throws `TypeError` on a malformed one.
 *
 * @example
 * ```ts
 * import { parseThreshold } from "./summary.ts";
 * console.assert(parseThreshold("f1=0.4").min === 0.4);
 * ```
 */
export function parseThreshold(text: string): Threshold {
  const match = /^\s*([A-Za-z0-9_.-]+)\s*=\s*(-?\d+(?:\.\d+)?)\s*$/.exec(text);
  if (!match) {
    throw new TypeError(
      `Invalid threshold "${text}": expected metric=value, like groundedness=3.5`,
    );
  }
  return { metric: match[1], min: Number(match[2]) };
}

/**
 * Check means against thresholds. A metric with no scores, a skipped metric, or an unknown one
 * fails its threshold: a quality gate must not pass on missing evidence.
 */
export function checkThresholds(
  summary: Pick<RunSummary, "metrics" | "skipped">,
  thresholds: readonly Threshold[],
): ThresholdCheck[] {
  return thresholds.map((t) => {
    const metric = summary.metrics.find((m) => m.name === t.metric);
    if (!metric) {
      const skipped = summary.skipped.find((s) => s.name === t.metric);
      const reason = skipped
        ? `${t.metric} was skipped: ${skipped.reason}`
        : `unknown metric "${t.metric}" (known: ${summary.metrics.map((m) => m.name).join(", ")})`;
      return { ...t, mean: null, passed: false, reason };
    }
    if (metric.mean === null) {
      return { ...t, mean: null, passed: false, reason: `${t.metric} has no scores` };
    }
    const passed = metric.mean >= t.min;
    return {
      ...t,
      mean: metric.mean,
      passed,
      reason: passed ? undefined : `mean ${metric.mean.toFixed(3)} is below ${t.min}`,
    };
  });
}
