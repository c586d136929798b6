/**
 * Fakes for evaluation tests and the benchmark: a chat (judge) model with a fixed simulated
 * latency and a script of failures per send, counting what it was asked. Like the real model
 * client, it retries a retryable failure up to `maxRetries` times inside one call, reporting
 * every retry through the call's `onRetry` (the runner never retries). The chat pipeline's fake
 * is the port's own (`lib/chat/fake_pipeline.ts`).
 * And a fake OpenAI-compatible server on loopback whose answer to each request a test decides.
 *
 * @module
 */
import type { ChatCompletion, ChatMessage, ChatModel, ChatOptions } from "../models/types.ts";
import { UpstreamError } from "../errors.ts";
import { delay } from "../async/delay.ts";
import { retry } from "../async/retry.ts";
import type { RetryInfo } from "../models/retry.ts";
import type { EvalCase } from "./types.ts";
import { parseDataset } from "./dataset.ts";

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

/** Simulate the model client: send, and retry retryable failures up to `maxRetries` times. */
function asClient<T>(
  send: () => Promise<T>,
  maxRetries: number,
  onRetry?: (info: RetryInfo) => void,
): Promise<T> {
  return retry(send, {
    maxRetries,
    isRetryable: (error) => error instanceof UpstreamError && error.isRetryable,
    delayMs: () => 0,
    delay: () => Promise.resolve(),
    onRetry: (info) => onRetry?.({ ...info, error: info.error as UpstreamError }),
  });
}

/**
 * A fake judge model: replies with `reply` (or a function of the prompt) after its latency.
 * `errors[n]` is thrown on send n; `calls` counts sends, retries included.
 */
export function createFakeModel(
  options: {
    reply?: string | ((messages: ChatMessage[]) => string);
    latencyMs?: number;
    errors?: Error[];
    /** Retries of a retryable failure within one call, as the model client's (default 3). */
    maxRetries?: number;
  } = {},
): ChatModel & { calls: number } {
  const model = {
    name: "fake-judge",
    backend: "fake",
    calls: 0,
    complete(messages: ChatMessage[], o: ChatOptions = {}): Promise<ChatCompletion> {
      return asClient(
        async () => {
          const n = model.calls++;
          if (options.latencyMs) await delay(options.latencyMs, { signal: o.signal });
          const error = options.errors?.[n];
          if (error) throw error;
          const reply = typeof options.reply === "function"
            ? options.reply(messages)
            : options.reply ?? "4";
          return { content: reply, finishReason: "stop" };
        },
        options.maxRetries ?? 3,
        o.onRetry,
      );
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

/** One request the fake OpenAI-compatible server received. */
export interface ServerRequest {
  path: string;
  body: Record<string, unknown>;
}

/**
 * A fake OpenAI-compatible server on loopback (`/v1/chat/completions`, `/v1/embeddings`).
 * `chat` decides each chat request: a reply text (sent with a usage of 20 + 5 tokens), or a
 * whole `Response` (a 429 with `Retry-After`, a 400…). Embeddings are 3-dimensional.
 */
export function startFakeChatServer(
  chat: (body: Record<string, unknown>, index: number) => string | Response,
): { baseURL: string; requests: ServerRequest[]; close(): Promise<void> } {
  const requests: ServerRequest[] = [];
  let chats = 0;
  const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
    new Response(JSON.stringify(body), {
      status,
      headers: { "content-type": "application/json", ...headers },
    });
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, async (req) => {
    const path = new URL(req.url).pathname;
    const body = await req.json().catch(() => ({})) as Record<string, unknown>;
    requests.push({ path, body });
    if (path.endsWith("/embeddings")) {
      const input = Array.isArray(body.input) ? body.input : [body.input];
      return json({
        object: "list",
        model: body.model,
        data: input.map((_, index) => ({ object: "embedding", index, embedding: [1, 0, 0] })),
        usage: { prompt_tokens: 1, total_tokens: 1 },
      });
    }
    const decided = chat(body, chats++);
    if (decided instanceof Response) return decided;
    return json({
      id: "chatcmpl-fake",
      object: "chat.completion",
      created: 1,
      model: body.model,
      choices: [{
        index: 0,
        message: { role: "assistant", content: decided },
        finish_reason: "stop",
      }],
      usage: { prompt_tokens: 20, completion_tokens: 5, total_tokens: 25 },
    });
  });
  return {
    baseURL: `http://127.0.0.1:${server.addr.port}/v1`,
    requests,
    close: () => server.shutdown(),
  };
}

/** An OpenAI-style error response, e.g. a 429 with `Retry-After: 0` or a 400. */
export function errorResponse(status: number, headers: Record<string, string> = {}): Response {
  return new Response(
    JSON.stringify({
      error: { message: `Fake error ${status}`, type: "fake", code: String(status) },
    }),
    { status, headers: { "content-type": "application/json", ...headers } },
  );
}
