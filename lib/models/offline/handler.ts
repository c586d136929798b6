/**
 * The offline model as an OpenAI-compatible HTTP handler, reached through the `openai`
 * client's `fetch` option: `POST …/chat/completions` (also streamed as server-sent events)
 * and `POST …/embeddings`. Nothing leaves the process; every call may be given a fixed
 * simulated latency so benchmarks can measure the pipeline's critical path.
 *
 * @module
 */
import type { ChatMessage } from "../types.ts";
import { delay } from "../../async/delay.ts";
import { hashEmbedding } from "./embedding.ts";
import { requestedJson } from "./conventions.ts";
import { readPrompt } from "./prompt_reader.ts";
import { chatReply, countTokens, jsonReply, truncateToTokens } from "./reply.ts";

/** Options of the offline handler. */
export interface OfflineModelOptions {
  /** Delay before every reply (ms): the simulated model latency. */
  latencyMs?: number;
  /**
   * Pause before each streamed word (ms), so a client sees the answer arrive word by word
   * (OFFLINE_STREAM_DELAY_MS). Default 0: tests and benchmarks are not slowed.
   */
  chunkDelayMs?: number;
  /** Vector size of embeddings (default 256). */
  dimensions?: number;
}

/** A `fetch`-shaped function. */
export type FetchFn = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

const encoder = new TextEncoder();

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}

function error(status: number, message: string): Response {
  return json({ error: { message, type: "invalid_request_error", code: null } }, status);
}

interface ChatBody {
  model?: string;
  messages?: { role?: string; content?: unknown }[];
  stream?: boolean;
  max_tokens?: number;
  max_completion_tokens?: number;
  temperature?: number;
  response_format?: unknown;
  stream_options?: { include_usage?: boolean };
}

function toMessages(body: ChatBody): ChatMessage[] {
  return (body.messages ?? []).map((m) => ({
    role: (m.role === "assistant" || m.role === "system" ? m.role : "user") as ChatMessage["role"],
    content: typeof m.content === "string"
      ? m.content
      : Array.isArray(m.content)
      ? m.content.map((p) => (p as { text?: string })?.text ?? "").join("")
      : "",
  }));
}

/**
 * The text word by word, each word with the whitespace after it (leading whitespace rides with
 * the first word), as a model streams tokens; joined, the pieces are the text.
 */
export function streamPieces(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? (text ? [text] : []);
}

/**
 * The task comes from the request's structure, never from its words: a `response_format`
 * asking for JSON gets a JSON object shaped as asked (query generation when it wants a list of
 * strings), anything else gets an answer.
 */
function completionReply(body: ChatBody): { content: string; finishReason: string } {
  const reading = readPrompt(toMessages(body));
  const options = { temperature: body.temperature };
  const shape = requestedJson(body.response_format, reading.jsonExample);
  // A cut JSON reply would not parse, so JSON replies are not held to max_tokens.
  if (shape) return { content: jsonReply(reading, shape, options), finishReason: "stop" };
  const full = chatReply(reading, options);
  const cut = truncateToTokens(full, body.max_completion_tokens ?? body.max_tokens);
  return { content: cut.text, finishReason: cut.truncated ? "length" : "stop" };
}

/**
 * Create the offline model's `fetch`.
 *
 * @example
 * ```ts ignore
 * import OpenAI from "openai";
 * const client = new OpenAI({ baseURL: "http://offline.invalid/v1", apiKey: "offline", fetch: createOfflineFetch() });
 * ```
 */
export function createOfflineFetch(options: OfflineModelOptions = {}): FetchFn {
  const dimensions = options.dimensions ?? 256;
  const latency = options.latencyMs ?? 0;
  return async (input, init) => {
    // The openai client calls fetch(url, {method, body: string, signal}); reading that directly
    // skips building a Request and streaming its body back out, most of a call's overhead.
    const direct = !(input instanceof Request) && typeof init?.body === "string";
    const request = direct ? undefined : new Request(input, init);
    const url = request?.url ?? String(input);
    const method = (request?.method ?? init?.method ?? "GET").toUpperCase();
    const signal = request?.signal ?? init?.signal ?? undefined;
    const path = new URL(url).pathname;
    if (method !== "POST") return error(405, `Method ${method} not allowed`);
    let body: ChatBody & { input?: unknown };
    try {
      body = request ? await request.json() : JSON.parse(init!.body as string);
    } catch {
      return error(400, "Request body is not valid JSON");
    }
    if (latency > 0) await delay(latency, { signal });
    const created = Math.floor(Date.now() / 1000);
    const model = body.model ?? "contoso-offline";

    if (path.endsWith("/embeddings")) {
      const inputs = Array.isArray(body.input) ? body.input : [body.input];
      if (inputs.some((t) => typeof t !== "string")) {
        return error(400, "input must be a string or an array of strings");
      }
      const data = (inputs as string[]).map((text, index) => ({
        object: "embedding",
        index,
        embedding: hashEmbedding(text, dimensions),
      }));
      const tokens = (inputs as string[]).reduce((n, t) => n + countTokens(t), 0);
      return json({
        object: "list",
        data,
        model,
        usage: { prompt_tokens: tokens, total_tokens: tokens },
      });
    }

    if (path.endsWith("/chat/completions")) {
      if (!Array.isArray(body.messages) || body.messages.length === 0) {
        return error(400, "messages must be a non-empty array");
      }
      const { content, finishReason } = completionReply(body);
      const id = `chatcmpl-offline-${created}`;
      const promptTokens = toMessages(body).reduce((n, m) => n + countTokens(m.content), 0);
      // A reply cut at max_tokens used all of them, as a real model's does.
      const limit = body.max_completion_tokens ?? body.max_tokens;
      const completionTokens = finishReason === "length" && limit ? limit : countTokens(content);
      const usage = {
        prompt_tokens: promptTokens,
        completion_tokens: completionTokens,
        total_tokens: promptTokens + completionTokens,
      };
      if (!body.stream) {
        return json({
          id,
          object: "chat.completion",
          created,
          model,
          choices: [{
            index: 0,
            message: { role: "assistant", content },
            finish_reason: finishReason,
            logprobs: null,
          }],
          usage,
        });
      }
      const chunkDelay = options.chunkDelayMs ?? 0;
      let cancelled = false;
      const stream = new ReadableStream<Uint8Array>({
        cancel() {
          cancelled = true;
        },
        async start(controller) {
          const event = (chunk: Record<string, unknown>) =>
            controller.enqueue(encoder.encode(
              `data: ${
                JSON.stringify({ id, object: "chat.completion.chunk", created, model, ...chunk })
              }\n\n`,
            ));
          const send = (delta: Record<string, unknown>, finish: string | null) =>
            event({ choices: [{ index: 0, delta, finish_reason: finish }] });
          send({ role: "assistant", content: "" }, null);
          for (const piece of streamPieces(content)) {
            if (chunkDelay > 0) {
              // The client went away (Stop): the rest is never sent.
              const stopped = await delay(chunkDelay, { signal }).then(() => cancelled, () => true);
              if (stopped) {
                if (!cancelled) controller.close();
                return;
              }
            }
            send({ content: piece }, null);
          }
          send({}, finishReason);
          // As OpenAI streams do when asked: one last chunk with no choices and the usage.
          if (body.stream_options?.include_usage) event({ choices: [], usage });
          controller.enqueue(encoder.encode("data: [DONE]\n\n"));
          controller.close();
        },
      });
      return new Response(stream, { headers: { "content-type": "text/event-stream" } });
    }
    return error(404, `Unknown offline model route ${path}`);
  };
}
