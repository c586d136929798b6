/**
 * The quality gate of an evaluation run, as `deno task eval` applies it in CI. A failed row
 * counts against every metric: it is a missing score, so a metric's n is out of every row of
 * the set, and `--max-failed N|P%` (default 0) fails the run when more rows failed. A metric
 * with fewer scores than `--min-scored` (default: every answered row the metric applies to —
 * a row without a reference answer is not asked of F1) fails, so judges whose replies could
 * not be parsed cannot pass on the few they scored; and `--min metric=value`
 * checks the mean. The gate's lines say rows answered and failed and n per metric, so the
 * verdict shows its evidence.
 *
 * @module
 */
import type { RowResult, RunSummary } from "./types.ts";
import { checkThresholds, type Threshold } from "./summary.ts";

/** `--max-failed`: a number of rows, or a share of the set's rows. */
export type MaxFailed = { rows: number } | { percent: number };

/** Options of {@link checkGate}. */
export interface GateOptions {
  /** `--min metric=value` thresholds. */
  thresholds?: readonly Threshold[];
  /** Most failed rows allowed (default `{ rows: 0 }`). */
  maxFailed?: MaxFailed;
  /** Fewest scores a gated metric needs (default: every answered row it applies to). */
  minScored?: number;
  /**
   * The run's results, to tell rows a metric does not apply to (`applicable: false`) from
   * missing evidence. Without them every answered row needs a score.
   */
  results?: readonly RowResult[];
}

/** One check of the gate. */
export interface GateCheck {
  /** `failed rows`, or the metric name. */
  name: string;
  passed: boolean;
  /** One line, e.g. `groundedness >= 3: mean 3.40, n 21 of 32 (11 failed rows)`. */
  text: string;
  /** Why it failed. */
  reason?: string;
}

/** The gate's verdict and the evidence for it. */
export interface GateResult {
  passed: boolean;
  rows: { total: number; answered: number; failed: number; pending: number };
  /** n per metric: scores, out of every row of the set. */
  metrics: {
    name: string;
    n: number;
    missing: number;
    failedRows: number;
    /** Answered rows the metric does not apply to. */
    notApplicable: number;
  }[];
  checks: GateCheck[];
}

/**
 * Parse `--max-failed`: `3` (rows) or `10%` (of the set's rows). Throws `TypeError`.
 *
 * @example
 * ```ts
 * import { parseMaxFailed } from "./gate.ts";
 * console.assert("percent" in parseMaxFailed("10%"));
 * ```
 */
export function parseMaxFailed(text: string): MaxFailed {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(text);
  if (!m) {
    throw new TypeError(
      `Invalid --max-failed "${text}": expected a number of rows or a percentage, like 2 or 5%`,
    );
  }
  const value = Number(m[1]);
  if (m[2]) {
    if (value > 100) {
      throw new TypeError(`Invalid --max-failed "${text}": a percentage is at most 100%`);
    }
    return { percent: value };
  }
  if (!Number.isInteger(value)) {
    throw new TypeError(`Invalid --max-failed "${text}": a number of rows is a whole number`);
  }
  return { rows: value };
}

/** Parse `--min-scored N` (a whole number of scores). Throws `TypeError`. */
export function parseMinScored(text: string): number {
  const value = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(value)) {
    throw new TypeError(`Invalid --min-scored "${text}": expected a whole number of scores`);
  }
  return value;
}

function allowedFailures(maxFailed: MaxFailed, total: number): number {
  return "rows" in maxFailed ? maxFailed.rows : Math.floor((maxFailed.percent / 100) * total);
}

function rowsText(n: number): string {
  return `${n} row${n === 1 ? "" : "s"}`;
}

function formatMean(mean: number | null): string {
  return mean === null ? "none" : mean.toFixed(2);
}

/**
 * Check a run against the gate.
 *
 * @example
 * ```ts
 * import { checkGate } from "./gate.ts";
 * const gate = checkGate({
 *   rows: { total: 3, ok: 2, failed: 1, pending: 0 },
 *   metrics: [{ name: "f1", kind: "text", range: [0, 1], mean: 0.9, count: 2, missing: 0, min: 0.8, max: 1 }],
 *   skipped: [],
 * }, { thresholds: [{ metric: "f1", min: 0.5 }] });
 * console.assert(!gate.passed); // one row failed and --max-failed is 0 by default
 * ```
 */
export function checkGate(
  summary: Pick<RunSummary, "rows" | "metrics" | "skipped">,
  options: GateOptions = {},
): GateResult {
  const { total, ok: answered, failed, pending } = summary.rows;
  const thresholds = options.thresholds ?? [];
  const maxFailed = options.maxFailed ?? { rows: 0 };
  const checks: GateCheck[] = [];
  const notApplicable = (metric: string) =>
    (options.results ?? []).filter((r) => {
      const score = r.status === "ok" ? r.scores[metric] : undefined;
      return score?.value === null && score.applicable === false;
    }).length;

  const allowed = allowedFailures(maxFailed, total);
  const limit = "rows" in maxFailed
    ? `${maxFailed.rows}`
    : `${maxFailed.percent}% (${rowsText(allowed)})`;
  const failedOk = failed <= allowed;
  checks.push({
    name: "failed rows",
    passed: failedOk,
    text: `failed rows <= ${limit}: ${failed} of ${total}`,
    reason: failedOk ? undefined : `${rowsText(failed)} failed, at most ${allowed} allowed`,
  });

  const metrics = summary.metrics.map((m) => ({
    name: m.name,
    n: m.count,
    // every row without a score: unscored answered rows, failed rows and rows not yet run
    missing: total - m.count,
    failedRows: failed,
    notApplicable: notApplicable(m.name),
  }));

  for (const [i, t] of checkThresholds(summary, thresholds).entries()) {
    const metric = summary.metrics.find((m) => m.name === t.metric);
    const threshold = thresholds[i];
    const n = metric?.count ?? 0;
    const na = notApplicable(threshold.metric);
    const minScored = options.minScored ?? answered - na;
    const reasons: string[] = [];
    if (!t.passed) reasons.push(t.reason ?? "below the threshold");
    if (metric && n < minScored) reasons.push(`${n} scores, at least ${minScored} needed`);
    const passed = reasons.length === 0;
    const missing = total - n;
    const parts = [
      ...(failed > 0 ? [`${failed} of them failed rows`] : []),
      ...(na > 0 ? [`${na} not applicable`] : []),
    ];
    const why = missing > 0 ? ` (${[`${missing} missing`, ...parts].join(", ")})` : "";
    checks.push({
      name: threshold.metric,
      passed,
      text: `${threshold.metric} >= ${threshold.min}: mean ${
        formatMean(t.mean)
      }, n ${n} of ${total}${why}`,
      reason: passed ? undefined : reasons.join("; "),
    });
  }

  return {
    passed: checks.every((c) => c.passed),
    rows: { total, answered, failed, pending },
    metrics,
    checks,
  };
}

/**
 * The gate as terminal lines: rows answered and failed, n per metric, then one PASS/FAIL line
 * per check and the verdict.
 */
export function formatGate(gate: GateResult): string[] {
  const { total, answered, failed, pending } = gate.rows;
  const lines = [
    `Gate: ${answered} of ${total} rows answered, ${failed} failed${
      pending ? `, ${pending} not run` : ""
    }`,
  ];
  if (gate.metrics.length > 0) {
    lines.push(
      `  n per metric: ${gate.metrics.map((m) => `${m.name} ${m.n}/${total}`).join(", ")}`,
    );
  }
  for (const c of gate.checks) {
    lines.push(`${c.passed ? "PASS" : "FAIL"}  ${c.text}${c.reason ? ` — ${c.reason}` : ""}`);
  }
  lines.push(gate.passed ? "Gate passed" : "Gate failed");
  return lines;
}
