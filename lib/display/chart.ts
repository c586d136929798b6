/**
 * The chart type shared by `barChart` and `timeline`, `stackCharts` for several charts on
 * different scales in one picture, and `toSvgString` for writing a chart to a file. A chart is
 * sent as `text/html` (the SVG inline in `<figure data-display="chart">`, or `"timeline"`),
 * as `image/svg+xml`, and as a text rendering of the same data in `text/plain` (also what
 * `console.log(chart)` prints in a terminal). The HTML form is the one that matters: the
 * nbconvert Debian ships drops SVG-only outputs from its HTML export (measured with 6.5.3: the
 * whole output vanished, text included), while every front-end we know ranks `text/html` above
 * `image/svg+xml`, so the SVG copy is only for consumers that take images alone.
 *
 * @module
 */
import { type Rendered, rendered } from "./_bundle.ts";

/** A rendered chart: SVG for Jupyter and files, text for terminals. */
export interface Chart extends Rendered {
  /** The standalone SVG document (with `xmlns`). */
  readonly svg: string;
}

/** What a figure shows, as its `data-display` attribute: the export test looks for these. */
export type FigureKind = "chart" | "timeline" | "diagram";

/** The SVG inline in a `<figure data-display="…">`, left-aligned, scrolling when too wide. */
export function figureHtml(svg: string, kind: FigureKind = "chart"): string {
  return `<figure data-display="${kind}" style="margin:0.5em 0;text-align:left;overflow-x:auto">` +
    `${svg}</figure>`;
}

/** Builds a {@linkcode Chart} from its SVG and its text rendering. */
export function chart(svg: string, text: string, kind: FigureKind = "chart"): Chart {
  return rendered(
    { "text/html": figureHtml(svg, kind), "image/svg+xml": svg, "text/plain": text },
    { svg },
  );
}

/**
 * The chart as a standalone SVG file's content (with an XML declaration).
 *
 * @example
 * ```ts ignore
 * import { barChart, toSvgString } from "./mod.ts";
 * const c = barChart([{ k: "a", v: 1 }], { x: "k", y: "v" });
 * await Deno.writeTextFile("chart.svg", toSvgString(c));
 * ```
 */
export function toSvgString(chart: Chart): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${chart.svg}\n`;
}

function size(svg: string, name: "width" | "height"): number {
  const match = new RegExp(`^<svg[^>]*\\s${name}="([\\d.]+)"`).exec(svg);
  return match ? Number(match[1]) : 0;
}

/**
 * Charts stacked top to bottom in one standalone SVG (each keeps its own scale), with the
 * text forms one after another: for metrics that must not share an axis (1–5 and 0–1).
 *
 * @example
 * ```ts
 * import { barChart, stackCharts } from "./mod.ts";
 * const both = stackCharts([
 *   barChart([{ k: "judge", v: 4 }], { x: "k", y: "v", domain: [1, 5] }),
 *   barChart([{ k: "f1", v: 0.4 }], { x: "k", y: "v", domain: [0, 1] }),
 * ]);
 * console.assert(both.svg.startsWith("<svg"));
 * ```
 */
export function stackCharts(charts: readonly Chart[]): Chart {
  if (charts.length === 1) return charts[0];
  let y = 0;
  let width = 0;
  const parts: string[] = [];
  for (const c of charts) {
    const w = size(c.svg, "width"), h = size(c.svg, "height");
    // a nested <svg> is placed by its own x/y attributes
    parts.push(c.svg.replace(/^<svg/, `<svg x="0" y="${y}"`));
    y += h;
    width = Math.max(width, w);
  }
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}" viewBox="0 0 ${width} ${y}">` +
    `<rect width="100%" height="100%" fill="white"/>${parts.join("")}</svg>`;
  return chart(svg, charts.map(String).join("\n\n"));
}
