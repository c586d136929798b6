/**
 * Comparing two runs (two prompt versions on the same set): rows paired by id, each metric's
 * mean difference B − A over the rows both runs scored, with a paired bootstrap 95% interval
 * and a verdict (better, worse, no clear difference); both runs' fingerprints and a warning
 * for each way they differ; the deltas as a table, Markdown and a chart with error bars.
 *
 * @module
 */
import { barChart, type Chart, stackCharts } from "../display/mod.ts";
import { diffFingerprints } from "./fingerprint.ts";
import { type Cell, formatInterval, formatValue } from "./present.ts";
import { markdownTable } from "./report.ts";
import {
  type BootstrapOptions,
  type Direction,
  directionOf,
  type Interval,
  pairedBootstrap,
  seedFrom,
  type Verdict,
} from "./stats.ts";
import type { EvaluatorKind, RowResult, RunSummary } from "./types.ts";

/** A run as compare reads it: its summary and, for pairing, its row results. */
export interface RunData {
  summary: RunSummary;
  results?: readonly RowResult[];
}

/** One metric of a comparison. */
export interface MetricDelta {
  metric: string;
  kind: EvaluatorKind;
  /** The metric's range (unbounded metrics such as latency have `Infinity` as high end). */
  range: readonly [number, number];
  /** Whether a larger value is better for this metric. */
  direction: Direction;
  /** Each run's mean over its own scored rows. */
  a: number | null;
  b: number | null;
  /**
   * Mean of B − A over the rows both runs scored (paired by row id); without row results, the
   * difference of the means. `null` when there is nothing to compare.
   */
  delta: number | null;
  /** Rows scored in both runs (0 without row results). */
  pairs: number;
  /** Paired bootstrap 95% interval of `delta` (needs two pairs). */
  interval?: Interval;
  /** What the interval says, read through the metric's direction; absent without pairs. */
  verdict?: Verdict;
}

function isRunData(run: RunData | RunSummary): run is RunData {
  return "summary" in run;
}

function scoresById(results: readonly RowResult[], metric: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of results) {
    const value = r.status === "ok" ? r.scores[metric]?.value : null;
    if (typeof value === "number") out.set(r.id, value);
  }
  return out;
}

/**
 * Per-metric deltas of run B against run A, over the metrics of either run (A's order first).
 * Give runs with their `results` for the paired interval and verdict.
 *
 * @example
 * ```ts ignore
 * const deltas = compareRuns(baseline, final); // the results of evaluateToRunDir()
 * ```
 */
export function compareRuns(
  a: RunData | RunSummary,
  b: RunData | RunSummary,
  options: BootstrapOptions = {},
): MetricDelta[] {
  const ra = isRunData(a) ? a : { summary: a };
  const rb = isRunData(b) ? b : { summary: b };
  const metrics = [...ra.summary.metrics, ...rb.summary.metrics];
  const names = [...new Set(metrics.map((m) => m.name))];
  return names.map((name) => {
    const ma = ra.summary.metrics.find((m) => m.name === name);
    const mb = rb.summary.metrics.find((m) => m.name === name);
    const direction = directionOf((ma ?? mb)!);
    const va = ma?.mean ?? null;
    const vb = mb?.mean ?? null;
    const { kind, range } = (ma ?? mb)!;
    const base = { metric: name, kind, range, direction, a: va, b: vb };
    if (!ra.results || !rb.results) {
      return { ...base, delta: va === null || vb === null ? null : vb - va, pairs: 0 };
    }
    const paired = pairedBootstrap(scoresById(ra.results, name), scoresById(rb.results, name), {
      seed: seedFrom(name),
      ...options,
      direction,
    });
    return {
      ...base,
      delta: paired.delta,
      pairs: paired.pairs,
      ...(paired.interval ? { interval: paired.interval } : {}),
      ...(paired.pairs > 0 ? { verdict: paired.verdict } : {}),
    };
  });
}

/** A run's fingerprint id, or "unknown" for a run written before fingerprints. */
export function fingerprintLabel(summary: Pick<RunSummary, "fingerprintId">): string {
  return summary.fingerprintId ?? "unknown";
}

/**
 * Why two runs may not be comparable: each way their fingerprints differ (chat model,
 * prompts, judge, data), a run without a fingerprint, different data sets, incomplete runs.
 */
export function compareWarnings(a: RunSummary, b: RunSummary): string[] {
  const out: string[] = [];
  if (a.fingerprint && b.fingerprint) {
    for (const d of diffFingerprints(a.fingerprint, b.fingerprint)) {
      out.push(`the runs differ: ${d}`);
    }
  } else {
    const which = !a.fingerprint && !b.fingerprint
      ? "neither run has a fingerprint"
      : `run ${!a.fingerprint ? "A" : "B"} has no fingerprint`;
    out.push(
      `${which} (written by an older version): ` +
        "cannot tell whether the models, prompts or data differ",
    );
    if (a.dataset !== b.dataset) {
      out.push(`the runs used different data sets (${a.dataset} vs ${b.dataset})`);
    }
  }
  for (const [label, s] of [["A", a], ["B", b]] as const) {
    if (!s.complete) out.push(`run ${label} is incomplete (${s.rows.pending} rows not run)`);
  }
  return out;
}

function signed(value: number | null, kind: string): string {
  if (value === null) return "–";
  const sign = value > 0 ? "+" : value < 0 ? "−" : "±";
  return sign + formatValue(Math.abs(value), kind);
}

/** Display rows of a comparison: metric, A, B, Δ (signed), its interval, pairs, verdict. */
export function deltaRows(deltas: readonly MetricDelta[]): Record<string, Cell>[] {
  return deltas.map((d) => ({
    metric: d.direction === "lower" ? `${d.metric} (lower is better)` : d.metric,
    A: formatValue(d.a, d.kind),
    B: formatValue(d.b, d.kind),
    "Δ (B−A)": signed(d.delta, d.kind),
    "95% interval": formatInterval(d.interval, d.kind),
    pairs: d.pairs,
    verdict: d.verdict ?? (d.pairs === 0 ? "no paired rows" : "–"),
  }));
}

/**
 * The comparison as Markdown: both runs with their fingerprints, the warnings, the deltas
 * table and how to read it.
 */
export function renderComparison(
  a: RunSummary,
  b: RunSummary,
  deltas: readonly MetricDelta[],
  options: { chart?: string } = {},
): string {
  const out = [`# Comparison: ${a.name} → ${b.name}\n`];
  out.push(markdownTable([
    { run: "A", name: a.name, fingerprint: fingerprintLabel(a), rows: runRows(a) },
    { run: "B", name: b.name, fingerprint: fingerprintLabel(b), rows: runRows(b) },
  ]));
  const warnings = compareWarnings(a, b);
  if (warnings.length) out.push(warnings.map((w) => `> **Warning:** ${w}`).join("\n>\n") + "\n");
  out.push(markdownTable(deltaRows(deltas)));
  if (options.chart) out.push(`\n![Paired differences B − A](${options.chart})\n`);
  out.push(
    "\n_Δ is the mean of B − A over the rows both runs scored, paired by row id; the interval " +
      'is a paired bootstrap 95% interval. "better" or "worse" only when the interval ' +
      "excludes 0; otherwise the difference cannot be told from noise with this many rows._\n",
  );
  return out.join("\n");
}

function runRows(s: RunSummary): string {
  return `${s.rows.ok}/${s.rows.total} ok` + (s.rows.failed ? `, ${s.rows.failed} failed` : "");
}

/**
 * The paired differences B − A as bars with their 95% intervals, one panel per scale (a
 * judge's step and a text metric's fraction are not on one axis; an unbounded metric such as
 * latency gets a panel of its own).
 */
export function compareChart(
  a: RunData | RunSummary,
  b: RunData | RunSummary,
  deltas: readonly MetricDelta[] = compareRuns(a, b),
): Chart {
  const sa = isRunData(a) ? a.summary : a;
  const sb = isRunData(b) ? b.summary : b;
  const scale = (d: MetricDelta) =>
    Number.isFinite(d.range[1]) ? `${d.kind} ${d.range[0]} ${d.range[1]}` : `metric ${d.metric}`;
  const scales = [...new Set(deltas.map(scale))];
  const charts = scales.flatMap((key) => {
    const group = deltas.filter((d) => scale(d) === key);
    const kind = group[0].kind;
    const what = key.startsWith("metric ")
      ? group[0].metric
      : kind === "judge"
      ? "AI judges"
      : `${kind} metrics`;
    const rows = group.filter((d) => d.delta !== null).map((d) => ({
      metric: d.metric,
      delta: d.delta as number,
      low: d.interval?.low ?? null,
      high: d.interval?.high ?? null,
    }));
    if (rows.length === 0) return [];
    const reach = Math.max(
      ...rows.flatMap((r) => [r.delta, r.low ?? 0, r.high ?? 0].map(Math.abs)),
      kind === "judge" ? 0.5 : 0.05,
    ) * 1.15;
    return [barChart(rows, {
      x: "metric",
      y: "delta",
      low: "low",
      high: "high",
      horizontal: true,
      domain: [-reach, reach],
      title: `B (${sb.name}) − A (${sa.name}): ${what}`,
      yLabel: "paired mean difference, with its 95% interval",
    })];
  });
  if (charts.length === 0) {
    return barChart([] as { metric: string; delta: number }[], {
      x: "metric",
      y: "delta",
      title: "No metric scored in both runs",
    });
  }
  return stackCharts(charts);
}
