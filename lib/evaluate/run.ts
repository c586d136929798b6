/**
 * One evaluation run end to end, on disk: create (or resume) the run directory, run the rows
 * with results appended as they finish, then write `summary.json`, `report.md` and
 * `chart.svg`. The run's fingerprint (what it evaluates) is recorded in `run.json` and
 * `summary.json`; resuming a run whose fingerprint differs is refused, naming what differs,
 * unless forced. The CLI and the notebook both call {@link evaluateToRunDir}.
 *
 * @module
 */
import { basename, join } from "node:path";
import { ValidationError } from "../errors.ts";
import type { EvalCase, Evaluator, RowResult, RunSummary, SkippedEvaluator } from "./types.ts";
import {
  DEFAULT_CONCURRENCY,
  type EvalProgress,
  runEvaluation,
  type RunEvaluationOptions,
} from "./runner.ts";
import { diffFingerprints, fingerprintId, type RunFingerprint } from "./fingerprint.ts";
import {
  createRunDir,
  readManifest,
  readResults,
  resultWriter,
  type RunManifest,
  type RunSubset,
  writeManifest,
} from "./run_dir.ts";
import { summarize } from "./summary.ts";
import { renderReport } from "./report.ts";
import { metricsChart } from "./chart.ts";

/** Options of {@link evaluateToRunDir}. */
export interface EvaluateToRunDirOptions {
  rows: readonly EvalCase[];
  /** Path of the evaluation set, recorded in `run.json` and the report. */
  dataset: string;
  pipeline: RunEvaluationOptions["pipeline"];
  /** The customers' orders for the evaluators' context (see {@link RunEvaluationOptions}). */
  customers?: RunEvaluationOptions["customers"];
  evaluators: readonly Evaluator[];
  skipped?: readonly SkippedEvaluator[];
  /** Run name (default: the dataset's file name, plus the prompt's when one is given). */
  name?: string;
  /** Parent of new run directories (default `.runs/eval`). */
  runsDir?: string;
  /** Continue this run directory instead of creating one. */
  resumeDir?: string;
  prompt?: string;
  judgeModel?: string;
  concurrency?: number;
  /** What this run evaluates ({@link runFingerprint}); recorded, and checked on resume. */
  fingerprint?: RunFingerprint;
  /** Resume even when the fingerprint differs (the differences are recorded in `run.json`). */
  force?: boolean;
  onProgress?: (progress: EvalProgress) => void;
  signal?: AbortSignal;
  /** Errors that stop the run resumably instead of failing a row ({@link RunEvaluationOptions.stopOn}). */
  stopOn?: RunEvaluationOptions["stopOn"];
  /**
   * The rows are a subset of the set (chosen to fit a model allowance): recorded in `run.json`
   * so `--resume` evaluates the same rows.
   */
  subset?: RunSubset;
}

/** What {@link evaluateToRunDir} returns. */
export interface EvaluateToRunDirResult {
  dir: string;
  summary: RunSummary;
  /** The latest result of every row that has one, in dataset order. */
  results: RowResult[];
  /** Whether the signal (or a `stopOn` error) stopped the run early. */
  interrupted: boolean;
  /** The error that stopped the run, when a `stopOn` error did. */
  stoppedBy?: unknown;
}

/** The default run name: `test` for `data/eval/test.jsonl`, `test-chat_v2` with a prompt. */
export function defaultRunName(dataset: string, prompt?: string): string {
  const data = basename(dataset).replace(/\.jsonl?$/, "");
  return prompt ? `${data}-${basename(prompt).replace(/\.prompty$/, "")}` : data;
}

/**
 * Evaluate rows into a run directory.
 *
 * @example
 * ```ts ignore
 * const { dir, summary } = await evaluateToRunDir({
 *   rows, dataset: "data/eval/test.jsonl", pipeline: runtime.pipeline, evaluators, skipped,
 * });
 * ```
 */
export async function evaluateToRunDir(
  options: EvaluateToRunDirOptions,
): Promise<EvaluateToRunDirResult> {
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  let dir: string;
  let manifest: RunManifest;
  let previous: RowResult[] = [];
  if (options.resumeDir) {
    dir = options.resumeDir;
    manifest = await readManifest(dir);
    if (options.fingerprint) {
      const differences = resumeDifferences(manifest, options.fingerprint);
      if (differences.length > 0) {
        if (!options.force) throw new FingerprintMismatchError(dir, differences);
        manifest.forced = [
          ...(manifest.forced ?? []),
          { at: new Date().toISOString(), fingerprint: options.fingerprint, differences },
        ];
        await writeManifest(dir, manifest);
      }
    }
    previous = await readResults(dir, { repair: true });
  } else {
    const name = options.name ?? defaultRunName(options.dataset, options.prompt);
    dir = await createRunDir(name, { root: options.runsDir });
    manifest = {
      name: basename(dir),
      createdAt: new Date().toISOString(),
      dataset: options.dataset,
      prompt: options.prompt,
      judgeModel: options.judgeModel,
      concurrency,
      evaluators: options.evaluators.map((e) => ({ name: e.name, kind: e.kind, range: e.range })),
      skipped: [...(options.skipped ?? [])],
      ...(options.subset ? { subset: options.subset } : {}),
      ...(options.fingerprint
        ? { fingerprint: options.fingerprint, fingerprintId: fingerprintId(options.fingerprint) }
        : {}),
    };
    await writeManifest(dir, manifest);
  }

  const writer = resultWriter(dir);
  let session;
  try {
    session = await runEvaluation(options.rows, {
      pipeline: options.pipeline,
      customers: options.customers,
      evaluators: options.evaluators,
      concurrency,
      completed: previous,
      onResult: (r) => writer.append(r),
      onProgress: options.onProgress,
      signal: options.signal,
      stopOn: options.stopOn,
    });
  } finally {
    await writer.flush();
  }

  const ids = new Set(options.rows.map((r) => r.id));
  const latest = new Map(previous.map((r) => [r.id, r]));
  for (const r of session.results) latest.set(r.id, r);
  const results = [...latest.values()].filter((r) => ids.has(r.id)).sort((a, b) =>
    a.index - b.index
  );
  const fingerprint = options.fingerprint ?? manifest.fingerprint;
  const summarized = summarize(results, {
    name: manifest.name,
    dataset: manifest.dataset,
    totalRows: options.rows.length,
    metrics: options.evaluators.map((e) => ({
      name: e.name,
      kind: e.kind,
      range: e.range,
      direction: e.direction,
    })),
    skipped: options.skipped,
    prompt: options.prompt ?? manifest.prompt,
    judgeModel: options.judgeModel ?? manifest.judgeModel,
    concurrency,
    startedAt: manifest.createdAt,
    retries: results.reduce((n, r) => n + r.retries, 0),
    wallMs: session.wallMs,
  });
  const subset = options.subset ?? manifest.subset;
  const summary: RunSummary = {
    ...summarized,
    ...(fingerprint ? { fingerprint, fingerprintId: fingerprintId(fingerprint) } : {}),
    ...(subset ? { subset: { of: subset.of, reason: subset.reason } } : {}),
  };
  await writeRunFiles(dir, summary, results);
  return {
    dir,
    summary,
    results,
    interrupted: session.interrupted,
    ...(session.stoppedBy !== undefined ? { stoppedBy: session.stoppedBy } : {}),
  };
}

/** Resuming a run whose fingerprint differs from this session's, without `force`. */
export class FingerprintMismatchError extends ValidationError {
  override name = "FingerprintMismatchError";
  /** What differs, one phrase each ({@link diffFingerprints}). */
  readonly differences: string[];
  constructor(dir: string, differences: string[]) {
    super(
      `Cannot resume "${dir}": it was run with a different setup (${
        differences.join("; ")
      }); start a new run, or pass --force to continue it anyway`,
    );
    this.differences = differences;
  }
}

/** What differs between a run's recorded fingerprint and this session's. */
function resumeDifferences(manifest: RunManifest, fingerprint: RunFingerprint): string[] {
  if (!manifest.fingerprint) {
    return ["the run has no fingerprint (run.json was written before runs recorded one)"];
  }
  return diffFingerprints(manifest.fingerprint, fingerprint);
}

/** Write the derived files of a run: `summary.json`, `report.md`, `chart.svg`. */
export async function writeRunFiles(
  dir: string,
  summary: RunSummary,
  results: readonly RowResult[],
): Promise<void> {
  await Promise.all([
    Deno.writeTextFile(join(dir, "summary.json"), JSON.stringify(summary, null, 2) + "\n"),
    Deno.writeTextFile(join(dir, "report.md"), renderReport(summary, results)),
    Deno.writeTextFile(
      join(dir, "chart.svg"),
      metricsChart([{ label: summary.name, metrics: summary.metrics }], {
        title: `${summary.name}: mean scores`,
      }),
    ),
  ]);
}

/** Read a finished run's `summary.json`. */
export async function readSummary(dir: string): Promise<RunSummary> {
  try {
    return JSON.parse(await Deno.readTextFile(join(dir, "summary.json"))) as RunSummary;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new TypeError(`Cannot read run "${dir}": no summary.json (is it a run directory?)`);
    }
    throw new TypeError(`Cannot read run "${dir}": ${(error as Error).message}`);
  }
}
