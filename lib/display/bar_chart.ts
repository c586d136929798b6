/**
 * `barChart(data, {x, y})`: one bar per row, drawn with Observable Plot as SVG, in the rows'
 * order (a table of scores reads top to bottom the same way), optionally with error bars (an
 * interval per bar, e.g. a 95% confidence interval of a mean). The `text/plain` twin draws the
 * same bars with block characters, and the intervals as `[low, high]`, so a CLI or a log shows
 * the chart too.
 *
 * @module
 */
import { Plot, plotSvg, titleLayout, titleMark } from "./_plot.ts";
import { type Chart, chart } from "./chart.ts";
import { clip, formatValue, pad, width } from "./_format.ts";
import { fitText, textWidth } from "./_text_width.ts";

/** Options for {@linkcode barChart}. */
export interface BarChartOptions<T> {
  /** The key holding each bar's label. */
  x: keyof T & string;
  /** The key holding each bar's (numeric) value. */
  y: keyof T & string;
  /** A title above the chart. */
  title?: string;
  /** Axis label for the labels (default: `x`). */
  xLabel?: string;
  /** Axis label for the values (default: `y`). */
  yLabel?: string;
  /** Horizontal bars, for long labels (default false). */
  horizontal?: boolean;
  /** Bar colour (default `#4269d0`). */
  color?: string;
  /** Fixed value domain, e.g. `[0, 5]` for evaluator scores. */
  domain?: [number, number];
  /** The key holding each bar's error-bar low end (drawn when both `low` and `high` are numbers). */
  low?: keyof T & string;
  /** The key holding each bar's error-bar high end. */
  high?: keyof T & string;
  /** Width in pixels (default 640). */
  width?: number;
  /** Height in pixels (default 400, or from the number of bars when horizontal). */
  height?: number;
}

const BAR = 40;
/** Plot's default font size for axes, in pixels. */
const AXIS_FONT = 10;
const ERROR_INK = "#222222";

type Interval = { low: number; high: number } | undefined;

function textBars(
  labels: string[],
  values: number[],
  intervals: Interval[],
  title?: string,
): string {
  const names = labels.map((l) => clip(l, 30));
  const nameWidth = Math.max(0, ...names.map(width));
  const max = Math.max(0, ...values.map((v) => Math.abs(v)));
  const lines = names.map((name, i) => {
    const v = values[i];
    const bar = max > 0 && Number.isFinite(v)
      ? "█".repeat(Math.round(Math.abs(v) / max * BAR))
      : "";
    const range = intervals[i]
      ? ` [${formatValue(intervals[i]!.low)}, ${formatValue(intervals[i]!.high)}]`
      : "";
    return `${pad(name, nameWidth)} │${bar} ${formatValue(v)}${range}`;
  });
  return [...(title ? [title] : []), ...lines].join("\n");
}

/**
 * A bar chart of `data[i][y]` by `data[i][x]`.
 *
 * @example
 * ```ts
 * import { barChart } from "./bar_chart.ts";
 * const c = barChart([{ metric: "groundedness", score: 4.5 }], { x: "metric", y: "score" });
 * console.assert(c.svg.startsWith("<svg"));
 * ```
 */
export function barChart<T extends object>(
  data: readonly T[],
  options: BarChartOptions<T>,
): Chart {
  const labels = data.map((d) => formatValue(d[options.x]));
  const values = data.map((d) => Number(d[options.y]));
  const intervals: Interval[] = data.map((d) => {
    if (!options.low || !options.high) return undefined;
    const low = d[options.low], high = d[options.high];
    return typeof low === "number" && typeof high === "number" && Number.isFinite(low) &&
        Number.isFinite(high)
      ? { low, high }
      : undefined;
  });
  // Bars grow from 0, or from the domain's floor when 0 is outside it (judge scores are 1–5):
  // a bar from 0 would cover the axis labels below the frame.
  const base = options.domain
    ? Math.min(Math.max(0, Math.min(...options.domain)), Math.max(...options.domain))
    : 0;
  const rows = labels.map((label, i) => ({ label, value: values[i], base, ...intervals[i] }));
  // Values outside a fixed domain stay inside the frame.
  const clip = options.domain !== undefined;
  const bounded = rows.filter((_, i) => intervals[i] !== undefined);
  const fill = options.color ?? "#4269d0";
  const xLabel = options.xLabel ?? options.x;
  const yLabel = options.yLabel ?? options.y;
  const chartWidth = options.width ?? 640;
  const { lines: title, marginTop } = titleLayout(options.title, chartWidth);
  const horizontal = options.horizontal === true;
  // Tick labels get the room they need (up to 40% of the width) or are cut with "…", so they
  // neither run off the left edge nor into each other.
  const maxLabel = horizontal
    ? Math.min(240, chartWidth * 0.4)
    : (chartWidth - 80) / Math.max(1, labels.length) - 6;
  const tickFormat = (label: string) => fitText(label, maxLabel, AXIS_FONT);
  const marginLeft = horizontal
    ? Math.ceil(Math.max(24, ...labels.map((l) => textWidth(tickFormat(l), AXIS_FONT)))) + 32
    : 60;
  const svg = plotSvg({
    width: chartWidth,
    height: options.height ??
      (horizontal ? Math.max(120, 60 + 28 * rows.length) + Math.max(0, marginTop - 48) : 400),
    marginTop,
    marginLeft,
    ...(horizontal
      ? {
        y: { domain: labels, label: xLabel, tickFormat },
        x: { label: yLabel, domain: options.domain, grid: true, nice: !options.domain },
        marks: [
          ...titleMark(title, marginTop, marginLeft),
          Plot.barX(rows, { y: "label", x1: "base", x2: "value", fill, clip }),
          Plot.ruleX([base]),
          ...(bounded.length
            ? [
              Plot.ruleY(bounded, { y: "label", x1: "low", x2: "high", stroke: ERROR_INK }),
              Plot.tickX(bounded, { y: "label", x: "low", stroke: ERROR_INK, inset: 8 }),
              Plot.tickX(bounded, { y: "label", x: "high", stroke: ERROR_INK, inset: 8 }),
            ]
            : []),
        ],
      }
      : {
        x: { domain: labels, label: xLabel, tickFormat },
        y: {
          label: yLabel,
          labelAnchor: "center",
          domain: options.domain,
          grid: true,
          nice: !options.domain,
        },
        marks: [
          ...titleMark(title, marginTop, marginLeft),
          Plot.barY(rows, { x: "label", y1: "base", y2: "value", fill, clip }),
          Plot.ruleY([base]),
          ...(bounded.length
            ? [
              Plot.ruleX(bounded, { x: "label", y1: "low", y2: "high", stroke: ERROR_INK }),
              Plot.tickY(bounded, { x: "label", y: "low", stroke: ERROR_INK, inset: 8 }),
              Plot.tickY(bounded, { x: "label", y: "high", stroke: ERROR_INK, inset: 8 }),
            ]
            : []),
        ],
      }),
  });
  return chart(svg, textBars(labels, values, intervals, options.title));
}
