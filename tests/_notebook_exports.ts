/**
 * Checks a notebook's HTML export the way a reader sees it: opened in real Chromium (Debian's
 * `chromium` driven by `playwright-core`, every request that is not a local file blocked),
 * every chart, timeline and diagram (`figure[data-display=chart|timeline|diagram]`) must draw
 * visible marks, and every prompt view (`[data-display=messages] [data-role]`) must show each
 * line of its text on a line of its own, left-aligned, with long content scrolling inside its
 * block; text in tables (`table[data-display=table]`) is left-aligned. Given the executed notebook too, it
 * counts the views the notebook sent and finds every one in the page, and flags outputs sent
 * only as SVG (which nbconvert's Debian version leaves out of its exports).
 *
 * Chromium is started with `./_chromium.ts` (ignored locally without it, failing on CI).
 *
 * @module
 */
import type { Browser } from "playwright-core";
import { pathToFileURL } from "node:url";

/** One chart, timeline or diagram as drawn. */
export interface DrawnView {
  kind: string;
  /** Shapes (rect, path, line, circle, …) with a non-empty box that are painted. */
  shapes: number;
  /** Text elements with a non-empty box. */
  texts: number;
  width: number;
  height: number;
}

/** One message of a prompt view as drawn. */
export interface DrawnMessage {
  role: string;
  /** Lines of the message's text as written in the page (pieces after a line break). */
  lines: number;
  /** Height in pixels of the tallest content block (long content scrolls inside its block). */
  tallest: number;
  /** Some content overflows its block without a scroll bar. */
  clipped: boolean;
  /** Non-empty lines as the browser shows them (`innerText`). */
  shownLines: number;
  /** The first written line that did not get a line of its own, if any. */
  merged: string | null;
  textAlign: string;
  height: number;
}

/** What {@linkcode checkExport} found in one export. */
export interface ExportReport {
  file: string;
  views: DrawnView[];
  messages: DrawnMessage[];
  /** Each `table[data-display=table]`: its cell count, and the first text cell not left-aligned. */
  tables: { cells: number; misaligned: string | null }[];
  /** Everything wrong, one line each (`chart 2: no visible marks`). */
  problems: string[];
}

/** What an executed notebook sent: views by kind, and outputs sent as SVG only. */
export interface SentViews {
  /** `chart`, `timeline`, `diagram`, `messages`, `table` → how many the outputs carry. */
  counts: Record<string, number>;
  /** `cell 5` for each output whose richest form is SVG without HTML. */
  svgOnly: string[];
}

type Notebook = {
  cells: {
    cell_type: string;
    outputs?: { data?: Record<string, string | string[]> }[];
  }[];
};

const VIEW_KINDS = ["chart", "timeline", "diagram", "messages", "table"] as const;
/** A message block taller than this (most of the 900 px viewport) should scroll instead. */
const MAX_BLOCK_PX = 700;

/** Counts the views an executed notebook's outputs carry in their `text/html`. */
export function sentViews(notebook: Notebook): SentViews {
  const counts: Record<string, number> = {
    chart: 0,
    timeline: 0,
    diagram: 0,
    messages: 0,
    table: 0,
  };
  const svgOnly: string[] = [];
  let number = 0;
  for (const cell of notebook.cells) {
    if (cell.cell_type !== "code") continue;
    number++;
    for (const output of cell.outputs ?? []) {
      const data = output.data ?? {};
      const html = [data["text/html"] ?? ""].flat().join("");
      for (const kind of VIEW_KINDS) {
        const found = html.match(new RegExp(`data-display=["']?${kind}["'\\s>]`, "g"));
        counts[kind] += found?.length ?? 0;
      }
      if ("image/svg+xml" in data && !("text/html" in data)) svgOnly.push(`cell ${number}`);
    }
  }
  return { counts, svgOnly };
}

/** Runs in the page: measures every view and every message. */
function measure() {
  const SHAPES = "rect, path, line, circle, ellipse, polyline, polygon";
  const painted = (el: Element) => {
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || style.display === "none") return false;
    if (Number(style.opacity) === 0) return false;
    if (el.tagName.toLowerCase() === "text") return true;
    const fill = style.fill;
    const stroke = style.stroke;
    const none = (v: string) => v === "none" || v === "transparent" || v === "rgba(0, 0, 0, 0)";
    return !(none(fill) && none(stroke));
  };
  const boxed = (el: Element) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 || r.height > 0;
  };
  const views = [...document.querySelectorAll(
    'figure[data-display="chart"], figure[data-display="timeline"], ' +
      'figure[data-display="diagram"]',
  )].map((figure) => {
    const svg = figure.querySelector("svg");
    const box = (svg ?? figure).getBoundingClientRect();
    const marks = svg ? [...svg.querySelectorAll(SHAPES)] : [];
    const texts = svg ? [...svg.querySelectorAll("text")] : [];
    return {
      kind: figure.getAttribute("data-display") ?? "",
      hasSvg: svg !== null,
      shapes: marks.filter((m) => boxed(m) && painted(m)).length,
      texts: texts.filter((m) => boxed(m) && painted(m)).length,
      width: box.width,
      height: box.height,
    };
  });
  const squash = (s: string) => s.replace(/\s+/g, " ").trim();
  const messages = [...document.querySelectorAll('[data-display="messages"] [data-role]')]
    .map((section) => {
      // The label is the first child; the message's text is in what follows it. Each piece of
      // text after a written line break must start a line of what the browser shows.
      const parts = [...section.children].slice(1) as HTMLElement[];
      const pieces: { text: string; breakBefore: boolean }[] = [];
      for (const part of parts) {
        const walker = document.createTreeWalker(part, NodeFilter.SHOW_TEXT);
        pieces.push({ text: "", breakBefore: true });
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          (node.nodeValue ?? "").split("\n").forEach((text, i) => {
            pieces.push({ text: squash(text), breakBefore: i > 0 });
          });
        }
      }
      const shown = parts.flatMap((p) => p.innerText.split("\n")).map(squash).filter(Boolean);
      let line = 0;
      let column = 0;
      let pendingBreak = false;
      let started = false;
      let written = 0;
      let merged: string | null = null;
      for (const piece of pieces) {
        pendingBreak ||= piece.breakBefore;
        if (!piece.text) continue;
        if (pendingBreak) written++;
        if (pendingBreak && started) [line, column] = [line + 1, 0];
        pendingBreak = false;
        started = true;
        while (line < shown.length) {
          const at = shown[line].indexOf(piece.text, column);
          if (at >= 0) {
            column = at + piece.text.length;
            break;
          }
          [line, column] = [line + 1, 0];
        }
        if (line >= shown.length) {
          merged = piece.text;
          break;
        }
      }
      const aligns = [section, ...parts].map((el) => getComputedStyle(el).textAlign);
      // Long content must scroll inside its block, not cut off or fill the page.
      const tallest = Math.max(0, ...parts.map((p) => p.getBoundingClientRect().height));
      const clipped = parts.some((p) => {
        const overflow = getComputedStyle(p).overflowY;
        return p.scrollHeight > p.clientHeight + 1 && !["auto", "scroll"].includes(overflow);
      });
      return {
        role: section.getAttribute("data-role") ?? "",
        lines: written,
        shownLines: shown.length,
        merged,
        textAlign: aligns.find((a) => !["left", "start", "-webkit-left"].includes(a)) ??
          "left",
        height: section.getBoundingClientRect().height,
        tallest,
        clipped,
      };
    });
  // Text in tables reads left to right (numbers may align right).
  const NUMERIC = /^[-+−]?[\d.,]+\s*(%|ms|s)?$|^[-–—]?$/;
  const tables = [...document.querySelectorAll('table[data-display="table"]')].map((table) => {
    const cells = [...table.querySelectorAll("td")] as HTMLElement[];
    const wrong = cells.find((td) => {
      const text = td.innerText.trim();
      const align = getComputedStyle(td).textAlign;
      return !NUMERIC.test(text) && !["left", "start", "-webkit-left"].includes(align);
    });
    return {
      cells: cells.length,
      misaligned: wrong
        ? `"${wrong.innerText.trim().slice(0, 40)}" ${getComputedStyle(wrong).textAlign}`
        : null,
    };
  });
  return { views, messages, tables };
}

/**
 * Opens `file` (an HTML export) in `browser` and checks its views; with `sent` (from
 * {@linkcode sentViews} on the executed notebook) also that every view sent is in the page.
 */
export async function checkExport(
  browser: Browser,
  file: string,
  sent?: SentViews,
): Promise<ExportReport> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  try {
    // Exports reference CDN scripts (require.js, MathJax): offline, only the file itself loads.
    await context.route("**/*", (route) => {
      return route.request().url().startsWith("file:") ? route.continue() : route.abort();
    });
    const page = await context.newPage();
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
    const found = await page.evaluate(measure);
    const problems: string[] = [];
    const counters: Record<string, number> = {};
    const views: DrawnView[] = found.views.map((v) => {
      const n = counters[v.kind] = (counters[v.kind] ?? 0) + 1;
      const name = `${v.kind} ${n}`;
      if (!v.hasSvg) problems.push(`${name}: no <svg> inside the figure`);
      else if (v.width === 0 || v.height === 0) problems.push(`${name}: drawn with no size`);
      else if (v.shapes === 0) problems.push(`${name}: no visible marks`);
      return { kind: v.kind, shapes: v.shapes, texts: v.texts, width: v.width, height: v.height };
    });
    const messages: DrawnMessage[] = found.messages;
    messages.forEach((m, i) => {
      const name = `message ${i + 1} (${m.role})`;
      if (m.height === 0) problems.push(`${name}: not visible`);
      if (m.merged !== null) {
        problems.push(`${name}: line "${m.merged.slice(0, 60)}" does not start a line`);
      }
      if (m.textAlign !== "left") problems.push(`${name}: text-align ${m.textAlign}`);
      if (m.clipped) problems.push(`${name}: content cut off without a scroll bar`);
      if (m.tallest > MAX_BLOCK_PX) {
        problems.push(`${name}: ${Math.round(m.tallest)} px tall instead of scrolling`);
      }
    });
    found.tables.forEach((table, i) => {
      if (table.misaligned) problems.push(`table ${i + 1}: text cell ${table.misaligned}`);
    });
    if (sent) {
      for (const kind of VIEW_KINDS) {
        const inPage = kind === "messages"
          ? await page.locator('[data-display="messages"]').count()
          : kind === "table"
          ? found.tables.length
          : found.views.filter((v) => v.kind === kind).length;
        if (inPage !== sent.counts[kind]) {
          problems.push(`${kind}: ${sent.counts[kind]} sent, ${inPage} in the export`);
        }
      }
      for (const where of sent.svgOnly) problems.push(`${where}: sent as SVG only`);
    }
    return { file, views, messages, tables: found.tables, problems };
  } finally {
    await context.close();
  }
}
