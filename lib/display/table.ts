/**
 * `table(rows)`: an HTML table for Jupyter with an aligned plain-text twin for terminals
 * and for `text/plain` consumers. Text cells are inline Markdown (a fix that says "run
 * `az login`", a **bold** verdict), rendered the same way in both forms: HTML elements in
 * `text/html`, the words without their markers in `text/plain`, so backticks and `**` never
 * show literally. Columns named in `literal` are shown exactly as written instead (a model's raw
 * reply). Raw HTML in a cell is always shown as text, since rows come from data (product
 * descriptions, model answers) and must never inject markup. Text is left-aligned and numbers
 * right-aligned explicitly, because Jupyter's stylesheet right-aligns every cell.
 *
 * @module
 */
import { type Rendered, rendered } from "./_bundle.ts";
import { escapeHtml } from "./escape.ts";
import { clip, formatValue, pad, width } from "./_format.ts";
import { inlineMarkdownToHtml, inlineMarkdownToText } from "./_markdown.ts";

/** Options for {@linkcode table}. */
export interface TableOptions {
  /** Columns to show, in order; default: every key, in order of first appearance. */
  columns?: readonly string[];
  /** A caption above the table. */
  caption?: string;
  /** Longest cell in the `text/plain` form, in characters (default 60). */
  maxWidth?: number;
  /**
   * Columns shown exactly as written, Markdown markers included (HTML: escaped, monospace),
   * e.g. a model's raw reply. Every other text cell is rendered as inline Markdown.
   */
  literal?: readonly string[];
}

/** A row: an object whose values are shown by key. */
export type TableRow = Readonly<Record<string, unknown>>;

function columnsOf(rows: readonly TableRow[]): string[] {
  const seen = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) seen.add(key);
  return [...seen];
}

/**
 * Renders rows as a table: `text/html` (`<table data-display="table">`) in Jupyter, aligned
 * text in a terminal. Text columns are left-aligned, numeric columns right-aligned; text cells
 * are inline Markdown unless their column is `literal`.
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
  const literal = columns.map((c) => options.literal?.includes(c) ?? false);
  const source = rows.map((row) => columns.map((c) => formatValue(row[c])));
  const htmlCell = (v: string, i: number) =>
    numeric[i] ? escapeHtml(v) : literal[i] ? literalHtml(v) : inlineMarkdownToHtml(v);
  const align = (i: number) =>
    ` style="text-align:${numeric[i] ? "right" : "left"};vertical-align:top"`;

  const html = [
    '<table data-display="table">',
    options.caption === undefined
      ? ""
      : `<caption style="text-align:left">${inlineMarkdownToHtml(options.caption)}</caption>`,
    "<thead><tr>",
    ...columns.map((c, i) => `<th${align(i)}>${escapeHtml(c)}</th>`),
    "</tr></thead><tbody>",
    ...source.map((row) =>
      `<tr>${row.map((v, i) => `<td${align(i)}>${htmlCell(v, i)}</td>`).join("")}</tr>`
    ),
    "</tbody></table>",
  ].join("");

  const cells = source.map((row) =>
    row.map((v, i) => numeric[i] || literal[i] ? v : inlineMarkdownToText(v))
  );
  const max = options.maxWidth ?? 60;
  const textCells = cells.map((row) => row.map((v) => clip(v, max)));
  const header = columns.map((c) => clip(c, max));
  const widths = header.map((h, i) => Math.max(width(h), ...textCells.map((r) => width(r[i]))));
  const line = (row: string[]) =>
    row.map((v, i) => pad(v, widths[i], numeric[i])).join("  ").trimEnd();
  const text = [
    ...(options.caption === undefined ? [] : [inlineMarkdownToText(options.caption)]),
    line(header),
    widths.map((w) => "-".repeat(w)).join("  "),
    ...textCells.map(line),
    ...(rows.length === 0 ? ["(no rows)"] : []),
  ].join("\n");

  return rendered({ "text/html": html, "text/plain": text });
}

function literalHtml(value: string): string {
  return value === "" ? "" : `<code style="white-space:pre-wrap">${escapeHtml(value)}</code>`;
}
