/**
 * Small statistics and formatting helpers shared by the benchmarks: percentiles, the median,
 * and the one-line "figure, goal, verdict" rows that `deno task bench` prints.
 *
 * @module
 */

/** The `p`-th percentile (0-100) of `values`, nearest rank; NaN for an empty list. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** The median of `values` (the mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** How a figure is compared with its goal: at most, strictly below, at least, or no goal. */
export type GoalKind = "max" | "below" | "min" | "none";

/** One row of the benchmark table. */
export interface FigureRow {
  benchmark: string;
  figure: string;
  value: number;
  unit: string;
  /** The goal's bound; undefined when the figure is context only (a baseline, a ratio). */
  goal?: number;
  /** "max": the value must be at most the goal; "below": under it; "min": at least. */
  kind: GoalKind;
  /** A short note shown after the verdict (conditions, caveats). */
  note?: string;
}

/** True when a row meets its goal (rows without a goal always pass). */
export function meetsGoal(row: FigureRow): boolean {
  if (row.goal === undefined || row.kind === "none") return true;
  if (row.kind === "max") return row.value <= row.goal;
  if (row.kind === "below") return row.value < row.goal;
  return row.value >= row.goal;
}

/** Format a number with a sensible number of decimals for its size. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 100 || Number.isInteger(value)) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toFixed(3);
}

const SYMBOL: Record<GoalKind, string> = { max: "≤", below: "<", min: "≥", none: "" };

/** The table `deno task bench` prints: one row per figure, with its goal and verdict. */
export function formatTable(rows: readonly FigureRow[]): string {
  const cells = rows.map((r) => [
    r.benchmark,
    r.figure,
    `${formatNumber(r.value)}${r.unit ? ` ${r.unit}` : ""}`,
    r.goal === undefined
      ? ""
      : `${SYMBOL[r.kind]} ${formatNumber(r.goal)}${r.unit ? ` ${r.unit}` : ""}`,
    r.goal === undefined ? "" : meetsGoal(r) ? "PASS" : "MISS",
    r.note ?? "",
  ]);
  const header = ["benchmark", "figure", "measured", "goal", "", "note"];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((v, i) => v.padEnd(widths[i])).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
}

/** A deterministic pseudo-random generator (mulberry32): the same seed, the same sequence. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
