/**
 * Every run in a runs directory at a glance (`deno task eval:summary`): each run's name,
 * date, fingerprint id, rows, and each metric's mean with its 95% interval, one row per run,
 * so a learner sees which runs are comparable (same fingerprint) and how far apart they are.
 *
 * @module
 */
import { join } from "node:path";
import { fingerprintLabel } from "./compare.ts";
import { type Cell, formatInterval, formatValue } from "./present.ts";
import type { MetricSummary, RunSummary } from "./types.ts";

/** A run found in a runs directory. */
export interface ListedRun {
  /** The run directory. */
  dir: string;
  summary: RunSummary;
}

/** What {@link readRuns} found: the runs, oldest first, and directories it could not read. */
export interface RunListing {
  runs: ListedRun[];
  unreadable: { dir: string; reason: string }[];
}

/**
 * Read the `summary.json` of every run directory under `runsDir` (oldest first). A directory
 * without one (a run that never finished a row, or something else) is listed as unreadable.
 * Throws `TypeError` when `runsDir` does not exist.
 */
export async function readRuns(runsDir: string): Promise<RunListing> {
  const runs: ListedRun[] = [];
  const unreadable: RunListing["unreadable"] = [];
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(runsDir));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new TypeError(`Cannot list runs in "${runsDir}": no such directory`);
    }
    throw error;
  }
  for (const entry of entries.filter((e) => e.isDirectory)) {
    const dir = join(runsDir, entry.name);
    try {
      const summary = JSON.parse(await Deno.readTextFile(join(dir, "summary.json")));
      if (!summary || !Array.isArray(summary.metrics) || !summary.rows) {
        throw new SyntaxError("not a run summary");
      }
      runs.push({ dir, summary: summary as RunSummary });
    } catch (error) {
      const reason = error instanceof Deno.errors.NotFound
        ? "no summary.json"
        : (error as Error).message;
      unreadable.push({ dir, reason });
    }
  }
  runs.sort((a, b) =>
    String(a.summary.startedAt).localeCompare(String(b.summary.startedAt)) ||
    a.dir.localeCompare(b.dir)
  );
  unreadable.sort((a, b) => a.dir.localeCompare(b.dir));
  return { runs, unreadable };
}

function meanCell(m: MetricSummary | undefined): string {
  if (!m) return "";
  if (m.mean === null) return "no scores";
  const mean = formatValue(m.mean, m.kind);
  return m.interval ? `${mean} ${formatInterval(m.interval, m.kind)}` : mean;
}

/**
 * One record per run: run, date, fingerprint, n (rows ok of total), then each metric's mean
 * with its 95% interval (metrics in order of first appearance; blank where a run lacks one).
 *
 * @example
 * ```ts ignore
 * console.log(textTable(runRows((await readRuns(".runs/eval")).runs)));
 * ```
 */
export function runRows(runs: readonly ListedRun[]): Record<string, Cell>[] {
  const names = [...new Set(runs.flatMap((r) => r.summary.metrics.map((m) => m.name)))];
  return runs.map(({ summary: s }) => ({
    run: s.name,
    date: String(s.startedAt ?? "").replace("T", " ").slice(0, 16),
    fingerprint: fingerprintLabel(s),
    n: `${s.rows.ok}/${s.rows.total}` + (s.rows.failed ? ` (${s.rows.failed} failed)` : ""),
    ...Object.fromEntries(names.map((n) => [n, meanCell(s.metrics.find((m) => m.name === n))])),
  }));
}
