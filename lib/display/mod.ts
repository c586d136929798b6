/**
 * Display helpers for the workshop notebooks: tables, chat messages, Markdown, HTML, bar
 * charts, pipeline timelines, progress bars and the architecture diagram. Each returns a value that Deno's Jupyter kernel
 * renders through `[Symbol.for("Jupyter.display")]()` as a MIME bundle with a readable
 * `text/plain` twin, so the same calls print sensibly in a CLI and in logs. Every rich form is
 * `text/html` (charts as SVG inline in a `<figure>`, with an `image/svg+xml` copy), which
 * Jupyter, VS Code and nbconvert's HTML export all show; `markdown` sends `text/markdown`.
 * The HTML carries `data-display` attributes (`messages`, `table`, `chart`, `timeline`,
 * `diagram`, `progress`) that the export checks look for. Charts are SVG from Observable Plot,
 * rendered without a browser; `toSvgString` turns one into a file's content.
 *
 * @example
 * ```ts ignore
 * import { barChart, table } from "../lib/mod.ts";
 * table([{ metric: "groundedness", score: 4.6 }], { caption: "Evaluation" });
 * ```
 *
 * @module
 */
export { isRendered, JUPYTER_DISPLAY, type MimeBundle, type Rendered } from "./_bundle.ts";
export { escapeHtml } from "./escape.ts";
export { table, type TableOptions, type TableRow } from "./table.ts";
export { html, htmlToText, markdown } from "./text.ts";
export {
  type DisplayMessage,
  type MessageFormat,
  messages,
  type MessagesOptions,
} from "./messages.ts";
export { type Chart, stackCharts, toSvgString } from "./chart.ts";
export { clip } from "./_format.ts";
export { barChart, type BarChartOptions } from "./bar_chart.ts";
export { timeline, type TimelineOptions, type TimelineStep } from "./timeline.ts";
export { architectureDiagram, architectureSvg, architectureText } from "./architecture.ts";
export {
  type JupyterDisplay,
  kernelDisplay,
  type Progress,
  progress,
  type ProgressOptions,
} from "./progress.ts";
