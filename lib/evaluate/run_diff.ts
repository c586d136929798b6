/**
 * Question by question, what changed between two runs (`deno task eval:diff`): the rows
 * whose scores differ (one metric's, or any), with both answers and both sets of scores, so
 * a learner reads what a prompt change did instead of trusting a mean.
 *
 * @module
 */
import { formatValue } from "./present.ts";
import type { EvalScore, RowResult } from "./types.ts";

/** One question whose scores differ between run A and run B. */
export interface RowDiff {
  id: string;
  question: string;
  customerId: string;
  /** The row in each run (absent when only one run has it). */
  a?: RowResult;
  b?: RowResult;
  /** Metrics whose score differs (a score that went missing or appeared counts). */
  changed: string[];
}

function scoreValue(row: RowResult | undefined, metric: string): number | null | undefined {
  if (!row) return undefined;
  if (row.status !== "ok") return null;
  const s = row.scores[metric];
  return s ? s.value : undefined;
}

function differs(x: number | null | undefined, y: number | null | undefined): boolean {
  if (typeof x === "number" && typeof y === "number") return Math.abs(x - y) > 1e-9;
  return (x ?? null) !== (y ?? null);
}

/**
 * The rows of A and B (paired by id, in A's order, then B's new rows) whose `metric` score
 * differs, or, without `metric`, whose status or any score differs.
 *
 * @example
 * ```ts ignore
 * const diffs = diffRuns(await readResults(dirA), await readResults(dirB), { metric: "f1" });
 * ```
 */
export function diffRuns(
  a: readonly RowResult[],
  b: readonly RowResult[],
  options: { metric?: string } = {},
): RowDiff[] {
  const byIdB = new Map(b.map((r) => [r.id, r]));
  const ids = [...new Set([...a.map((r) => r.id), ...b.map((r) => r.id)])];
  const byIdA = new Map(a.map((r) => [r.id, r]));
  const out: RowDiff[] = [];
  for (const id of ids) {
    const ra = byIdA.get(id), rb = byIdB.get(id);
    const metrics = options.metric
      ? [options.metric]
      : [...new Set([...Object.keys(ra?.scores ?? {}), ...Object.keys(rb?.scores ?? {})])];
    const changed = metrics.filter((m) => differs(scoreValue(ra, m), scoreValue(rb, m)));
    const statusChanged = !options.metric && ra?.status !== rb?.status;
    if (changed.length === 0 && !statusChanged) continue;
    const row = (ra ?? rb)!;
    out.push({ id, question: row.question, customerId: row.customerId, a: ra, b: rb, changed });
  }
  return out;
}

function scoreText(score: EvalScore | undefined, row: RowResult | undefined): string {
  if (!row) return "(not in run)";
  if (row.status !== "ok") return "failed";
  if (!score) return "–";
  return score.value === null ? `missing (${score.reason})` : formatValue(score.value);
}

function answerText(row: RowResult | undefined): string {
  if (!row) return "(not in this run)";
  if (row.status !== "ok") return `(failed: ${row.error?.message ?? "error"})`;
  return (row.answer ?? "").trim() || "(empty answer)";
}

function indent(text: string): string {
  return text.split("\n").map((l) => `    ${l}`).join("\n");
}

/** The diffs as plain text: per question, the changed scores A → B, then both answers. */
export function renderRowDiffs(diffs: readonly RowDiff[]): string {
  return diffs.map((d) => {
    const scores = d.changed.map((m) =>
      `${m}: ${scoreText(d.a?.scores[m], d.a)} → ${scoreText(d.b?.scores[m], d.b)}`
    );
    if (d.a?.status !== d.b?.status) {
      scores.push(`status: ${d.a?.status ?? "absent"} → ${d.b?.status ?? "absent"}`);
    }
    return [
      `## ${d.id} (customer ${d.customerId}): ${d.question}`,
      `  ${scores.join("   ")}`,
      `  A:`,
      indent(answerText(d.a)),
      `  B:`,
      indent(answerText(d.b)),
    ].join("\n");
  }).join("\n\n");
}
