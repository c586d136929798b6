/**
 * Display-friendly views of results: flat row objects for tables (notebook `table()`, the
 * CLI, `report.md`), a one-line progress text, and number formatting shared by all of them.
 *
 * @module
 */
import type { EvalProgress } from "./runner.ts";
import type { EvalScore, MetricSummary, RowResult, RunSummary, SkippedEvaluator } from "./types.ts";

/** A table cell. */
export type Cell = string | number | null;

/** Format a score: integers as is, fractions with 3 digits (judges with 2), missing as "–". */
export function formatValue(value: number | null | undefined, kind?: "judge" | "text"): string {
  if (value === null || value === undefined) return "–";
  if (Number.isInteger(value)) return String(value);
  return value.toFixed(kind === "judge" ? 2 : 3);
}

function formatScore(score: EvalScore | undefined, kind?: "judge" | "text"): string {
  if (!score) return "";
  return score.value === null ? "–" : formatValue(score.value, kind);
}

/** Shorten text for a table cell (on a character, not a UTF-16 unit, boundary). */
export function truncate(text: string, max: number): string {
  const chars = [...text.replace(/\s+/g, " ").trim()];
  return chars.length <= max ? chars.join("") : chars.slice(0, max - 1).join("") + "…";
}

/**
 * One flat record per row: id, question, status, then one column per metric (formatted text,
 * "–" for a missing score), for `table()` in a notebook or the CLI.
 *
 * @example
 * ```ts ignore
 * display.table(resultRows(results, summary.metrics));
 * ```
 */
export function resultRows(
  results: readonly RowResult[],
  metrics: readonly Pick<MetricSummary, "name" | "kind">[],
  options: { questionWidth?: number } = {},
): Record<string, Cell>[] {
  return [...results].sort((a, b) => a.index - b.index).map((r) => ({
    id: r.id,
    question: truncate(r.question, options.questionWidth ?? 48),
    status: r.status === "ok" ? "ok" : `failed: ${truncate(r.error?.message ?? "error", 40)}`,
    ...Object.fromEntries(metrics.map((m) => [m.name, formatScore(r.scores[m.name], m.kind)])),
  }));
}

/** One record per metric: name, kind, mean, scored rows, missing, range; then skipped judges. */
export function summaryRows(
  summary: Pick<RunSummary, "metrics" | "skipped">,
): Record<string, Cell>[] {
  return [
    ...summary.metrics.map((m) => ({
      metric: m.name,
      kind: m.kind,
      mean: formatValue(m.mean, m.kind),
      scored: m.count,
      missing: m.missing,
      range: `${m.range[0]}–${m.range[1]}`,
    })),
    ...summary.skipped.map((s) => ({
      metric: s.name,
      kind: s.kind,
      mean: "skipped",
      scored: 0,
      missing: 0,
      range: "",
    })),
  ];
}

/** Numeric values of a metric per row, for charts (`null` where missing). */
export function metricValues(results: readonly RowResult[], metric: string): (number | null)[] {
  return [...results].sort((a, b) => a.index - b.index).map((r) => r.scores[metric]?.value ?? null);
}

function clock(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${String(Math.floor(s / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
}

/**
 * One line of progress text with a bar, e.g.
 * `[████████░░░░░░░░]  12/30  ok 11  failed 1  retries 2  00:14  eta 00:20`.
 */
export function progressLine(p: EvalProgress, width = 24): string {
  const fraction = p.total === 0 ? 1 : p.done / p.total;
  const filled = Math.round(fraction * width);
  const bar = "█".repeat(filled) + "░".repeat(width - filled);
  const parts = [
    `[${bar}]`,
    `${String(p.done).padStart(String(p.total).length)}/${p.total}`,
    `ok ${p.ok}`,
    `failed ${p.failed}`,
    `retries ${p.retries}`,
    clock(p.elapsedMs),
  ];
  if (p.resumed) parts.splice(2, 0, `resumed ${p.resumed}`);
  if (p.etaMs !== undefined && p.done < p.total) parts.push(`eta ${clock(p.etaMs)}`);
  return parts.join("  ");
}

/** Display width of a string in a terminal (code points; good enough for our tables). */
function width(text: string): number {
  return [...text].length;
}

/**
 * Render records as a plain-text table with aligned columns (columns from the first record).
 *
 * @example
 * ```ts
 * import { textTable } from "./present.ts";
 * console.assert(textTable([{ metric: "f1", mean: "0.5" }]).startsWith("metric  mean"));
 * ```
 */
export function textTable(rows: readonly Record<string, Cell>[]): string {
  if (rows.length === 0) return "(no rows)";
  const columns = Object.keys(rows[0]);
  const cells = rows.map((r) => columns.map((c) => String(r[c] ?? "")));
  const widths = columns.map((c, i) => Math.max(width(c), ...cells.map((row) => width(row[i]))));
  const line = (values: string[]) =>
    values.map((v, i) => i === values.length - 1 ? v : v + " ".repeat(widths[i] - width(v)))
      .join("  ").trimEnd();
  return [line(columns), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
}

/** Skipped evaluators grouped by reason (usually one line for all judges). */
export function groupSkipped(
  skipped: readonly SkippedEvaluator[],
): { names: string[]; reason: string }[] {
  const groups = new Map<string, string[]>();
  for (const s of skipped) groups.set(s.reason, [...(groups.get(s.reason) ?? []), s.name]);
  return [...groups].map(([reason, names]) => ({ names, reason }));
}

/** Mean of each metric per intent (the set's `intent` column), one record per intent. */
export function intentRows(
  results: readonly RowResult[],
  metrics: readonly Pick<MetricSummary, "name" | "kind">[],
): Record<string, Cell>[] {
  const intents = [...new Set(results.map((r) => r.intent ?? "(none)"))].sort();
  return intents.map((intent) => {
    const rows = results.filter((r) => (r.intent ?? "(none)") === intent && r.status === "ok");
    return {
      intent,
      rows: results.filter((r) => (r.intent ?? "(none)") === intent).length,
      ...Object.fromEntries(metrics.map((m) => {
        const values = rows.map((r) => r.scores[m.name]?.value).filter((v): v is number =>
          typeof v === "number"
        );
        const mean = values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
        return [m.name, formatValue(mean, m.kind)];
      })),
    };
  });
}
