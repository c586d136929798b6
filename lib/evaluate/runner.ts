/**
 * The evaluation runner: dataset rows → the chat pipeline → the evaluators, with bounded
 * concurrency, bounded rate-limit-aware retries (429 and 5xx, honouring `Retry-After`), and
 * a failed row recorded with its error while the run goes on. Results leave through
 * `onResult` one row at a time (the run directory appends them), and progress through
 * `onProgress` (a terminal bar, a notebook line). Rows listed in `completed` are skipped,
 * which is how an interrupted run resumes.
 *
 * @module
 */
import type { ChatPipeline, ChatResponse, ContextItem } from "../chat/types.ts";
import { UpstreamError } from "../errors.ts";
import { withRetry } from "../models/retry.ts";
import type { EvalCase, EvalInput, EvalScore, Evaluator, RowError, RowResult } from "./types.ts";
import { forEachConcurrent } from "./pool.ts";

/** Progress of a run, sent after every row (and once at the start). */
export interface EvalProgress {
  /** Rows in the set. */
  total: number;
  /** Rows with a result, including those carried over from an earlier session. */
  done: number;
  ok: number;
  failed: number;
  /** Rows carried over from an earlier session of a resumed run. */
  resumed: number;
  /** Retries spent so far in this session. */
  retries: number;
  elapsedMs: number;
  /** Estimated time to finish, once a row has finished in this session. */
  etaMs?: number;
  /** The row that just finished. */
  last?: RowResult;
}

/** Retry policy of pipeline and judge calls. */
export interface EvalRetryOptions {
  /** Retries after the first attempt of each call (default 3). */
  maxRetries?: number;
  /** First backoff delay when the upstream gives no `Retry-After` (default 1000 ms). */
  baseDelayMs?: number;
  /** Cap of any one delay, `Retry-After` included (default 30 s). */
  maxDelayMs?: number;
  /** Injected by tests to skip real waiting. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Options of {@link runEvaluation}. */
export interface RunEvaluationOptions {
  pipeline: Pick<ChatPipeline, "getResponse">;
  evaluators: readonly Evaluator[];
  /** Rows in flight at once (default 4). Judges of one row run side by side. */
  concurrency?: number;
  retry?: EvalRetryOptions;
  /** Results of an earlier session: rows that succeeded on unchanged content are skipped. */
  completed?: readonly RowResult[];
  onResult?: (result: RowResult) => void | Promise<void>;
  onProgress?: (progress: EvalProgress) => void;
  /** Abort to stop: no new rows start, rows in flight are cancelled and not recorded. */
  signal?: AbortSignal;
}

/** What {@link runEvaluation} returns. */
export interface RunEvaluationResult {
  /** Results of this session, in completion order. */
  results: RowResult[];
  retries: number;
  wallMs: number;
  /** True when the signal stopped the run before every row had a result. */
  interrupted: boolean;
}

/** Default rows in flight. */
export const DEFAULT_CONCURRENCY = 4;

/** The context as judges read it: one block per item. */
export function contextText(context: readonly ContextItem[]): string {
  return context.map((c) => `[${c.id}] ${c.title}\n${c.content}`).join("\n\n");
}

/** Make the evaluator input for a row and the pipeline's response. */
export function evalInput(
  row: EvalCase,
  response: Pick<ChatResponse, "answer" | "context">,
): EvalInput {
  return {
    row,
    question: row.question,
    answer: response.answer,
    context: response.context,
    contextText: contextText(response.context),
    truth: row.truth,
  };
}

/** Record of an error, safe to write to JSON. */
export function rowError(error: unknown): RowError {
  if (error instanceof UpstreamError) {
    return {
      name: error.name,
      message: error.message,
      status: error.status,
      service: error.service,
    };
  }
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: "Error", message: String(error) };
}

/**
 * Score one answer with every evaluator (side by side). An evaluator that throws after its
 * retries gives a missing score with the error as the reason; the others are unaffected.
 */
export async function scoreAnswer(
  input: EvalInput,
  evaluators: readonly Evaluator[],
  options: { retry?: EvalRetryOptions; signal?: AbortSignal; onRetry?: () => void } = {},
): Promise<Record<string, EvalScore>> {
  const scores = await Promise.all(evaluators.map(async (evaluator): Promise<EvalScore> => {
    try {
      return await withRetry(
        () => evaluator.evaluate(input, { signal: options.signal }),
        retryPolicy(options.retry, options.signal, options.onRetry),
      );
    } catch (error) {
      if (options.signal?.aborted) throw error;
      return { value: null, reason: `error: ${rowError(error).message}` };
    }
  }));
  return Object.fromEntries(evaluators.map((e, i) => [e.name, scores[i]]));
}

function retryPolicy(retry: EvalRetryOptions = {}, signal?: AbortSignal, onRetry?: () => void) {
  return {
    maxRetries: retry.maxRetries ?? 3,
    baseDelayMs: retry.baseDelayMs ?? 1000,
    maxDelayMs: retry.maxDelayMs ?? 30_000,
    sleep: retry.sleep,
    signal,
    onRetry,
  };
}

/**
 * Evaluate rows: ask the pipeline, score the answer, report each row as it finishes.
 *
 * @example
 * ```ts ignore
 * const { results } = await runEvaluation(rows, {
 *   pipeline: runtime.pipeline,
 *   evaluators: textEvaluators(),
 *   onProgress: (p) => console.log(`${p.done}/${p.total}`),
 * });
 * ```
 */
export async function runEvaluation(
  rows: readonly EvalCase[],
  options: RunEvaluationOptions,
): Promise<RunEvaluationResult> {
  const started = performance.now();
  const signal = options.signal;
  const previous = new Map((options.completed ?? []).map((r) => [r.id, r]));
  // A row is done when it succeeded on the same content; failed or changed rows run again.
  const isDone = (r: EvalCase) => {
    const before = previous.get(r.id);
    return before?.status === "ok" && before.fingerprint === r.fingerprint;
  };
  const carried = rows.filter(isDone);
  const todo = rows.filter((r) => !isDone(r));
  const results: RowResult[] = [];
  let retries = 0;
  let ok = carried.length;
  let failed = 0;
  const progress = (last?: RowResult) => {
    const elapsedMs = performance.now() - started;
    const finished = results.length;
    options.onProgress?.({
      total: rows.length,
      done: carried.length + finished,
      ok,
      failed,
      resumed: carried.length,
      retries,
      elapsedMs,
      etaMs: finished > 0 ? (elapsedMs / finished) * (todo.length - finished) : undefined,
      last,
    });
  };
  progress();

  await forEachConcurrent(todo, options.concurrency ?? DEFAULT_CONCURRENCY, async (row) => {
    const result = await evaluateRow(row, options, () => retries++);
    if (!result) return; // cancelled: not recorded, so a resume runs it again
    // A row counts as done once it is written, so progress never runs ahead of the file.
    await options.onResult?.(result);
    results.push(result);
    if (result.status === "ok") ok++;
    else failed++;
    progress(result);
  }, { signal });

  return {
    results,
    retries,
    wallMs: performance.now() - started,
    interrupted: results.length < todo.length,
  };
}

async function evaluateRow(
  row: EvalCase,
  options: RunEvaluationOptions,
  onRetry: () => void,
): Promise<RowResult | undefined> {
  const started = performance.now();
  const signal = options.signal;
  let retries = 0;
  const countRetry = () => {
    retries++;
    onRetry();
  };
  const base = {
    id: row.id,
    index: row.index,
    fingerprint: row.fingerprint,
    customerId: row.customerId,
    question: row.question,
    intent: row.intent,
    truth: row.truth,
  };
  let response: ChatResponse;
  try {
    response = await withRetry(
      () =>
        options.pipeline.getResponse({
          customerId: row.customerId,
          question: row.question,
          chatHistory: row.chatHistory,
          signal,
        }),
      retryPolicy(options.retry, signal, countRetry),
    );
  } catch (error) {
    if (signal?.aborted) return undefined;
    return {
      ...base,
      status: "failed",
      scores: {},
      retries,
      durationMs: Math.round(performance.now() - started),
      error: rowError(error),
    };
  }
  let scores: Record<string, EvalScore>;
  try {
    scores = await scoreAnswer(evalInput(row, response), options.evaluators, {
      retry: options.retry,
      signal,
      onRetry: countRetry,
    });
  } catch (error) {
    if (signal?.aborted) return undefined;
    throw error;
  }
  return {
    ...base,
    status: "ok",
    answer: response.answer,
    context: response.context,
    scores,
    retries,
    durationMs: Math.round(performance.now() - started),
  };
}
