/**
 * The chart type shared by `barChart` and `timeline`, and `toSvgString` for writing a chart to
 * a file. A chart shows as `image/svg+xml` in Jupyter, with a text rendering of the same data
 * as its `text/plain` fallback (also what `console.log(chart)` prints in a terminal).
 *
 * @module
 */
import { type Rendered, rendered } from "./_bundle.ts";

/** A rendered chart: SVG for Jupyter and files, text for terminals. */
export interface Chart extends Rendered {
  /** The standalone SVG document (with `xmlns`). */
  readonly svg: string;
}

/** Builds a {@linkcode Chart} from its SVG and its text rendering. */
export function chart(svg: string, text: string): Chart {
  return rendered({ "image/svg+xml": svg, "text/plain": text }, { svg });
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
