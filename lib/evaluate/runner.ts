/**
 * The evaluation runner: dataset rows → the chat pipeline → the evaluators, with bounded
 * concurrency and a failed row recorded with its error while the run goes on. It never
 * retries: the model client's bounded retries (`MODEL_MAX_RETRIES`, honouring `Retry-After`)
 * are the only ones, and every one of them is counted through the per-call `onRetry`, per row
 * and for the run. With a customer lookup, the evaluators also see the customer's orders (the
 * pipeline answers from them too). Results leave through `onResult` one row at a time (the
 * run directory appends them), and progress through `onProgress`. Rows listed in `completed`
 * are skipped, which is how an interrupted run resumes. An error the caller names in `stopOn`
 * (an exhausted model allowance) stops the whole run, resumably, instead of failing every row
 * that follows.
 *
 * @module
 */
import type { ChatPipeline, ChatResponse, ContextItem } from "../chat/types.ts";
import type { Customer, CustomerStore, Order } from "../customers/types.ts";
import { UpstreamError } from "../errors.ts";
import type {
  EvalCase,
  EvalInput,
  EvalScore,
  Evaluator,
  RetryInfo,
  RowError,
  RowResult,
  TokenUsage,
} from "./types.ts";
import { forEachConcurrent } from "../async/pool.ts";

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

/** Options of {@link runEvaluation}. */
export interface RunEvaluationOptions {
  pipeline: Pick<ChatPipeline, "getResponse">;
  evaluators: readonly Evaluator[];
  /**
   * Where the evaluators' copy of the customer's orders comes from (the runtime's store; for
   * a `--target` run, the local data, which holds the same customers the endpoint serves).
   * Without it the evaluators see the documentation only.
   */
  customers?: Pick<CustomerStore, "get">;
  /** Rows in flight at once (default 4). Judges of one row run side by side. */
  concurrency?: number;
  /** Results of an earlier session: rows that succeeded on unchanged content are skipped. */
  completed?: readonly RowResult[];
  onResult?: (result: RowResult) => void | Promise<void>;
  onProgress?: (progress: EvalProgress) => void;
  /** Abort to stop: no new rows start, rows in flight are cancelled and not recorded. */
  signal?: AbortSignal;
  /**
   * Errors that stop the whole run instead of failing one row (an exhausted model allowance):
   * the row that hit it and the rows in flight are not recorded, so a resume runs them again.
   */
  stopOn?: (error: unknown) => boolean;
}

/** What {@link runEvaluation} returns. */
export interface RunEvaluationResult {
  /** Results of this session, in completion order. */
  results: RowResult[];
  /** Retries the model client spent in this session (pipeline and judges). */
  retries: number;
  wallMs: number;
  /** True when the signal (or a {@link RunEvaluationOptions.stopOn} error) stopped the run early. */
  interrupted: boolean;
  /** The error that stopped the run ({@link RunEvaluationOptions.stopOn}), if one did. */
  stoppedBy?: unknown;
}

/** Default rows in flight. */
export const DEFAULT_CONCURRENCY = 4;

/** The label that starts the orders block of a judge's context. */
export const ORDERS_LABEL = "Orders of the customer:";

/** One order as a line of the orders block. */
function orderLine(order: Partial<Order>): string {
  const parts = [
    `product ${order.productId ?? "?"}`,
    `quantity ${order.quantity ?? "?"}`,
    ...(order.date ? [`ordered ${order.date}`] : []),
    ...(order.total !== undefined ? [`total ${order.total}`] : []),
  ];
  return `- ${order.name ?? "(unnamed)"} (${parts.join(", ")})`;
}

/**
 * The customer's orders as judges read them: `Orders of the customer:` then one line per
 * order (name, product id, quantity, date, total), or `none` when there are none.
 *
 * @example
 * ```ts
 * import { ordersText } from "./runner.ts";
 * const text = ordersText([{ name: "TrailMaster X4 Tent", productId: 1, quantity: 2, date: "2023-01-05" }]);
 * console.assert(text.startsWith("Orders of the customer:\n- TrailMaster X4 Tent (product 1"));
 * ```
 */
export function ordersText(orders: readonly Partial<Order>[]): string {
  if (orders.length === 0) return `${ORDERS_LABEL} none`;
  return [ORDERS_LABEL, ...orders.map(orderLine)].join("\n");
}

/**
 * The context as judges read it: one block per item, then the labelled orders block when
 * there is one.
 */
export function contextText(context: readonly ContextItem[], orders?: string): string {
  const docs = context.map((c) => `[${c.id}] ${c.title}\n${c.content}`);
  return [...docs, ...(orders ? [orders] : [])].join("\n\n");
}

/** What {@link evalInput} may add beyond the pipeline's answer. */
export interface EvalInputExtras {
  /** The customer's orders block ({@link ordersText}). */
  orders?: string;
  latencyMs?: number;
  usage?: TokenUsage;
}

/** Make the evaluator input for a row and the pipeline's response. */
export function evalInput(
  row: EvalCase,
  response: Pick<ChatResponse, "answer" | "context"> & { usage?: TokenUsage },
  extras: EvalInputExtras = {},
): EvalInput {
  const usage = extras.usage ?? response.usage;
  return {
    row,
    question: row.question,
    answer: response.answer,
    context: response.context,
    contextText: contextText(response.context, extras.orders),
    truth: row.truth,
    ...(extras.orders !== undefined ? { orders: extras.orders } : {}),
    ...(extras.latencyMs !== undefined ? { latencyMs: extras.latencyMs } : {}),
    ...(usage ? { usage } : {}),
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
 * Score one answer with every evaluator (side by side). An evaluator that throws gives a
 * missing score with the error as the reason; the others are unaffected. Nothing is retried
 * here: a judge's model client retries, and reports each retry through `onRetry`.
 */
export async function scoreAnswer(
  input: EvalInput,
  evaluators: readonly Evaluator[],
  options: {
    signal?: AbortSignal;
    onRetry?: (info: RetryInfo) => void;
    /** Errors rethrown instead of becoming a missing score (they stop the run). */
    stopOn?: (error: unknown) => boolean;
  } = {},
): Promise<Record<string, EvalScore>> {
  const scores = await Promise.all(evaluators.map(async (evaluator): Promise<EvalScore> => {
    try {
      return await evaluator.evaluate(input, { signal: options.signal, onRetry: options.onRetry });
    } catch (error) {
      if (options.signal?.aborted || options.stopOn?.(error)) throw error;
      return { value: null, reason: `error: ${rowError(error).message}` };
    }
  }));
  return Object.fromEntries(evaluators.map((e, i) => [e.name, scores[i]]));
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
  // A stopping error aborts this controller: no new row starts, rows in flight are cancelled.
  const stopper = new AbortController();
  let stoppedBy: unknown;
  const signal = options.signal
    ? AbortSignal.any([options.signal, stopper.signal])
    : stopper.signal;
  const stop = (error: unknown) => {
    stoppedBy ??= error;
    stopper.abort(error);
  };
  const rowOptions = { ...options, signal, stop };
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

  const orders = ordersLookup(options.customers, signal);
  await forEachConcurrent(todo, options.concurrency ?? DEFAULT_CONCURRENCY, async (row) => {
    const result = await evaluateRow(row, rowOptions, orders, () => retries++);
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
    ...(stoppedBy !== undefined ? { stoppedBy } : {}),
  };
}

/** Orders blocks by customer id, looked up once per run; an unknown customer has none. */
function ordersLookup(
  customers: Pick<CustomerStore, "get"> | undefined,
  signal?: AbortSignal,
): (customerId: string) => Promise<string | undefined> {
  const cache = new Map<string, Promise<string | undefined>>();
  return (customerId) => {
    if (!customers) return Promise.resolve(undefined);
    let found = cache.get(customerId);
    if (!found) {
      found = customers.get(customerId, { signal }).then(
        (c: Customer) => ordersText(Array.isArray(c.orders) ? c.orders : []),
        () => undefined, // the pipeline's own lookup decides whether the row fails
      );
      cache.set(customerId, found);
    }
    return found;
  };
}

async function evaluateRow(
  row: EvalCase,
  options: RunEvaluationOptions & { stop: (error: unknown) => void },
  orders: (customerId: string) => Promise<string | undefined>,
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
  let latencyMs: number;
  try {
    // One call: the model client retries inside it; the runner never repeats it.
    response = await options.pipeline.getResponse({
      customerId: row.customerId,
      question: row.question,
      chatHistory: row.chatHistory,
      signal,
      onRetry: countRetry,
    });
    latencyMs = Math.round(performance.now() - started);
  } catch (error) {
    if (options.stopOn?.(error)) options.stop(error);
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
    const input = evalInput(row, response, {
      orders: await orders(row.customerId),
      latencyMs,
    });
    scores = await scoreAnswer(input, options.evaluators, {
      signal,
      onRetry: countRetry,
      stopOn: options.stopOn,
    });
  } catch (error) {
    if (options.stopOn?.(error)) options.stop(error);
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
    latencyMs,
    ...(response.usage ? { usage: response.usage } : {}),
  };
}
