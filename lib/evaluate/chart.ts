/**
 * The run's `chart.svg` and the notebook's means charts, drawn by `lib/display`: one bar per
 * metric with its 95% interval as an error bar, one panel per scale (AI judges 1–5, text
 * metrics 0–1, other bounded metrics on their own range) so scores of different scales never
 * share an axis. Unbounded code metrics (latency, tokens, cost) stay in the tables.
 *
 * @module
 */
import { barChart, type Chart, stackCharts } from "../display/mod.ts";
import type { MetricSummary } from "./types.ts";

/** One series of bars (a run). */
export interface ChartSeries {
  label: string;
  metrics: readonly MetricSummary[];
}

/** A bar of a means chart: label, mean and the interval's ends (`null` without one). */
interface MeanBar {
  metric: string;
  mean: number;
  low: number | null;
  high: number | null;
}

function scaleName(m: { kind: string }): string {
  if (m.kind === "judge") return "AI judges";
  if (m.kind === "text") return "text metrics";
  return "code metrics";
}

/** The panels of a means chart: metrics grouped by kind and range, in first-seen order. */
function panels(series: readonly ChartSeries[]) {
  const groups = new Map<
    string,
    { kind: string; range: readonly [number, number]; names: string[] }
  >();
  for (const s of series) {
    for (const m of s.metrics) {
      if (!Number.isFinite(m.range[0]) || !Number.isFinite(m.range[1])) continue;
      const key = `${m.kind} ${m.range[0]} ${m.range[1]}`;
      const group = groups.get(key) ?? { kind: m.kind, range: m.range, names: [] };
      if (!group.names.includes(m.name)) group.names.push(m.name);
      groups.set(key, group);
    }
  }
  return [...groups.values()];
}

/**
 * Bar charts of metric means with their 95% intervals, one panel per scale; one series for a
 * run, several for runs side by side (bars labelled `metric · run`). Metrics without scores
 * are left out rather than drawn as zero.
 *
 * @example
 * ```ts
 * import { meansPanels } from "./chart.ts";
 * const c = meansPanels([{ label: "run", metrics: [{ name: "f1", kind: "text", range: [0, 1],
 *   mean: 0.5, count: 3, missing: 0, min: 0, max: 1,
 *   interval: { low: 0.2, high: 0.8, level: 0.95, method: "bootstrap" } }] }]);
 * console.assert(String(c).includes("[0.2, 0.8]"));
 * ```
 */
export function meansPanels(
  series: readonly ChartSeries[],
  options: { title?: string } = {},
): Chart {
  const charts = panels(series).flatMap((panel) => {
    const bars: MeanBar[] = [];
    for (const name of panel.names) {
      for (const s of series) {
        const m = s.metrics.find((x) => x.name === name);
        if (!m || m.mean === null) continue;
        bars.push({
          metric: series.length > 1 ? `${name} · ${s.label}` : name,
          mean: m.mean,
          low: m.interval?.low ?? null,
          high: m.interval?.high ?? null,
        });
      }
    }
    if (bars.length === 0) return [];
    const scale = `${scaleName(panel)} (${panel.range[0]}–${panel.range[1]})`;
    return [barChart(bars, {
      x: "metric",
      y: "mean",
      low: "low",
      high: "high",
      horizontal: true,
      domain: [panel.range[0], panel.range[1]],
      title: options.title ? `${options.title}: ${scale}` : scale,
      xLabel: "metric",
      yLabel: "mean, with its 95% interval",
    })];
  });
  if (charts.length === 0) {
    return barChart([] as MeanBar[], { x: "metric", y: "mean", title: "No metric has scores" });
  }
  return stackCharts(charts);
}

/**
 * The means chart as standalone SVG text (the run's `chart.svg`).
 *
 * @example
 * ```ts
 * import { metricsChart } from "./chart.ts";
 * const svg = metricsChart([{ label: "run", metrics: [{ name: "f1", kind: "text", range: [0, 1],
 *   mean: 0.5, count: 1, missing: 0, min: 0.5, max: 0.5 }] }], { title: "Means" });
 * console.assert(svg.startsWith("<svg"));
 * ```
 */
export function metricsChart(
  series: readonly ChartSeries[],
  options: { title?: string } = {},
): string {
  return meansPanels(series, options).svg;
}
