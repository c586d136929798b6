/**
 * `table(rows)`: an HTML table for Jupyter with an aligned plain-text twin for terminals
 * and for `text/plain` consumers. Every cell, header and caption is HTML-escaped, since rows
 * come from data (product descriptions, model answers) and must never inject markup.
 *
 * @module
 */
import { type Rendered, rendered } from "./_bundle.ts";
import { escapeHtml } from "./escape.ts";
import { clip, formatValue, pad, width } from "./_format.ts";

/** Options for {@linkcode table}. */
export interface TableOptions {
  /** Columns to show, in order; default: every key, in order of first appearance. */
  columns?: readonly string[];
  /** A caption above the table. */
  caption?: string;
  /** Longest cell in the `text/plain` form, in characters (default 60). */
  maxWidth?: number;
}

/** A row: an object whose values are shown by key. */
export type TableRow = Readonly<Record<string, unknown>>;

function columnsOf(rows: readonly TableRow[]): string[] {
  const seen = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) seen.add(key);
  return [...seen];
}

/**
 * Renders rows as a table: `text/html` in Jupyter, aligned text in a terminal. Numeric
 * columns are right-aligned.
 *
 * @example
 * ```ts
 * import { table } from "./table.ts";
 * const t = table([{ id: 1, name: "TrailMaster X4 Tent" }], { caption: "Products" });
 * console.assert(String(t).includes("TrailMaster"));
 * ```
 */
export function table<T extends object>(
  objects: readonly T[],
  options: TableOptions = {},
): Rendered {
  // Interfaces (ConfigRow, ChatMessage) have no index signature; read them as records.
  const rows = objects as unknown as readonly TableRow[];
  const columns = [...(options.columns ?? columnsOf(rows))];
  const numeric = columns.map((c) =>
    rows.some((r) => typeof r[c] === "number") &&
    rows.every((r) => typeof r[c] === "number" || r[c] === null || r[c] === undefined)
  );
  const cells = rows.map((row) => columns.map((c) => formatValue(row[c])));
  const align = (i: number) => numeric[i] ? ' style="text-align:right"' : "";

  const html = [
    "<table>",
    options.caption === undefined ? "" : `<caption>${escapeHtml(options.caption)}</caption>`,
    "<thead><tr>",
    ...columns.map((c, i) => `<th${align(i)}>${escapeHtml(c)}</th>`),
    "</tr></thead><tbody>",
    ...cells.map((row) =>
      `<tr>${row.map((v, i) => `<td${align(i)}>${escapeHtml(v)}</td>`).join("")}</tr>`
    ),
    "</tbody></table>",
  ].join("");

  const max = options.maxWidth ?? 60;
  const textCells = cells.map((row) => row.map((v) => clip(v, max)));
  const header = columns.map((c) => clip(c, max));
  const widths = header.map((h, i) => Math.max(width(h), ...textCells.map((r) => width(r[i]))));
  const line = (row: string[]) =>
    row.map((v, i) => pad(v, widths[i], numeric[i])).join("  ").trimEnd();
  const text = [
    ...(options.caption === undefined ? [] : [options.caption]),
    line(header),
    widths.map((w) => "-".repeat(w)).join("  "),
    ...textCells.map(line),
    ...(rows.length === 0 ? ["(no rows)"] : []),
  ].join("\n");

  return rendered({ "text/html": html, "text/plain": text });
}
