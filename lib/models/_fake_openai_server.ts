/**
 * A fake OpenAI-compatible endpoint on loopback, for tests that want a real HTTP hop: chat
 * completions (JSON and server-sent events) and embeddings, with the failure modes real
 * endpoints show — rate limiting with `Retry-After`, and a reasoning model that rejects
 * `max_tokens` and any non-default `temperature`/`top_p` with OpenAI's own error bodies. It
 * records every request it receives (path, body, headers), so a test can count upstream
 * attempts exactly and check what was sent.
 *
 * It also plays GitHub Models (`https://models.github.ai/inference`, see
 * `lib/models/github_models.ts` for the sources): a required bearer token (401 otherwise), a
 * catalog of `publisher/model` identifiers (unknown ones are refused), the `x-ratelimit-*`
 * headers on every answer, a per-minute 429 with `Retry-After`, and a daily allowance per
 * model after which every request gets a 429 whose `Retry-After` is hours away. The error
 * bodies (`{error: {code: "RateLimitReached" | "unauthorized" | "unknown_model", message}}`)
 * follow what the service has been seen to send; GitHub's documentation does not publish them.
 *
 * @module
 */

/** One request the fake received. */
export interface FakeRequest {
  path: string;
  body: Record<string, unknown>;
  /** Request headers, names lower-cased. */
  headers: Record<string, string>;
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
  /** Refuse (401) every request whose `Authorization` is not `Bearer <token>`. */
  requireToken?: string;
  /** Model identifiers served (e.g. `openai/gpt-4.1-mini`); others get a 400 `unknown_model`. */
  models?: string[];
  /**
   * Requests each model answers before its daily allowance is used up; every later request to
   * that model gets a 429 with `Retry-After: dailyResetSeconds` and no remaining requests.
   */
  dailyAllowance?: number;
  /** `Retry-After` (seconds) of the exhausted-allowance 429s (default 43200, half a day). */
  dailyResetSeconds?: number;
  /**
   * Send `x-ratelimit-limit-requests`, `x-ratelimit-remaining-requests` (against
   * `dailyAllowance`, default 150), `x-ratelimit-limit-tokens`, `x-ratelimit-remaining-tokens`
   * and `x-ratelimit-reset-requests` on every answer.
   */
  rateLimitHeaders?: boolean;
  /** Vector length of embeddings when the request names no `dimensions` (default 3). */
  embeddingDimensions?: number;
  /** Stream the reply one word per chunk instead of in one chunk. */
  streamWords?: boolean;
}

/** A running fake; `close()` stops it. */
export interface FakeOpenAIServer {
  /** Base URL to give an `openai` client, e.g. `http://127.0.0.1:PORT/v1`. */
  baseURL: string;
  /** GitHub Models-style endpoint, `http://127.0.0.1:PORT/inference` (GITHUB_MODELS_ENDPOINT). */
  inferenceURL: string;
  /** Requests answered (2xx) so far, by model. */
  answered: Map<string, number>;
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

/** A deterministic unit vector of `n` numbers from a text (different texts, different vectors). */
function vectorOf(text: string, n: number): number[] {
  let h = 2166136261;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    for (const c of `${i}:${text}`) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
    out.push(((h >>> 0) % 2000) / 1000 - 1);
  }
  const norm = Math.hypot(...out) || 1;
  return out.map((x) => x / norm);
}

function rateLimited(message: string, retryAfter: string, extra: Record<string, string> = {}) {
  return json({ error: { code: "RateLimitReached", message, details: message } }, 429, {
    "retry-after": retryAfter,
    ...extra,
  });
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

function streamed(model: string, content: string, words = false): Response {
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
  const pieces = words ? content.split(/(?<= )/) : [content];
  const text =
    pieces.map((piece, i) =>
      chunk(i === 0 ? { role: "assistant", content: piece } : { content: piece }, null)
    ).join("") + chunk({}, "stop") + "data: [DONE]\n\n";
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
  const answered = new Map<string, number>();
  const daily = options.dailyAllowance;
  const limit = daily ?? 150;
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen: () => {} },
    async (request) => {
      const path = new URL(request.url).pathname;
      const body = await request.json().catch(() => ({})) as Record<string, unknown>;
      const headers = Object.fromEntries(request.headers);
      requests.push({ path, body, headers });
      if (
        options.requireToken !== undefined &&
        request.headers.get("authorization") !== `Bearer ${options.requireToken}`
      ) {
        return json({ error: { code: "unauthorized", message: "Bad credentials" } }, 401);
      }
      const model = String(body.model ?? "fake");
      const used = answered.get(model) ?? 0;
      if (daily !== undefined && used >= daily) {
        const wait = String(options.dailyResetSeconds ?? 43_200);
        return rateLimited(
          `Rate limit of ${daily} per 86400s exceeded for UserByModelByDay. Please wait ${wait} seconds before retrying.`,
          wait,
          options.rateLimitHeaders
            ? {
              "x-ratelimit-limit-requests": String(limit),
              "x-ratelimit-remaining-requests": "0",
              "x-ratelimit-reset-requests": `${wait}s`,
            }
            : {},
        );
      }
      if (requests.length <= (options.rateLimited ?? 0)) {
        const wait = options.retryAfter ?? "0";
        return rateLimited(
          `Rate limit of 15 per 60s exceeded for UserByModelByMinute. Please wait ${wait} seconds before retrying.`,
          wait,
        );
      }
      if (options.models && !options.models.includes(model)) {
        const message = `Unknown model: ${model}`;
        return json({ error: { code: "unknown_model", message, details: message } }, 400);
      }
      const limitHeaders = (): Record<string, string> =>
        options.rateLimitHeaders
          ? {
            "x-ratelimit-limit-requests": String(limit),
            "x-ratelimit-remaining-requests": String(Math.max(0, limit - used - 1)),
            "x-ratelimit-limit-tokens": "8000",
            "x-ratelimit-remaining-tokens": "7976",
            // The window the count is for: the day when an allowance is set, else a minute.
            "x-ratelimit-reset-requests": daily !== undefined
              ? `${options.dailyResetSeconds ?? 43_200}s`
              : "60s",
          }
          : {};
      const withLimits = (response: Response): Response => {
        if (response.ok) answered.set(model, used + 1);
        for (const [name, value] of Object.entries(limitHeaders())) {
          response.headers.set(name, value);
        }
        return response;
      };
      if (path.endsWith("/embeddings")) {
        const input = Array.isArray(body.input) ? body.input : [body.input];
        const n = typeof body.dimensions === "number"
          ? body.dimensions
          : options.embeddingDimensions ?? 3;
        return withLimits(json({
          object: "list",
          model,
          data: input.map((text, index) => ({
            object: "embedding",
            index,
            embedding: options.embeddingDimensions === undefined && body.dimensions === undefined
              ? [1, 0, 0]
              : vectorOf(String(text), n),
          })),
          usage: { prompt_tokens: 1, total_tokens: 1 },
        }));
      }
      if (!path.endsWith("/chat/completions")) {
        return json({ error: { message: "Not found", type: "invalid_request_error" } }, 404);
      }
      if (options.reasoning) {
        const rejection = reasoningRejection(body);
        if (rejection) return rejection;
      }
      const content = options.reply?.(body, requests.length - 1) ?? "OK";
      return withLimits(
        body.stream ? streamed(model, content, options.streamWords) : completion(model, content),
      );
    },
  );
  return {
    baseURL: `http://127.0.0.1:${server.addr.port}/v1`,
    inferenceURL: `http://127.0.0.1:${server.addr.port}/inference`,
    answered,
    requests,
    close: () => server.shutdown(),
  };
}
