/**
 * Server-side Observable Plot: renders a plot to an SVG string with a linkedom document
 * instead of a browser DOM, so charts work in Deno's Jupyter kernel, in CLIs and in tests.
 * The SVG is made standalone (`xmlns`, white background, black ink) so it also displays as
 * an `image/svg+xml` output or a `.svg` file in dark themes and image viewers.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import { parseHTML } from "linkedom";
import { textWidth } from "./_text_width.ts";

export { Plot };

const SVG_NS = "http://www.w3.org/2000/svg";

const TITLE_SIZE = 14;
const TITLE_LINE = 18;

/**
 * The title broken between words into lines that fit `width` pixels (bold, 14 px, 4 px in from
 * each side), and the top margin that holds them: a long title (two run names) must not run
 * off the chart's right edge, where the SVG clips it.
 */
export function titleLayout(
  title: string | undefined,
  width: number,
): { lines: string[]; marginTop: number } {
  if (!title) return { lines: [], marginTop: 24 };
  const room = width - 8;
  const lines: string[] = [];
  let line = "";
  for (const word of title.split(/\s+/).filter((w) => w !== "")) {
    const next = line ? `${line} ${word}` : word;
    if (line && textWidth(next, TITLE_SIZE, { bold: true }) > room) {
      lines.push(line);
      line = word;
    } else {
      line = next;
    }
  }
  if (line) lines.push(line);
  return { lines, marginTop: 30 + TITLE_LINE * lines.length };
}

/** The chart title as a mark drawn in the top margin (Plot's own title needs a <figure>). */
export function titleMark(
  lines: readonly string[],
  marginTop: number,
  marginLeft: number,
): Plot.Markish[] {
  if (lines.length === 0) return [];
  return [
    Plot.text([lines.join("\n")], {
      frameAnchor: "top-left",
      dx: -marginLeft + 4,
      dy: -marginTop + 6,
      lineAnchor: "top",
      lineHeight: TITLE_LINE / TITLE_SIZE,
      textAnchor: "start",
      fontSize: TITLE_SIZE,
      fontWeight: "bold",
    }),
  ];
}

/** Runs `Plot.plot` on a fresh linkedom document and returns the standalone SVG markup. */
export function plotSvg(options: Plot.PlotOptions): string {
  const { document } = parseHTML("<!DOCTYPE html><html><head></head><body></body></html>");
  const node = Plot.plot({
    ...options,
    style: { background: "white", color: "black" },
    document: document as unknown as Document,
  }) as unknown as Element;
  const svg = node.tagName.toLowerCase() === "svg" ? node : node.querySelector("svg");
  if (!svg) throw new TypeError("Cannot render chart: Plot returned no <svg> element");
  svg.setAttribute("xmlns", SVG_NS);
  return uniqueIds(svg.outerHTML);
}

/**
 * Plot numbers its ids per document (`plot-clip-1`), and every chart here gets a fresh document,
 * so two charts inline in one HTML page would share ids and one chart's `url(#plot-clip-1)`
 * would clip with the other's rectangle. Suffixing every id with a hash of the chart makes them
 * distinct across charts and stable for the same chart.
 */
export function uniqueIds(svg: string): string {
  const ids = [...svg.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
  if (ids.length === 0) return svg;
  const suffix = fnv1a(svg);
  let out = svg;
  for (const id of new Set(ids)) {
    const quoted = id.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    out = out
      .replace(new RegExp(`(\\sid=")${quoted}"`, "g"), `$1${id}-${suffix}"`)
      .replace(new RegExp(`url\\(#${quoted}\\)`, "g"), `url(#${id}-${suffix})`)
      .replace(new RegExp(`(href=")#${quoted}"`, "g"), `$1#${id}-${suffix}"`);
  }
  return out;
}

function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(36);
}
