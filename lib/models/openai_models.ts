/**
 * Chat and embedding models on the `openai` package's client. The same adapter serves Azure
 * OpenAI, any OpenAI-compatible endpoint and the offline model (whose client talks to an
 * in-process handler through the `fetch` option), so the production code path is always the
 * one exercised.
 *
 * @module
 */
import type OpenAI from "openai";
import { ContentFilterError, UpstreamError } from "../errors.ts";
import type {
  ChatCompletion,
  ChatMessage,
  ChatModel,
  ChatOptions,
  EmbeddingModel,
} from "./types.ts";
import { toUpstreamError } from "./openai_errors.ts";
import { withRetry } from "./retry.ts";

/** Settings shared by both adapters. */
export interface OpenAIModelOptions {
  /** Model name (OpenAI) or deployment name (Azure). */
  model: string;
  backend: string;
  /** Service name used in errors: "chat-model", "embedding-model", "eval-model". */
  service: string;
  timeoutMs?: number;
  maxRetries?: number;
  /** Backoff base for retries (tests set it low). */
  retryBaseDelayMs?: number;
  onRetry?: (info: { attempt: number; delayMs: number; status: number }) => void;
}

type ChatParams = OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming;

function chatParams(model: string, messages: ChatMessage[], o: ChatOptions): ChatParams {
  const params: ChatParams = { model, messages };
  if (o.temperature !== undefined) params.temperature = o.temperature;
  if (o.maxTokens !== undefined) params.max_tokens = o.maxTokens;
  if (o.topP !== undefined) params.top_p = o.topP;
  if (o.json) params.response_format = { type: "json_object" };
  return params;
}

function timeoutError(service: string): UpstreamError {
  return new UpstreamError(`The ${service} timed out`, {
    service,
    status: 504,
    isRetryable: false,
  });
}

/**
 * Run `fn` under a deadline. The client's own timeout stops at the response headers, so a
 * reply whose body stalls would hang; this one covers the whole call, and aborts the request.
 */
export async function withDeadline<T>(
  timeoutMs: number,
  outer: AbortSignal | undefined,
  service: string,
  fn: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const timer = new AbortController();
  let expire: () => void = () => {};
  const expired = new Promise<never>((_, reject) => {
    expire = () => reject(timeoutError(service));
  });
  const id = setTimeout(() => {
    timer.abort(timeoutError(service));
    expire();
  }, timeoutMs);
  const signal = outer ? AbortSignal.any([outer, timer.signal]) : timer.signal;
  try {
    return await Promise.race([fn(signal), expired]);
  } finally {
    clearTimeout(id);
  }
}

/** The next item of a stream, or a 504 when none comes within `timeoutMs`. */
async function nextWithin<T>(
  iterator: AsyncIterator<T>,
  timeoutMs: number,
  service: string,
): Promise<IteratorResult<T>> {
  let id: ReturnType<typeof setTimeout> | undefined;
  const idle = new Promise<never>((_, reject) => {
    id = setTimeout(() => reject(timeoutError(service)), timeoutMs);
  });
  try {
    return await Promise.race([iterator.next(), idle]);
  } finally {
    clearTimeout(id);
  }
}

/**
 * A {@link ChatModel} on an `openai` client.
 *
 * @example
 * ```ts ignore
 * const chat = createOpenAIChatModel(new OpenAI({ apiKey }), { model: "gpt-4o-mini", backend: "openai-compatible", service: "chat-model" });
 * ```
 */
export function createOpenAIChatModel(client: OpenAI, options: OpenAIModelOptions): ChatModel {
  const { model, service } = options;
  const retry = (signal?: AbortSignal) => ({
    maxRetries: options.maxRetries ?? 3,
    baseDelayMs: options.retryBaseDelayMs,
    signal,
    onRetry: options.onRetry
      ? (i: { attempt: number; delayMs: number; error: { status: number } }) =>
        options.onRetry!({ attempt: i.attempt, delayMs: i.delayMs, status: i.error.status })
      : undefined,
  });
  const timeoutMs = options.timeoutMs ?? 30_000;
  const request = (signal?: AbortSignal) => ({
    timeout: options.timeoutMs ?? 30_000,
    signal,
    maxRetries: 0,
  });

  return {
    name: model,
    backend: options.backend,
    async complete(messages: ChatMessage[], o: ChatOptions = {}): Promise<ChatCompletion> {
      return await withRetry(async () => {
        let response;
        try {
          response = await withDeadline(
            timeoutMs,
            o.signal,
            service,
            (signal) =>
              client.chat.completions.create(chatParams(model, messages, o), request(signal)),
          );
        } catch (error) {
          throw toUpstreamError(error, service);
        }
        const choice = response.choices?.[0];
        if (!choice) throw toUpstreamError(new SyntaxError("no choices in the reply"), service);
        if (choice.finish_reason === "content_filter") throw new ContentFilterError(service);
        return {
          content: choice.message?.content ?? "",
          finishReason: choice.finish_reason ?? "stop",
          usage: response.usage
            ? {
              promptTokens: response.usage.prompt_tokens,
              completionTokens: response.usage.completion_tokens,
            }
            : undefined,
        };
      }, retry(o.signal));
    },
    async *stream(messages: ChatMessage[], o: ChatOptions = {}): AsyncIterable<string> {
      // Retry only while nothing has been sent on: once text has flowed, a retry would repeat it.
      // The stream's own signal: aborted when the caller aborts or the stream goes idle.
      const cancel = new AbortController();
      const signal = o.signal ? AbortSignal.any([o.signal, cancel.signal]) : cancel.signal;
      const stream = await withRetry(async () => {
        try {
          return await withDeadline(
            timeoutMs,
            signal,
            service,
            (s) =>
              client.chat.completions.create(
                { ...chatParams(model, messages, o), stream: true },
                request(s),
              ),
          );
        } catch (error) {
          throw toUpstreamError(error, service);
        }
      }, retry(o.signal));
      const iterator = stream[Symbol.asyncIterator]();
      let finished = false;
      try {
        while (true) {
          const { value: chunk, done } = await nextWithin(iterator, timeoutMs, service);
          if (done) break;
          const choice = chunk.choices?.[0];
          if (!choice) continue;
          if (choice.finish_reason === "content_filter") throw new ContentFilterError(service);
          if (choice.finish_reason) finished = true;
          const text = choice.delta?.content;
          if (text) yield text;
        }
      } catch (error) {
        cancel.abort();
        throw toUpstreamError(error, service);
      }
      // A stream that closes without a finish reason was cut: never pass a truncated answer on.
      if (!finished) {
        throw new UpstreamError(`The ${service} stream ended before the answer was complete`, {
          service,
          status: 502,
          isRetryable: false,
        });
      }
    },
  };
}

/** An {@link EmbeddingModel} on an `openai` client; one call embeds every text. */
export function createOpenAIEmbeddingModel(
  client: OpenAI,
  options: OpenAIModelOptions & { dimensions: number; sendDimensions?: boolean },
): EmbeddingModel {
  return {
    name: options.model,
    backend: options.backend,
    dimensions: options.dimensions,
    async embed(texts: string[], o: { signal?: AbortSignal } = {}): Promise<number[][]> {
      if (texts.length === 0) return [];
      return await withRetry(async () => {
        let response;
        try {
          const timeout = options.timeoutMs ?? 30_000;
          response = await withDeadline(
            timeout,
            o.signal,
            options.service,
            (signal) =>
              client.embeddings.create(
                {
                  model: options.model,
                  input: texts,
                  encoding_format: "float",
                  ...(options.sendDimensions ? { dimensions: options.dimensions } : {}),
                },
                { timeout, signal, maxRetries: 0 },
              ),
          );
        } catch (error) {
          throw toUpstreamError(error, options.service);
        }
        const data = [...(response.data ?? [])].sort((a, b) => a.index - b.index);
        if (data.length !== texts.length) {
          throw toUpstreamError(
            new SyntaxError(`expected ${texts.length} embeddings, got ${data.length}`),
            options.service,
          );
        }
        return data.map((d) => d.embedding as number[]);
      }, {
        maxRetries: options.maxRetries ?? 3,
        baseDelayMs: options.retryBaseDelayMs,
        signal: o.signal,
      });
    },
  };
}
