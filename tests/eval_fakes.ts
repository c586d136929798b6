/**
 * Fakes for evaluation tests and the benchmark: a chat pipeline and a chat model with a fixed
 * simulated latency and a script of failures per call, both counting what they were asked.
 *
 * @module
 */
import type { ChatPipeline, ChatRequest, ChatResponse } from "../lib/chat/types.ts";
import type { ChatCompletion, ChatMessage, ChatModel, ChatOptions } from "../lib/models/types.ts";
import { UpstreamError } from "../lib/errors.ts";
import { sleep } from "../lib/models/retry.ts";
import type { EvalCase } from "../lib/evaluate/types.ts";
import { parseDataset } from "../lib/evaluate/dataset.ts";

/** A 429 asking to wait `retryAfterSeconds`. */
export function rateLimited(retryAfterSeconds?: number): UpstreamError {
  return new UpstreamError("Too many requests", {
    service: "chat-model",
    status: 429,
    isRetryable: true,
    retryAfterSeconds,
  });
}

/** A 5xx (retryable, like every 5xx). */
export function serverError(status = 500): UpstreamError {
  return new UpstreamError(`Upstream returned ${status}`, {
    service: "chat-model",
    status,
    isRetryable: true,
  });
}

/** A 400 (not retryable). */
export function badRequest(): UpstreamError {
  return new UpstreamError("Bad request", {
    service: "chat-model",
    status: 400,
    isRetryable: false,
  });
}

/** Options of {@link createFakePipeline}. */
export interface FakePipelineOptions {
  /** Errors to throw on successive calls for a question; `"always"` repeats the last forever. */
  failures?: Record<string, { errors: Error[]; always?: boolean }>;
  /** Model calls per request, each taking `latencyMs` (default 1). */
  modelCalls?: number;
  latencyMs?: number;
  answer?: (request: ChatRequest) => string;
}

/** A fake pipeline: answers "Answer: <question>" with one context item, after its latency. */
export function createFakePipeline(options: FakePipelineOptions = {}) {
  const calls = new Map<string, number>();
  const stats = { calls: 0, inFlight: 0, maxInFlight: 0 };
  const pipeline: Pick<ChatPipeline, "getResponse"> = {
    async getResponse(request: ChatRequest): Promise<ChatResponse> {
      stats.calls++;
      stats.inFlight++;
      stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
      try {
        const n = calls.get(request.question) ?? 0;
        calls.set(request.question, n + 1);
        for (let i = 0; i < (options.modelCalls ?? 1); i++) {
          if (options.latencyMs) await sleep(options.latencyMs, request.signal);
        }
        const script = options.failures?.[request.question];
        if (script) {
          const error = script.errors[n] ?? (script.always ? script.errors.at(-1) : undefined);
          if (error) throw error;
        }
        return {
          question: request.question,
          answer: options.answer?.(request) ?? `Answer: ${request.question}`,
          context: [{
            id: "1",
            kind: "product",
            productId: "1",
            title: "Summit Dome 2 Tent",
            url: "/products/1",
            content: `Answer ${request.question}`,
          }],
          queries: [request.question],
          timings: [],
        };
      } finally {
        stats.inFlight--;
      }
    },
  };
  return { pipeline, stats, callsFor: (question: string) => calls.get(question) ?? 0 };
}

/** A fake judge model: replies with `reply` (or a function of the prompt) after its latency. */
export function createFakeModel(
  options: {
    reply?: string | ((messages: ChatMessage[]) => string);
    latencyMs?: number;
    errors?: Error[];
  } = {},
): ChatModel & { calls: number } {
  const model = {
    name: "fake-judge",
    backend: "fake",
    calls: 0,
    async complete(messages: ChatMessage[], o: ChatOptions = {}): Promise<ChatCompletion> {
      const n = model.calls++;
      if (options.latencyMs) await sleep(options.latencyMs, o.signal);
      const error = options.errors?.[n];
      if (error) throw error;
      const reply = typeof options.reply === "function"
        ? options.reply(messages)
        : options.reply ?? "4";
      return { content: reply, finishReason: "stop" };
    },
    async *stream(): AsyncIterable<string> {},
  };
  return model;
}

/** `n` dataset rows with questions `q1`…`qn` and a reference answer each. */
export function makeRows(n: number): EvalCase[] {
  const lines = Array.from({ length: n }, (_, i) =>
    JSON.stringify({
      customerId: String((i % 12) + 1),
      question: `q${i + 1}`,
      chat_history: [],
      intent: "test",
      truth: `Answer: q${i + 1}`,
    }));
  return parseDataset(lines.join("\n"), "fake.jsonl");
}
