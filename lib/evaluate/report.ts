/**
 * The run's `report.md`: what was run (with its fingerprint), the means with their 95%
 * bootstrap intervals, which judges were skipped and why, the
 * failed rows with their errors, every missing score with the judge's raw reply, and the
 * per-row table. Written for a person reading a CI artifact or a pull-request comment.
 *
 * @module
 */
import type { GateResult } from "./gate.ts";
import type { RowResult, RunSummary } from "./types.ts";
import {
  type Cell,
  formatValue,
  groupSkipped,
  intentRows,
  resultRows,
  summaryRows,
  truncate,
} from "./present.ts";

/** Render records as a Markdown table (columns from the first record). */
export function markdownTable(rows: readonly Record<string, Cell>[]): string {
  if (rows.length === 0) return "_(none)_\n";
  const columns = Object.keys(rows[0]);
  const cell = (v: Cell) => String(v ?? "").replace(/\|/g, "\\|").replace(/\n/g, " ");
  return [
    `| ${columns.join(" | ")} |`,
    `| ${columns.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${columns.map((c) => cell(r[c])).join(" | ")} |`),
  ].join("\n") + "\n";
}

/**
 * Write the Markdown report of a run.
 *
 * @example
 * ```ts ignore
 * await Deno.writeTextFile(join(dir, "report.md"), renderReport(summary, results));
 * ```
 */
export function renderReport(
  summary: RunSummary,
  results: readonly RowResult[],
  options: { chart?: boolean } = {},
): string {
  const out: string[] = [];
  out.push(`# Evaluation report: ${summary.name}\n`);
  out.push(
    markdownTable([
      { item: "dataset", value: summary.dataset },
      { item: "chat prompt", value: summary.prompt ?? "default (prompts/chat.prompty)" },
      { item: "judge model", value: summary.judgeModel ?? "none (AI judges skipped)" },
      { item: "fingerprint", value: summary.fingerprintId ?? "unknown (older run)" },
      {
        item: "rows",
        value: `${summary.rows.total} total, ${summary.rows.ok} ok, ${summary.rows.failed} failed` +
          (summary.rows.pending ? `, ${summary.rows.pending} not run (interrupted)` : ""),
      },
      // The set's rows were cut to fit a model allowance; the reason says how many and why.
      ...(summary.subset ? [{ item: "subset", value: summary.subset.reason }] : []),
      { item: "retries", value: summary.retries },
      { item: "concurrency", value: summary.concurrency },
      { item: "started", value: summary.startedAt },
      { item: "finished", value: summary.finishedAt },
    ]),
  );
  if (!summary.complete) {
    out.push(
      `> **Incomplete run.** ${summary.rows.pending} rows have no result yet; ` +
        "resume with `deno task eval --resume <this directory>`.\n",
    );
  }

  out.push(`## Means\n`);
  out.push(markdownTable(summaryRows(summary)));
  // A CI job summary cannot show the run directory's chart.svg: `chart: false` leaves it out.
  if (options.chart !== false) out.push(`\n![Metric means](chart.svg)\n`);

  if (summary.skipped.length > 0) {
    out.push(`## Skipped evaluators\n`);
    for (const g of groupSkipped(summary.skipped)) {
      out.push(`- ${g.names.map((n) => `**${n}**`).join(", ")}: ${g.reason}`);
    }
    out.push("");
  }

  const failed = results.filter((r) => r.status === "failed");
  if (failed.length > 0) {
    out.push(`## Failed rows\n`);
    out.push(markdownTable(failed.map((r) => ({
      id: r.id,
      question: truncate(r.question, 60),
      error: r.error?.message ?? "",
      status: r.error?.status ?? null,
      retries: r.retries,
    }))));
  }

  const missing = results.flatMap((r) =>
    Object.entries(r.scores).flatMap(([metric, s]) =>
      // a metric that does not apply to the row is not a missing score
      s.value === null && s.applicable !== false
        ? [{ id: r.id, metric, reason: s.reason, reply: truncate(s.raw ?? "", 60) }]
        : []
    )
  );
  if (missing.length > 0) {
    out.push(`## Missing scores\n`);
    out.push(markdownTable(missing));
  }

  if (new Set(results.map((r) => r.intent)).size > 1) {
    out.push(`## Means by intent\n`);
    out.push(markdownTable(intentRows(results, summary.metrics)));
  }

  out.push(`## Rows\n`);
  out.push(markdownTable(resultRows(results, summary.metrics, { questionWidth: 60 })));
  out.push(
    `\n_Means are over rows with a score; a missing score is never counted as a number. ` +
      `Judges score 1–5, text metrics 0–1. The 95% interval is a percentile bootstrap of the ` +
      `mean (2,000 resamples, seeded); with ~30 rows a difference smaller than it is noise. ` +
      `Wall time ${formatValue(summary.wallMs / 1000)} s._\n`,
  );
  return out.join("\n");
}

/**
 * The gate's verdict in Markdown, for a CI job summary (`deno task eval --markdown FILE`): a
 * heading that says passed or failed, then one row per check with its evidence. A run that
 * answered no row fails, as `deno task eval` exits 1 for it.
 *
 * @example
 * ```ts ignore
 * const md = renderGateSummary(checkGate(summary, { thresholds })) + renderReport(summary, results);
 * ```
 */
export function renderGateSummary(gate: GateResult): string {
  const passed = gate.passed && gate.rows.answered > 0;
  const { total, answered, failed } = gate.rows;
  return [
    `## Evaluation gate: ${passed ? "passed" : "failed"}\n`,
    `${answered} of ${total} rows answered, ${failed} failed` +
    (answered === 0 ? " (no row was answered, so nothing was evaluated)" : "") + ".\n",
    markdownTable(gate.checks.map((c) => ({
      check: c.text,
      result: c.passed ? "PASS" : `FAIL${c.reason ? `: ${c.reason}` : ""}`,
    }))),
  ].join("\n");
}
