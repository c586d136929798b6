/**
 * The Evaluate stage on screen, built on `lib/display`: a progress callback that shows a
 * live-updating bar in a notebook (one output replaced in place) or on a terminal, and a chart
 * of the means per kind of metric with their 95% intervals as error bars (judges on 1–5, text
 * metrics on 0–1, never mixed on one axis).
 *
 * @module
 */
import { type Chart, progress, type ProgressOptions } from "../display/mod.ts";
import { meansPanels } from "./chart.ts";
import type { EvalProgress } from "./runner.ts";
import type { EvaluatorKind, RunSummary } from "./types.ts";

function clock(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${String(Math.floor(s / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
}

/** A progress display for a run: pass `onProgress` to the runner, await `finish()` after it. */
export interface ProgressDisplay {
  onProgress(progress: EvalProgress): void;
  /** Shows the final line: rows ok, failed, retries and the time taken. */
  finish(): Promise<void>;
}

/**
 * Show a run's progress: a bar replaced in place in a notebook, redrawn on a terminal, and only
 * the final line in a log.
 *
 * @example
 * ```ts ignore
 * const bar = progressDisplay("Evaluating test.jsonl");
 * const run = await evaluateToRunDir({ ...options, onProgress: bar.onProgress });
 * await bar.finish();
 * ```
 */
export function progressDisplay(
  label = "Evaluating",
  options: ProgressOptions = {},
): ProgressDisplay {
  const bar = progress(label, options);
  let last: EvalProgress | undefined;
  return {
    onProgress(p) {
      last = p;
      void bar.update(p.done, p.total);
    },
    async finish() {
      if (!last) return await bar.done();
      await bar.update(last.done, last.total);
      const resumed = last.resumed ? ` (${last.resumed} resumed)` : "";
      await bar.done(
        `${last.ok} ok${resumed} · ${last.failed} failed · ${last.retries} retries · ${
          clock(last.elapsedMs)
        }`,
      );
    },
  };
}

/**
 * A bar chart of the means of one kind of metric, on that kind's scale, each with its 95%
 * interval as an error bar; metrics without scores (skipped, or all missing) are left out
 * rather than drawn as zero.
 *
 * @example
 * ```ts ignore
 * meansChart(run.summary, "text"); // displays in a notebook cell, prints bars in a terminal
 * ```
 */
export function meansChart(
  summary: Pick<RunSummary, "metrics" | "name">,
  kind: EvaluatorKind,
  options: { title?: string } = {},
): Chart {
  const metrics = summary.metrics.filter((m) => m.kind === kind);
  return meansPanels([{ label: summary.name, metrics }], { title: options.title ?? summary.name });
}
