/**
 * The model ports: a chat model and an embedding model, as the rest of the code sees them.
 * Wire shapes (OpenAI request/response JSON) stay inside the adapters.
 *
 * @module
 */
import type { RetryInfo } from "./retry.ts";

/** One chat message. */
export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

/** Per-call options of a chat completion. */
export interface ChatOptions {
  temperature?: number;
  maxTokens?: number;
  topP?: number;
  /** Ask the model for a JSON object reply (`response_format: json_object`). */
  json?: boolean;
  signal?: AbortSignal;
  /**
   * Called before each retry of this call (429, 5xx), after the client-wide callback. The
   * model client's bounded retries are the only retries: callers report them, never repeat them.
   */
  onRetry?: (info: RetryInfo) => void;
  /**
   * Streams only: called once the stream has ended, with its finish reason and the token usage
   * (asked for with `stream_options.include_usage`; absent when the endpoint does not report it).
   */
  onFinish?: (end: Omit<ChatCompletion, "content">) => void;
}

/** Per-call options of an embedding call. */
export interface EmbedOptions {
  signal?: AbortSignal;
  /** Called before each retry of this call, as {@link ChatOptions.onRetry}. */
  onRetry?: (info: RetryInfo) => void;
}

/** Tokens a model reported for a call (or summed over the calls of one request). */
export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
}

/** A finished chat completion. */
export interface ChatCompletion {
  content: string;
  finishReason: string;
  usage?: TokenUsage;
}

/** A chat model: one completion, or a stream of text deltas. */
export interface ChatModel {
  /** Model or deployment name, for display. */
  readonly name: string;
  /** Which backend serves it: "azure-openai", "openai-compatible" or "offline". */
  readonly backend: string;
  complete(messages: ChatMessage[], options?: ChatOptions): Promise<ChatCompletion>;
  stream(messages: ChatMessage[], options?: ChatOptions): AsyncIterable<string>;
}

/** An embedding model: one call embeds many texts. */
export interface EmbeddingModel {
  readonly name: string;
  readonly backend: string;
  readonly dimensions: number;
  embed(texts: string[], options?: EmbedOptions): Promise<number[][]>;
}
