/**
 * Display-friendly views of results: flat row objects for tables (notebook `table()`, the
 * CLI, `report.md`) and the score formatting shared by all of them. Tables, clipping and
 * progress come from `lib/display`; only what is particular to scores (digits per kind of
 * metric, intervals) is here.
 *
 * @module
 */
import { clip, table } from "../display/mod.ts";
import type { EvalScore, MetricSummary, RowResult, RunSummary, SkippedEvaluator } from "./types.ts";

/** A table cell. */
export type Cell = string | number | null;

/** Format a score: integers as is, fractions with 3 digits (judges with 2), missing as "–". */
export function formatValue(value: number | null | undefined, kind?: string): string {
  if (value === null || value === undefined) return "–";
  if (Number.isInteger(value)) return String(value);
  return value.toFixed(kind === "judge" ? 2 : 3);
}

/**
 * Format a 95% interval as `[low, high]` with the digits of its kind; "–" without one.
 *
 * @example
 * ```ts
 * import { formatInterval } from "./present.ts";
 * console.assert(formatInterval({ low: 3.2, high: 4.05 }, "judge") === "[3.20, 4.05]");
 * ```
 */
export function formatInterval(
  interval: { low: number; high: number } | undefined,
  kind?: string,
): string {
  if (!interval) return "–";
  const digits = kind === "judge" ? 2 : 3;
  const f = (v: number) => v.toFixed(digits);
  return `[${f(interval.low)}, ${f(interval.high)}]`;
}

function formatScore(score: EvalScore | undefined, kind?: string): string {
  if (!score) return "";
  return score.value === null ? "–" : formatValue(score.value, kind);
}

/** Shorten text for a table cell (on a character boundary; whitespace runs become one space). */
export function truncate(text: string, max: number): string {
  return clip(text.replace(/\s+/g, " ").trim(), max);
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

/**
 * One record per metric: name, kind, mean, its 95% interval, scored rows, missing, rows it does
 * not apply to (a column only when some metric has such rows), range (with "lower is better" for
 * cost-like metrics); then skipped judges.
 */
export function summaryRows(
  summary: Pick<RunSummary, "metrics" | "skipped">,
): Record<string, Cell>[] {
  // a column for rows a metric does not apply to, only when some metric has such rows
  const na = summary.metrics.some((m) => (m.notApplicable ?? 0) > 0);
  const naCell = (n: number): Record<string, Cell> => na ? { "n/a": n } : {};
  return [
    ...summary.metrics.map((m) => ({
      metric: m.name,
      kind: m.kind,
      mean: formatValue(m.mean, m.kind),
      "95% interval": formatInterval(m.interval, m.kind),
      scored: m.count,
      missing: m.missing,
      ...naCell(m.notApplicable ?? 0),
      range: rangeText(m),
    })),
    ...summary.skipped.map((s) => ({
      metric: s.name,
      kind: s.kind,
      mean: "skipped",
      "95% interval": "",
      scored: 0,
      missing: 0,
      ...naCell(0),
      range: "",
    })),
  ];
}

/** Numeric values of a metric per row, for charts (`null` where missing). */
export function metricValues(results: readonly RowResult[], metric: string): (number | null)[] {
  return [...results].sort((a, b) => a.index - b.index).map((r) => r.scores[metric]?.value ?? null);
}

function rangeText(m: Pick<MetricSummary, "range" | "direction">): string {
  const high = Number.isFinite(m.range[1]) ? String(m.range[1]) : "∞";
  return `${m.range[0]}–${high}${m.direction === "lower" ? " (lower is better)" : ""}`;
}

/**
 * Render records as a plain-text table with aligned columns (`lib/display`'s `table()` text).
 *
 * @example
 * ```ts
 * import { textTable } from "./present.ts";
 * console.assert(textTable([{ metric: "f1", mean: "0.5" }]).startsWith("metric  mean"));
 * ```
 */
export function textTable(rows: readonly Record<string, Cell>[]): string {
  if (rows.length === 0) return "(no rows)";
  return String(table(rows, { maxWidth: 1000 }));
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

/** One intent's mean of a metric over its answered rows. */
export interface IntentMean {
  intent: string;
  /** Rows of this intent with a score for the metric. */
  scored: number;
  mean: number | null;
}

/** Each intent's mean of `metric` over its answered, scored rows (intents in name order). */
export function intentMeans(
  results: readonly Pick<RowResult, "intent" | "status" | "scores">[],
  metric: string,
): IntentMean[] {
  const intents = [...new Set(results.map((r) => r.intent ?? "(none)"))].sort();
  return intents.map((intent) => {
    const values = results
      .filter((r) => (r.intent ?? "(none)") === intent && r.status === "ok")
      .map((r) => r.scores[metric]?.value)
      .filter((v): v is number => typeof v === "number");
    return {
      intent,
      scored: values.length,
      mean: values.length ? values.reduce((a, b) => a + b, 0) / values.length : null,
    };
  });
}

const intentName = (intent: string) => intent.replace(/[_-]+/g, " ");
const rowsText = (n: number) => `${n} ${n === 1 ? "row" : "rows"}`;

/**
 * A sentence naming the weakest and the strongest intent by a metric, computed from the run:
 * "By f1, order history is the weakest intent (0.123 over 4 rows) and support the strongest
 * (0.456 over 14 rows)." Ties and single intents are said as they are; direction `"lower"`
 * (latency, cost) makes the highest mean the weakest.
 *
 * @example
 * ```ts
 * import { weakestIntentSentence } from "./present.ts";
 * const r = (intent: string, f1: number) => ({ intent, status: "ok" as const, scores: { f1: { value: f1 } } });
 * const text = weakestIntentSentence([r("support", 0.6), r("order_history", 0.2)], { name: "f1", kind: "text" });
 * console.assert(text === "By f1, order history is the weakest intent (0.200 over 1 row) and support the strongest (0.600 over 1 row).");
 * ```
 */
export function weakestIntentSentence(
  results: readonly Pick<RowResult, "intent" | "status" | "scores">[],
  metric: Pick<MetricSummary, "name" | "kind"> & { direction?: "higher" | "lower" },
): string {
  const scored = intentMeans(results, metric.name).filter((m) => m.mean !== null);
  const value = (m: IntentMean) => `${formatValue(m.mean, metric.kind)} over ${rowsText(m.scored)}`;
  if (scored.length === 0) return `No intent has ${metric.name} scores in this run.`;
  if (scored.length === 1) {
    return `Only ${intentName(scored[0].intent)} has ${metric.name} scores (${value(scored[0])}).`;
  }
  const sign = metric.direction === "lower" ? -1 : 1;
  const sorted = [...scored].sort((a, b) => sign * (a.mean! - b.mean!));
  const [weakest, strongest] = [sorted[0], sorted[sorted.length - 1]];
  if (formatValue(weakest.mean, metric.kind) === formatValue(strongest.mean, metric.kind)) {
    return `By ${metric.name}, every intent scores the same (${
      formatValue(weakest.mean, metric.kind)
    }).`;
  }
  return `By ${metric.name}, ${intentName(weakest.intent)} is the weakest intent (${
    value(weakest)
  }) and ${intentName(strongest.intent)} the strongest (${value(strongest)}).`;
}

/** The change a delta shows, signed, with its interval: "+0.120, 95% interval [0.050, 0.190]". */
function deltaText(d: {
  kind: string;
  delta: number | null;
  interval?: { low: number; high: number };
}): string {
  const sign = d.delta !== null && d.delta > 0 ? "+" : "";
  const interval = d.interval ? `, 95% interval ${formatInterval(d.interval, d.kind)}` : "";
  return `${sign}${formatValue(d.delta, d.kind)}${interval}`;
}

/**
 * A sentence stating what a comparison of two runs found, computed from its deltas (as
 * `compareRuns` returns them): which metrics B is better and worse on, by how much, and where
 * the difference cannot be told from noise. `names` says what A and B are.
 *
 * @example
 * ```ts
 * import { comparisonSentence } from "./present.ts";
 * const text = comparisonSentence([
 *   { metric: "f1", kind: "text", delta: 0.12, interval: { low: 0.05, high: 0.19 }, verdict: "better", pairs: 30 },
 *   { metric: "bleu", kind: "text", delta: 0.004, interval: { low: -0.01, high: 0.02 }, verdict: "no clear difference", pairs: 30 },
 * ], { a: "the baseline", b: "the final prompt" });
 * console.assert(text.startsWith("The final prompt is better than the baseline on f1 (+0.120, 95% interval [0.050, 0.190])"));
 * ```
 */
export function comparisonSentence(
  deltas: readonly {
    metric: string;
    kind: string;
    delta: number | null;
    interval?: { low: number; high: number };
    verdict?: string;
    pairs: number;
  }[],
  names: { a: string; b: string },
): string {
  const judged = deltas.filter((d) => d.verdict && d.delta !== null);
  const list = (verdict: string) =>
    judged.filter((d) => d.verdict === verdict).map((d) => `${d.metric} (${deltaText(d)})`)
      .join(", ");
  const better = list("better");
  const worse = list("worse");
  const unclear = judged.filter((d) => d.verdict === "no clear difference").map((d) => d.metric);
  const B = names.b.charAt(0).toUpperCase() + names.b.slice(1);
  if (judged.length === 0) return `${B} and ${names.a} share no scored rows to compare.`;
  const parts: string[] = [];
  if (better) parts.push(`better than ${names.a} on ${better}`);
  if (worse) parts.push(`worse on ${worse}`);
  const head = parts.length > 0
    ? `${B} is ${parts.join("; ")}`
    : `${B} shows no clear difference from ${names.a} on any metric`;
  const tail = parts.length > 0 && unclear.length > 0
    ? `; no clear difference on ${unclear.join(", ")}`
    : "";
  const pairs = Math.max(...judged.map((d) => d.pairs));
  return `${head}${tail} (${pairs} paired rows).`;
}
