/**
 * `timeline(steps)`: a Gantt-like chart of pipeline steps (customer lookup, query generation,
 * search, the chat call) from their start times and durations, as recorded by tracing. One
 * row per step name in order of first appearance; each bar is labelled with its duration.
 * The `text/plain` twin draws the same bars on a 40-column time axis.
 *
 * @module
 */
import { Plot, plotSvg, titleLayout, titleMark } from "./_plot.ts";
import { type Chart, chart } from "./chart.ts";
import { clip, formatValue, pad, width } from "./_format.ts";
import { fitText, textWidth } from "./_text_width.ts";

/** One step: its name, when it started and how long it took, in milliseconds. */
export interface TimelineStep {
  /** The step's label; steps with the same name share a row. */
  name: string;
  /** Start time in milliseconds, on any clock shared by all steps. */
  startMs: number;
  /** How long the step took, in milliseconds. */
  durationMs: number;
}

/** Options for {@linkcode timeline}. */
export interface TimelineOptions {
  /** A title above the chart. */
  title?: string;
  /** Width in pixels (default 640). */
  width?: number;
  /** Bar colour (default `#4269d0`). */
  color?: string;
}

const COLUMNS = 40;

function ms(value: number): string {
  return `${formatValue(Math.round(value * 10) / 10)} ms`;
}

function textTimeline(steps: readonly TimelineStep[], origin: number, title?: string): string {
  const end = Math.max(origin, ...steps.map((s) => s.startMs + s.durationMs));
  const span = end - origin || 1;
  const names = steps.map((s) => clip(s.name, 30));
  const nameWidth = Math.max(0, ...names.map(width));
  const lines = steps.map((s, i) => {
    const from = Math.min(COLUMNS - 1, Math.round((s.startMs - origin) / span * COLUMNS));
    const size = Math.max(1, Math.min(COLUMNS - from, Math.round(s.durationMs / span * COLUMNS)));
    const bar = " ".repeat(from) + "█".repeat(size) + " ".repeat(COLUMNS - from - size);
    return `${pad(names[i], nameWidth)} │${bar}│ ${ms(s.durationMs)}`;
  });
  return [...(title ? [title] : []), ...lines, `${pad("", nameWidth)}  0 … ${ms(span)}`].join(
    "\n",
  );
}

/**
 * A Gantt-like chart of steps on a shared time axis (milliseconds from the first start).
 *
 * @example
 * ```ts
 * import { timeline } from "./timeline.ts";
 * const c = timeline([
 *   { name: "customer", startMs: 0, durationMs: 12 },
 *   { name: "search", startMs: 12, durationMs: 40 },
 * ]);
 * console.assert(String(c).includes("search"));
 * ```
 */
export function timeline(steps: readonly TimelineStep[], options: TimelineOptions = {}): Chart {
  const origin = steps.length ? Math.min(...steps.map((s) => s.startMs)) : 0;
  const rows = steps.map((s) => ({
    name: s.name,
    start: s.startMs - origin,
    end: s.startMs - origin + s.durationMs,
    label: ms(s.durationMs),
  }));
  const names = [...new Set(steps.map((s) => s.name))];
  const chartWidth = options.width ?? 640;
  const { lines: title, marginTop } = titleLayout(options.title, chartWidth);
  // Step names get the room they need, up to 40% of the width, else they are cut with "…".
  const tickFormat = (name: string) => fitText(name, Math.min(240, chartWidth * 0.4), 10);
  const marginLeft = Math.ceil(Math.max(24, ...names.map((n) => textWidth(tickFormat(n), 10)))) +
    16;
  const svg = plotSvg({
    width: chartWidth,
    height: Math.max(120, 70 + 28 * names.length) + Math.max(0, marginTop - 48),
    marginTop,
    marginLeft,
    marginRight: 70,
    y: { domain: names, label: null, tickFormat },
    x: { label: "ms since start", grid: true },
    marks: [
      ...titleMark(title, marginTop, marginLeft),
      Plot.barX(rows, { y: "name", x1: "start", x2: "end", fill: options.color ?? "#4269d0" }),
      Plot.text(rows, { y: "name", x: "end", text: "label", textAnchor: "start", dx: 4 }),
    ],
  });
  return chart(svg, textTimeline(steps, origin, options.title), "timeline");
}
