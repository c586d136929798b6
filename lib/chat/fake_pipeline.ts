/**
 * The one fake of the chat pipeline port, for the server's tests, the evaluation's tests and
 * the benchmark. It keeps the real contract (a blank question is a `ValidationError`, an unknown
 * customer a `NotFoundError` when it is given customers, events come as `context`, `delta`*,
 * `done`) and can be slow, hang, fail before or mid-stream, or fail by script per question;
 * like the real model client, it retries a retryable scripted failure up to `maxRetries` times
 * inside one call, reporting each retry through the request's `onRetry`. It records what it
 * was asked: the requests, the calls, the sends per question and the most in flight at once.
 *
 * @module
 */
import { delay } from "../async/delay.ts";
import { retry } from "../async/retry.ts";
import type { Customer } from "../customers/types.ts";
import { NotFoundError, UpstreamError, ValidationError } from "../errors.ts";
import type { ChatEvent, ChatPipeline, ChatRequest, ChatResponse, ContextItem } from "./types.ts";

/** Options of {@link createFakePipeline}. */
export interface FakePipelineOptions {
  /**
   * The answer (Markdown): text, where `{name}` becomes the customer's first name, or a function
   * of the request. Default `Answer: <question>`.
   */
  answer?: string | ((request: ChatRequest) => string);
  /** The context every answer cites (default one product whose content names the question). */
  context?: ContextItem[];
  /** Customers it knows: another id is a `NotFoundError` (default: every id answers). */
  customers?: Customer[];
  /** Token usage of each answer (default 100 prompt and 10 completion tokens). */
  usage?: ChatResponse["usage"] | null;
  /** Model calls per request, each taking `latencyMs`. */
  modelCalls?: number;
  latencyMs?: number;
  /** Wait before returning, and before each stream event (ms), to see streaming arrive. */
  delayMs?: number;
  /** Throw this from both methods before anything is produced. */
  failWith?: () => Error;
  /** Throw `failWith` after this many stream events instead (mid-stream failure). */
  failAfterEvents?: number;
  /** Never finish (a hung upstream), until the request's signal aborts. */
  hang?: boolean;
  /** Errors to throw on successive sends of a question; `always` repeats the last forever. */
  failures?: Record<string, { errors: Error[]; always?: boolean }>;
  /** Retries of a retryable scripted failure within one call, as the model client's (default 3). */
  maxRetries?: number;
}

/** The fake: a chat pipeline that records what it was asked. */
export interface FakePipeline extends ChatPipeline {
  /** Every request, in order. */
  requests: ChatRequest[];
  /** How many of the requests' signals have aborted (cancellation reaches the pipeline). */
  aborted(): number;
  /** Pipeline calls, and the most sends in flight at once. */
  stats: { calls: number; inFlight: number; maxInFlight: number };
  /** Sends of one question, retries included. */
  callsFor(question: string): number;
}

const DEFAULT_USAGE = { promptTokens: 100, completionTokens: 10 };

/**
 * A fake chat pipeline.
 *
 * @example
 * ```ts
 * import { createFakePipeline } from "./fake_pipeline.ts";
 * const pipeline = createFakePipeline({ answer: "Hi {name}!", customers: [{
 *   id: "1", firstName: "Sarah", lastName: "Lee", age: 38, email: "s@example.com",
 *   phone: "555-0101", address: "12 Pine St", membership: "Gold", orders: [],
 * }] });
 * const res = await pipeline.getResponse({ customerId: "1", question: "Tents?" });
 * console.assert(res.answer === "Hi Sarah!");
 * ```
 */
export function createFakePipeline(options: FakePipelineOptions = {}): FakePipeline {
  const requests: ChatRequest[] = [];
  const sends = new Map<string, number>();
  const stats = { calls: 0, inFlight: 0, maxInFlight: 0 };
  const usage = options.usage === undefined ? DEFAULT_USAGE : options.usage ?? undefined;

  const prepare = (request: ChatRequest): ChatResponse => {
    requests.push(request);
    if (typeof request.question !== "string" || request.question.trim() === "") {
      throw new ValidationError("question must not be empty");
    }
    let name = "there";
    if (options.customers) {
      const customer = options.customers.find((c) => c.id === request.customerId);
      if (!customer) throw new NotFoundError("customer", request.customerId);
      name = customer.firstName;
    }
    const answer = typeof options.answer === "function"
      ? options.answer(request)
      : (options.answer ?? `Answer: ${request.question}`).replaceAll("{name}", name);
    return {
      question: request.question,
      answer,
      context: options.context ?? [{
        id: "1",
        kind: "product",
        productId: "1",
        title: "Summit Dome 2 Tent",
        url: "/products/1",
        content: `Answer ${request.question}`,
      }],
      queries: [request.question],
      timings: [],
      ...(usage ? { usage } : {}),
    };
  };

  /** The model calls: latency, then the question's scripted failure, if any. */
  const send = async (request: ChatRequest): Promise<void> => {
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    try {
      const n = sends.get(request.question) ?? 0;
      sends.set(request.question, n + 1);
      for (let i = 0; i < (options.modelCalls ?? 1); i++) {
        if (options.latencyMs) await delay(options.latencyMs, { signal: request.signal });
      }
      const script = options.failures?.[request.question];
      const error = script?.errors[n] ?? (script?.always ? script.errors.at(-1) : undefined);
      if (error) throw error;
    } finally {
      stats.inFlight--;
    }
  };

  const answer = async (request: ChatRequest): Promise<ChatResponse> => {
    if (options.failWith && options.failAfterEvents === undefined) throw options.failWith();
    stats.calls++;
    const response = prepare(request);
    await retry(() => send(request), {
      maxRetries: options.maxRetries ?? 3,
      isRetryable: (error) => error instanceof UpstreamError && error.isRetryable,
      delayMs: () => 0,
      delay: () => Promise.resolve(),
      onRetry: (info) => request.onRetry?.({ ...info, error: info.error as UpstreamError }),
    });
    return response;
  };

  const hang = (signal?: AbortSignal) =>
    new Promise<never>((_, reject) => {
      signal?.addEventListener("abort", () => reject(signal.reason), { once: true });
    });

  return {
    requests,
    stats,
    aborted: () => requests.filter((r) => r.signal?.aborted).length,
    callsFor: (question) => sends.get(question) ?? 0,
    async getResponse(request) {
      const response = await answer(request);
      if (options.delayMs) await delay(options.delayMs, { signal: request.signal });
      if (options.hang) await hang(request.signal);
      return response;
    },
    async *streamResponse(request): AsyncGenerator<ChatEvent> {
      const response = await answer(request);
      const events: ChatEvent[] = [
        { type: "context", context: response.context, queries: response.queries },
        ...(response.answer.match(/\S+\s*/g) ?? []).map((text) => ({
          type: "delta" as const,
          text,
        })),
        { type: "done", response },
      ];
      for (const [i, event] of events.entries()) {
        if (options.failWith && i === options.failAfterEvents) throw options.failWith();
        if (options.hang && i === 1) await hang(request.signal);
        if (options.delayMs) await delay(options.delayMs, { signal: request.signal });
        yield event;
      }
    },
  };
}
