/**
 * Executing a prompt against a chat model with the file's parameters, with optional JSON
 * output parsing and a streaming form.
 *
 * @module
 */
import type { ChatModel, ChatOptions } from "../models/types.ts";
import type { Prompty } from "./types.ts";
import { renderPrompty } from "./render.ts";

/** Per-call overrides of the file's `model.parameters`. */
export interface ExecuteOptions extends Omit<ChatOptions, "json"> {
  /** Parse the reply as JSON (default: when the file asks for `json_object`). */
  json?: boolean;
}

function callOptions(prompty: Prompty, options: ExecuteOptions): ChatOptions {
  const p = prompty.parameters;
  return {
    temperature: options.temperature ?? p.temperature,
    maxTokens: options.maxTokens ?? p.maxTokens,
    topP: options.topP ?? p.topP,
    json: p.json,
    signal: options.signal,
    onRetry: options.onRetry,
    // Only streams call it; left out otherwise so a completion's options stay as they were.
    ...(options.onFinish ? { onFinish: options.onFinish } : {}),
  };
}

/** Parse a model reply as JSON, tolerating a fenced ```json block. Throws `SyntaxError`. */
export function parseJsonReply(text: string): unknown {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(text);
  return JSON.parse((fenced ? fenced[1] : text).trim());
}

/**
 * Render and run a prompt; returns the reply text, or the parsed JSON when asked.
 *
 * @example
 * ```ts ignore
 * const queries = await executePrompty(productPrompt, model, { question }, { json: true });
 * ```
 */
export async function executePrompty(
  prompty: Prompty,
  model: ChatModel,
  inputs: Record<string, unknown> = {},
  options: ExecuteOptions = {},
): Promise<unknown> {
  const messages = renderPrompty(prompty, inputs);
  const reply = await model.complete(messages, callOptions(prompty, options));
  const wantJson = options.json ?? prompty.parameters.json ?? false;
  return wantJson ? parseJsonReply(reply.content) : reply.content;
}

/** Render and stream a prompt's reply as text deltas. */
export function streamPrompty(
  prompty: Prompty,
  model: ChatModel,
  inputs: Record<string, unknown> = {},
  options: ExecuteOptions = {},
): AsyncIterable<string> {
  const messages = renderPrompty(prompty, inputs);
  return model.stream(messages, callOptions(prompty, options));
}
