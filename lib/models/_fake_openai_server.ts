/**
 * A fake OpenAI-compatible endpoint on loopback, for tests that want a real HTTP hop: chat
 * completions (JSON and server-sent events) and embeddings, with the failure modes real
 * endpoints show — rate limiting with `Retry-After`, and a reasoning model that rejects
 * `max_tokens` and any non-default `temperature`/`top_p` with OpenAI's own error bodies. It
 * records every request it receives, so a test can count upstream attempts exactly.
 *
 * @module
 */

/** One request the fake received. */
export interface FakeRequest {
  path: string;
  body: Record<string, unknown>;
}

/** Options of {@link startFakeOpenAIServer}. */
export interface FakeOpenAIServerOptions {
  /** The reply text of a chat completion (default "OK"). */
  reply?: (body: Record<string, unknown>, index: number) => string;
  /** Behave as a reasoning model: reject `max_tokens`, and `temperature`/`top_p` other than 1. */
  reasoning?: boolean;
  /** Answer the first N requests with HTTP 429 (`Infinity`: every one). */
  rateLimited?: number;
  /** The `Retry-After` header of those 429s (default "0"). */
  retryAfter?: string;
}

/** A running fake; `close()` stops it. */
export interface FakeOpenAIServer {
  /** Base URL to give an `openai` client, e.g. `http://127.0.0.1:PORT/v1`. */
  baseURL: string;
  requests: FakeRequest[];
  close(): Promise<void>;
}

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

function invalid(message: string, param: string, code: string): Response {
  return json({ error: { message, type: "invalid_request_error", param, code } }, 400);
}

/** What a reasoning model says about a request's parameters, or nothing when it accepts them. */
function reasoningRejection(body: Record<string, unknown>): Response | undefined {
  if (body.max_tokens !== undefined) {
    return invalid(
      "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
      "max_tokens",
      "unsupported_parameter",
    );
  }
  for (const param of ["temperature", "top_p"]) {
    if (body[param] !== undefined && body[param] !== 1) {
      return invalid(
        `Unsupported value: '${param}' does not support ${
          body[param]
        } with this model. Only the default (1) value is supported.`,
        param,
        "unsupported_value",
      );
    }
  }
  return undefined;
}

function completion(model: string, content: string): Response {
  return json({
    id: "chatcmpl-fake",
    object: "chat.completion",
    created: 1,
    model,
    choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
    usage: { prompt_tokens: 20, completion_tokens: 4, total_tokens: 24 },
  });
}

function streamed(model: string, content: string): Response {
  const chunk = (delta: Record<string, unknown>, finish: string | null) =>
    `data: ${
      JSON.stringify({
        id: "chatcmpl-fake",
        object: "chat.completion.chunk",
        created: 1,
        model,
        choices: [{ index: 0, delta, finish_reason: finish }],
      })
    }\n\n`;
  const text = chunk({ role: "assistant", content }, null) + chunk({}, "stop") +
    "data: [DONE]\n\n";
  return new Response(text, { headers: { "content-type": "text/event-stream" } });
}

/**
 * Start the fake on an ephemeral loopback port.
 *
 * @example
 * ```ts ignore
 * const server = startFakeOpenAIServer({ reasoning: true });
 * const client = new OpenAI({ baseURL: server.baseURL, apiKey: "test" });
 * await server.close();
 * ```
 */
export function startFakeOpenAIServer(options: FakeOpenAIServerOptions = {}): FakeOpenAIServer {
  const requests: FakeRequest[] = [];
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen: () => {} },
    async (request) => {
      const path = new URL(request.url).pathname;
      const body = await request.json().catch(() => ({})) as Record<string, unknown>;
      requests.push({ path, body });
      if (requests.length <= (options.rateLimited ?? 0)) {
        return json(
          {
            error: { message: "Rate limit reached", type: "requests", code: "rate_limit_exceeded" },
          },
          429,
          { "retry-after": options.retryAfter ?? "0" },
        );
      }
      const model = String(body.model ?? "fake");
      if (path.endsWith("/embeddings")) {
        const input = Array.isArray(body.input) ? body.input : [body.input];
        return json({
          object: "list",
          model,
          data: input.map((_, index) => ({ object: "embedding", index, embedding: [1, 0, 0] })),
          usage: { prompt_tokens: 1, total_tokens: 1 },
        });
      }
      if (!path.endsWith("/chat/completions")) {
        return json({ error: { message: "Not found", type: "invalid_request_error" } }, 404);
      }
      if (options.reasoning) {
        const rejection = reasoningRejection(body);
        if (rejection) return rejection;
      }
      const content = options.reply?.(body, requests.length - 1) ?? "OK";
      return body.stream ? streamed(model, content) : completion(model, content);
    },
  );
  return {
    baseURL: `http://127.0.0.1:${server.addr.port}/v1`,
    requests,
    close: () => server.shutdown(),
  };
}
