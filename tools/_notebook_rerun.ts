/**
 * The rules of `deno task notebooks --rerun`, in one place: which cells the passes after the
 * first run ({@linkcode rerunPlan}), and when a re-run cell shows something else than the first
 * time ({@linkcode changedOutput}: the same words with other numbers, bar lengths or padding
 * are no change, since latencies and timestamps differ between two good runs).
 *
 * @module
 */

/** A re-run cell whose outputs said something else than in the first run. */
export interface OutputChange {
  cell: number;
  pass: number;
  first: string;
  rerun: string;
}

type Text = string | string[];

/** The parts of a notebook output that {@linkcode shownLines} reads. */
export interface Output {
  output_type?: string;
  text?: Text;
  ename?: string;
  evalue?: string;
  data?: Record<string, unknown>;
}

/**
 * The re-run passes: every code cell again in order, then the earlier cells `spec` names.
 * `spec` is a comma list of 1-based code cell numbers ("2", "2,6"; numbers past the last cell
 * are dropped), or "back": every cell from the one before the last down to cell 2, so each
 * runs after a later one and the first of them right after the last cell.
 *
 * @example
 * ```ts
 * import { rerunPlan } from "./_notebook_rerun.ts";
 * rerunPlan(4, "back"); // [{ pass: 2, cells: [1, 2, 3, 4] }, { pass: 3, cells: [3, 2] }]
 * ```
 */
export function rerunPlan(cells: number, spec: string): { pass: number; cells: number[] }[] {
  let earlier = spec === "back"
    ? Array.from({ length: Math.max(0, cells - 2) }, (_, i) => cells - 1 - i)
    : spec.split(",").filter((x) => x.trim()).map(Number).filter((n) => n <= cells);
  if (!earlier.length && cells) earlier = [1];
  return [
    { pass: 2, cells: Array.from({ length: cells }, (_, i) => i + 1) },
    { pass: 3, cells: earlier },
  ];
}

// Python's whitespace, line breaks and word characters, as when the comparison ran in
// Python: a notebook's outputs may hold any Unicode, and the verdicts must not move.
const SPACE = "\\t\\n\\v\\f\\r \\x1c-\\x1f\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029" +
  "\\u202f\\u205f\\u3000";
/** Where Python's `str.splitlines()` breaks a line (some are control characters). */
// deno-lint-ignore no-control-regex
export const LINE_BREAK = /\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]/u;
const SPACES = new RegExp(`[${SPACE}]+`, "u");
const BLOCKS = /[\u2580-\u259f]/gu; // the bars of text charts
const NUMBER = /\p{Nd}+(?:\.\p{Nd}+)?/gu;
// Axis ticks and other runs of numbers: how many a chart prints depends on the values.
const PUNCT = `[^\\p{L}\\p{N}_${SPACE}]*`;
const NUMBERS = new RegExp(`#(?:${PUNCT}[${SPACE}]*${PUNCT}#)+`, "gu");

function joined(text: unknown): string {
  return Array.isArray(text) ? text.join("") : typeof text === "string" ? text : "";
}

/**
 * What a cell's outputs say (stream text, text/plain, errors), without what differs between
 * two good runs: numbers (latencies, timestamps), bar lengths and padding.
 */
export function shownLines(outputs: Output[]): string[] {
  const lines: string[] = [];
  for (const out of outputs) {
    const text = out.output_type === "stream"
      ? joined(out.text)
      : out.output_type === "error"
      ? `${out.ename ?? ""}: ${out.evalue ?? ""}`
      : joined(out.data?.["text/plain"]);
    const split = text.split(LINE_BREAK);
    if (split.at(-1) === "") split.pop();
    for (const raw of split) {
      const line = raw.replace(BLOCKS, "").replace(NUMBER, "#").replace(NUMBERS, "#")
        .split(SPACES).filter(Boolean).join(" ");
      if (line) lines.push(line);
    }
  }
  return lines;
}

const clip = (line: string) => Array.from(line).slice(0, 200).join("");

/** How a re-run cell's outputs differ from the first run's, or null when they say the same. */
export function changedOutput(
  first: Output[],
  again: Output[],
  where: { cell: number; pass: number },
): OutputChange | null {
  const a = shownLines(first);
  const b = shownLines(again);
  if (a.length === b.length && a.every((line, i) => line === b[i])) return null;
  const i = a.findIndex((line, i) => i < b.length && line !== b[i]);
  const [was, now] = i >= 0
    ? [a[i], b[i]]
    : a.length > b.length
    ? [a[b.length], "(nothing)"]
    : ["(nothing)", b[a.length]];
  return { cell: where.cell, pass: where.pass, first: clip(was), rerun: clip(now) };
}
