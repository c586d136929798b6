/**
 * Types of the Evaluate stage: a dataset row, an evaluator and its score, one row's result
 * as written to `results.jsonl`, and the summary of a run. Everything here is plain JSON so a
 * run directory can be read back (resume, compare) without the code that wrote it.
 *
 * @module
 */
import type { ChatTurn, ContextItem } from "../chat/types.ts";
import type { RetryInfo } from "../models/retry.ts";
import type { TokenUsage } from "../models/types.ts";
import type { RunFingerprint } from "./fingerprint.ts";

// The model client's types, re-exported for evaluators written against this module.
export type { RetryInfo } from "../models/retry.ts";
export type { TokenUsage } from "../models/types.ts";

/**
 * A row of an evaluation set (`data/eval/*.jsonl`) as its file states it, once checked
 * (`checkEvalRow`, which seeding's scan and {@link EvalCase} share).
 */
export interface EvalRow {
  customerId: string;
  question: string;
  chatHistory: ChatTurn[];
  intent?: string;
  /** The reference answer (absent when blank); text metrics that need it are missing without it. */
  truth?: string;
}

/** A row of a loaded evaluation set: the row, plus its place in the set and its fingerprint. */
export interface EvalCase extends EvalRow {
  /** Stable id within the set (`row-0001` from the line order unless the file gives one). */
  id: string;
  /** 0-based position in the file. */
  index: number;
  /** Short hash of the row's content, so a resumed run notices a changed dataset. */
  fingerprint: string;
}

/** What an evaluator sees: the row and the pipeline's answer. */
export interface EvalInput {
  row: EvalCase;
  question: string;
  answer: string;
  context: ContextItem[];
  /**
   * The context as one text, as judges and lexical groundedness read it: every item's id,
   * title and content, then the labelled {@link EvalInput.orders} block when there is one.
   */
  contextText: string;
  truth?: string;
  /** The customer's orders: `Orders of the customer:` then one line per order. */
  orders?: string;
  /** Wall time of the pipeline call that produced the answer. */
  latencyMs?: number;
  /** Tokens the models reported for the pipeline call (absent when none reported usage). */
  usage?: TokenUsage;
}

/** Per-call options of {@link Evaluator.evaluate}. */
export interface EvaluateOptions {
  signal?: AbortSignal;
  /** Called on each retry of a model call the evaluator makes (judges pass it to the model). */
  onRetry?: (info: RetryInfo) => void;
}

/** A score, or why there is none. A missing score is never counted as a number. */
export type EvalScore =
  | { value: number; raw?: string }
  | {
    value: null;
    /** Why it is missing: "unparseable reply", "no reference answer", the error message. */
    reason: string;
    /** The judge's raw reply, when it gave one. */
    raw?: string;
    /**
     * `false` when the metric does not apply to the row (no reference answer, not an
     * unanswerable question): the gate does not require a score there, while a judge that
     * failed or replied unparseably is missing evidence and counts against the metric.
     */
    applicable?: false;
  };

/**
 * How an evaluator scores: an AI judge (needs a real model), a text metric against the
 * reference or the context (offline), or a code metric computed from the answer and the call
 * itself (latency, length, citations, tokens, cost; offline).
 */
export type EvaluatorKind = "judge" | "text" | "code";

/** One evaluator. Write your own as an object literal. */
export interface Evaluator {
  /** Metric name, used as the column name and in `--min name=value`. */
  readonly name: string;
  readonly kind: EvaluatorKind;
  readonly description: string;
  /** Range of the score: `[1, 5]` for judges, `[0, 1]` for text metrics. */
  readonly range: readonly [number, number];
  /** Whether a larger score is better (default) or worse (latency, tokens, cost, leaks). */
  readonly direction?: "higher" | "lower";
  /**
   * Whether the evaluator scores this row at all (default: every row). A judge that does not
   * apply makes no model call, so the allowance planner does not count one.
   */
  appliesTo?(row: EvalCase): boolean;
  evaluate(input: EvalInput, options?: EvaluateOptions): Promise<EvalScore>;
}

/** An evaluator that was asked for but cannot run, and why. */
export interface SkippedEvaluator {
  name: string;
  kind: EvaluatorKind;
  reason: string;
}

/** The error of a failed row, as recorded. */
export interface RowError {
  message: string;
  name: string;
  status?: number;
  service?: string;
}

/** One line of `results.jsonl`. */
export interface RowResult {
  id: string;
  index: number;
  fingerprint: string;
  status: "ok" | "failed";
  customerId: string;
  question: string;
  intent?: string;
  truth?: string;
  answer?: string;
  context?: ContextItem[];
  /** Scores by metric name (absent for a failed row). */
  scores: Record<string, EvalScore>;
  /** Retries the model client spent on this row (pipeline and judge calls together). */
  retries: number;
  durationMs: number;
  /** Wall time of the pipeline call (absent for a failed row). */
  latencyMs?: number;
  /** Tokens the pipeline's model calls reported. */
  usage?: TokenUsage;
  error?: RowError;
}

/** Aggregate of one metric over the rows that were scored. */
export interface MetricSummary {
  name: string;
  kind: EvaluatorKind;
  range: readonly [number, number];
  /** Mean of the present scores; `null` when no row has a score. */
  mean: number | null;
  /** Rows with a score. */
  count: number;
  /** Answered rows without one the metric applies to (unparseable reply, judge error). */
  missing: number;
  /** Answered rows the metric does not apply to (`applicable: false`); absent when none. */
  notApplicable?: number;
  min: number | null;
  max: number | null;
  /** 95% bootstrap interval of the mean (see `stats.ts`); absent with fewer than two scores. */
  interval?: { low: number; high: number; level: 0.95; method: "bootstrap" };
  /** Whether a larger mean is better; absent means "higher". */
  direction?: "higher" | "lower";
}

/** `summary.json` of a run. */
export interface RunSummary {
  name: string;
  startedAt: string;
  finishedAt: string;
  /** Whether every row of the set has a result (false after an interruption). */
  complete: boolean;
  dataset: string;
  prompt?: string;
  judgeModel?: string;
  concurrency: number;
  rows: { total: number; ok: number; failed: number; pending: number };
  retries: number;
  /** What was run: data, prompts, models, evaluators, parameters (see `fingerprint.ts`). */
  fingerprint?: RunFingerprint;
  /** Short hash of {@link RunSummary.fingerprint}, for tables. */
  fingerprintId?: string;
  metrics: MetricSummary[];
  skipped: SkippedEvaluator[];
  /** The run evaluated only part of the set (to fit a model allowance): of how many, and why. */
  subset?: { of: number; reason: string };
  /** Wall time of the run's work in this process (excludes earlier sessions of a resumed run). */
  wallMs: number;
}
