/**
 * Types of the chat pipeline: what a caller sends and what it gets back.
 *
 * @module
 */
import type { ChatMessage, TokenUsage } from "../models/types.ts";
import type { RetryInfo } from "../models/retry.ts";
import type { ContextItem } from "./context_item.ts";
import type { SpanTiming } from "../tracing/span_timing.ts";

export type { ContextItem } from "./context_item.ts";

/** One turn of earlier conversation. */
export type ChatTurn = Pick<ChatMessage, "role" | "content">;

/** A question from a customer, with the conversation so far. */
export interface ChatRequest {
  customerId: string;
  question: string;
  chatHistory?: ChatTurn[];
  signal?: AbortSignal;
  /**
   * Called on each retry of any model call of this request (query generation, embedding,
   * answer). The model client's bounded retries are the only ones: the pipeline never repeats
   * a step, so a retried answer does not redo the customer lookup or the searches.
   */
  onRetry?: (info: RetryInfo) => void;
}

/** The pipeline's answer (the API's `{question, answer, context}` plus diagnostics). */
export interface ChatResponse {
  question: string;
  answer: string;
  context: ContextItem[];
  /** The search queries that were run. */
  queries: string[];
  /** Each step's span, timed relative to the start of the request (its clock readings). */
  timings: SpanTiming[];
  /** Tokens summed over the request's model calls, when the models report usage. */
  usage?: TokenUsage;
}

/** Events of the streaming form, in order: one `context`, many `delta`, one `done`. */
export type ChatEvent =
  | { type: "context"; context: ContextItem[]; queries: string[] }
  | { type: "delta"; text: string }
  | { type: "done"; response: ChatResponse };

/** The chat pipeline. */
export interface ChatPipeline {
  getResponse(request: ChatRequest): Promise<ChatResponse>;
  streamResponse(request: ChatRequest): AsyncIterable<ChatEvent>;
}
