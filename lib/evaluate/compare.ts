/**
 * Comparing two runs (two prompt versions on the same set): per-metric means side by side,
 * the delta B − A, and a chart with both runs' bars next to each other.
 *
 * @module
 */
import type { RunSummary } from "./types.ts";
import { metricsChart } from "./chart.ts";
import { type Cell, formatValue } from "./present.ts";

/** One metric of a comparison. */
export interface MetricDelta {
  metric: string;
  kind: "judge" | "text";
  a: number | null;
  b: number | null;
  /** `b − a`; `null` when either side has no mean. */
  delta: number | null;
}

/**
 * Per-metric deltas of run B against run A, over the metrics of either run (A's order first).
 *
 * @example
 * ```ts ignore
 * const deltas = compareRuns(await readSummary(dirA), await readSummary(dirB));
 * ```
 */
export function compareRuns(a: RunSummary, b: RunSummary): MetricDelta[] {
  const names = [...new Set([...a.metrics, ...b.metrics].map((m) => m.name))];
  return names.map((name) => {
    const ma = a.metrics.find((m) => m.name === name);
    const mb = b.metrics.find((m) => m.name === name);
    const va = ma?.mean ?? null;
    const vb = mb?.mean ?? null;
    return {
      metric: name,
      kind: (ma ?? mb)!.kind,
      a: va,
      b: vb,
      delta: va === null || vb === null ? null : vb - va,
    };
  });
}

/** Display rows of a comparison: metric, A, B, Δ (signed). */
export function deltaRows(deltas: readonly MetricDelta[]): Record<string, Cell>[] {
  return deltas.map((d) => ({
    metric: d.metric,
    A: formatValue(d.a, d.kind),
    B: formatValue(d.b, d.kind),
    "Δ (B−A)": d.delta === null
      ? "–"
      : (d.delta > 0 ? "+" : d.delta < 0 ? "−" : "±") + formatValue(Math.abs(d.delta), d.kind),
  }));
}

/** The side-by-side chart of two runs. */
export function compareChart(a: RunSummary, b: RunSummary): string {
  return metricsChart(
    [{ label: `A: ${a.name}`, metrics: a.metrics }, { label: `B: ${b.name}`, metrics: b.metrics }],
    { title: "Mean scores, A vs B" },
  );
}
