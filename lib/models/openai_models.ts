/**
 * Chat and embedding models on the `openai` package's client. The same adapter serves Azure
 * OpenAI, any OpenAI-compatible endpoint and the offline model (whose client talks to an
 * in-process handler through the `fetch` option), so the production code path is always the
 * one exercised.
 *
 * Reasoning models (OpenAI's o-series and their successors) take `max_completion_tokens`
 * instead of `max_tokens` and only the default `temperature`/`top_p`. A model configured as a
 * reasoning model is sent that from the start; any other model that answers HTTP 400 naming one
 * of those parameters as unsupported is sent the call once more, adapted, and the client
 * remembers the adaptation for its later calls. Such a resend is not a retry: it does not use
 * the retry budget and is not reported to `onRetry`.
 *
 * @module
 */
import type OpenAI from "openai";
import { deadline } from "../async/deadline.ts";
import { ContentFilterError, type ServiceName, timeoutError, UpstreamError } from "../errors.ts";
import { DEFAULT_MODEL_TIMEOUT_MS } from "./defaults.ts";
import type {
  ChatCompletion,
  ChatMessage,
  ChatModel,
  ChatOptions,
  EmbeddingModel,
  EmbedOptions,
} from "./types.ts";
import { type AdaptableParameter, toUpstreamError, unsupportedParameter } from "./openai_errors.ts";
import { type Pacing, type RetryInfo, type RetryOptions, withRetry } from "./retry.ts";

/** Settings shared by both adapters. */
export interface OpenAIModelOptions {
  /** Model name (OpenAI) or deployment name (Azure). */
  model: string;
  backend: string;
  /** Service name used in errors: "chat-model", "embedding-model", "eval-model". */
  service: ServiceName;
  timeoutMs?: number;
  maxRetries?: number;
  /** Backoff base for retries (tests set it low). */
  retryBaseDelayMs?: number;
  /** Pace every call to a rate-limited provider (GitHub Models), before its deadline starts. */
  pace?: Pacing;
  /** Client-wide retry callback (every call's retries); a call's own `onRetry` runs after it. */
  onRetry?: (info: { attempt: number; delayMs: number; status: number }) => void;
  /**
   * A reasoning model: send `max_completion_tokens` (never `max_tokens`) and no
   * `temperature`/`top_p`. Unset, the client still adapts when the endpoint says so.
   */
  reasoning?: boolean;
  /**
   * Tokens added to a call's `maxTokens` when it is sent as `max_completion_tokens`, which
   * also counts the model's hidden reasoning (default 4096): a judge asking for 50 tokens of
   * answer would otherwise get none.
   */
  reasoningTokens?: number;
}

type ChatParams = OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming;

/** How this client sends the parameters an endpoint may reject; changed at most once each. */
interface ParameterStyle {
  maxCompletionTokens: boolean;
  omitTemperature: boolean;
  omitTopP: boolean;
}

const DEFAULT_REASONING_TOKENS = 4096;

function chatParams(
  model: string,
  messages: ChatMessage[],
  o: ChatOptions,
  style: ParameterStyle,
  reasoningTokens: number,
): ChatParams {
  const params: ChatParams = { model, messages };
  if (o.temperature !== undefined && !style.omitTemperature) params.temperature = o.temperature;
  if (o.maxTokens !== undefined) {
    if (style.maxCompletionTokens) params.max_completion_tokens = o.maxTokens + reasoningTokens;
    else params.max_tokens = o.maxTokens;
  }
  if (o.topP !== undefined && !style.omitTopP) params.top_p = o.topP;
  if (o.json) params.response_format = { type: "json_object" };
  return params;
}

/**
 * Change the style so `param` is no longer sent, and say whether the request that was rejected
 * carried it (false: resending would not change anything). Calls running at the same time may
 * both adapt; the style only ever moves one way, so each call resends at most once per parameter.
 */
function adapt(style: ParameterStyle, param: AdaptableParameter, sent: ChatParams): boolean {
  switch (param) {
    case "max_tokens":
      if (sent.max_tokens === undefined) return false;
      style.maxCompletionTokens = true;
      return true;
    case "temperature":
      if (sent.temperature === undefined) return false;
      style.omitTemperature = true;
      return true;
    case "top_p":
      if (sent.top_p === undefined) return false;
      style.omitTopP = true;
      return true;
  }
}

/**
 * The retry policy of one call: the client's budget, then the client-wide callback and the
 * call's own, in that order.
 */
function retryPolicy(
  options: OpenAIModelOptions,
): (call: { signal?: AbortSignal; onRetry?: (info: RetryInfo) => void }) => RetryOptions {
  return (call) => ({
    maxRetries: options.maxRetries ?? 3,
    baseDelayMs: options.retryBaseDelayMs,
    signal: call.signal,
    pace: options.pace,
    onRetry: (info) => {
      options.onRetry?.({
        attempt: info.attempt,
        delayMs: info.delayMs,
        status: info.error.status,
      });
      call.onRetry?.(info);
    },
  });
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
  const retry = retryPolicy(options);
  const reasoningTokens = options.reasoningTokens ?? DEFAULT_REASONING_TOKENS;
  const style: ParameterStyle = {
    maxCompletionTokens: options.reasoning === true,
    omitTemperature: options.reasoning === true,
    omitTopP: options.reasoning === true,
  };
  /** Send with this client's parameter style; adapt and resend on an "unsupported" 400. */
  const send = async <T>(
    messages: ChatMessage[],
    o: ChatOptions,
    create: (params: ChatParams) => Promise<T>,
  ): Promise<T> => {
    while (true) {
      const params = chatParams(model, messages, o, style, reasoningTokens);
      try {
        return await create(params);
      } catch (error) {
        const mapped = toUpstreamError(error, service);
        const param = unsupportedParameter(mapped);
        // Each adaptation happens once per client, so this loop sends at most four times.
        if (!param || !adapt(style, param, params)) throw mapped;
      }
    }
  };
  const timeoutMs = options.timeoutMs ?? DEFAULT_MODEL_TIMEOUT_MS;
  // The client's own timeout stops at the response headers, so a reply whose body stalls would
  // hang: every call and every stream chunk also gets a deadline of the same length.
  const timedOut = () => timeoutError(service);
  const request = (signal?: AbortSignal) => ({
    timeout: timeoutMs,
    signal,
    maxRetries: 0,
  });

  return {
    name: model,
    backend: options.backend,
    async complete(messages: ChatMessage[], o: ChatOptions = {}): Promise<ChatCompletion> {
      return await withRetry(async () => {
        const response = await send(
          messages,
          o,
          (params) =>
            deadline(
              (signal) => client.chat.completions.create(params, request(signal)),
              timeoutMs,
              { signal: o.signal, error: timedOut },
            ),
        );
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
      }, retry(o));
    },
    async *stream(messages: ChatMessage[], o: ChatOptions = {}): AsyncIterable<string> {
      // Retry only while nothing has been sent on: once text has flowed, a retry would repeat it.
      // The stream's own signal: aborted when the caller aborts or the stream goes idle.
      const cancel = new AbortController();
      const signal = o.signal ? AbortSignal.any([o.signal, cancel.signal]) : cancel.signal;
      const stream = await withRetry(
        () =>
          send(
            messages,
            o,
            (params) =>
              deadline(
                (s) =>
                  client.chat.completions.create({
                    ...params,
                    stream: true,
                    // Usage comes in a last chunk only when asked for; ask when someone listens.
                    ...(o.onFinish ? { stream_options: { include_usage: true } } : {}),
                  }, request(s)),
                timeoutMs,
                { signal, error: timedOut },
              ),
          ),
        retry(o),
      );
      const iterator = stream[Symbol.asyncIterator]();
      let finished = false;
      let finishReason = "stop";
      let usage: ChatCompletion["usage"];
      try {
        while (true) {
          const { value: chunk, done } = await deadline(() => iterator.next(), timeoutMs, {
            error: timedOut,
          });
          if (done) break;
          if (chunk.usage) {
            usage = {
              promptTokens: chunk.usage.prompt_tokens,
              completionTokens: chunk.usage.completion_tokens,
            };
          }
          const choice = chunk.choices?.[0];
          if (!choice) continue;
          if (choice.finish_reason === "content_filter") throw new ContentFilterError(service);
          if (choice.finish_reason) {
            finished = true;
            finishReason = choice.finish_reason;
          }
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
      o.onFinish?.({ finishReason, ...(usage ? { usage } : {}) });
    },
  };
}

/** An {@link EmbeddingModel} on an `openai` client; one call embeds every text. */
export function createOpenAIEmbeddingModel(
  client: OpenAI,
  options: OpenAIModelOptions & { dimensions: number; sendDimensions?: boolean },
): EmbeddingModel {
  const retry = retryPolicy(options);
  return {
    name: options.model,
    backend: options.backend,
    dimensions: options.dimensions,
    async embed(texts: string[], o: EmbedOptions = {}): Promise<number[][]> {
      if (texts.length === 0) return [];
      return await withRetry(async () => {
        let response;
        try {
          const timeout = options.timeoutMs ?? DEFAULT_MODEL_TIMEOUT_MS;
          response = await deadline(
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
            timeout,
            { signal: o.signal, error: () => timeoutError(options.service) },
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
      }, retry(o));
    },
  };
}
