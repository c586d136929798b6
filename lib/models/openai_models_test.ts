/**
 * The chat and embedding adapters on the `openai` client, against a fake `fetch` (the HTTP
 * boundary): retries, timeouts, malformed replies, Azure's content filter, cut streams.
 */
import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { APIUserAbortError } from "openai";
import type { ModelConfig } from "../config/types.ts";
import { ContentFilterError, UpstreamError } from "../errors.ts";
import { createChatModel, createEmbeddingModel } from "./factory.ts";
import type { FetchFn } from "./offline/handler.ts";
import AZURE_CONTENT_FILTER from "./testdata/azure_content_filter.json" with { type: "json" };

const config: ModelConfig = {
  backend: "openai-compatible",
  baseURL: "http://models.test/v1",
  model: "gpt-test",
  apiKey: "sk-test",
};

/**
 * A scripted reply, made fresh for each call (Deno 2.9's `Response.clone()` drops headers that
 * were never read, so a reply cannot be cloned for reuse).
 */
type Reply = (request: Request, signal?: AbortSignal | null) => Response | Promise<Response>;

/** A fake `fetch` that answers each call with the next scripted reply (the last one repeats). */
function scriptedFetch(...replies: Reply[]) {
  const requests: { url: string; method: string; headers: Headers; body: unknown }[] = [];
  const fetch: FetchFn = async (input, init) => {
    const request = new Request(input, init);
    const text = await request.text();
    requests.push({
      url: request.url,
      method: request.method,
      headers: request.headers,
      body: text ? JSON.parse(text) : undefined,
    });
    const reply = replies[Math.min(requests.length - 1, replies.length - 1)];
    return await reply(request, init?.signal);
  };
  return { fetch, requests };
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) => () =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });

const completion = (content: string, finish = "stop") =>
  json({
    id: "chatcmpl-1",
    object: "chat.completion",
    created: 1,
    model: "gpt-test",
    choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: finish }],
    usage: { prompt_tokens: 11, completion_tokens: 3, total_tokens: 14 },
  });

const apiError = (status: number, message = "upstream failure", headers = {}) =>
  json({ error: { message, type: "server_error", code: null } }, status, headers);

/** Server-sent events of a streamed completion; `cut` errors the body after the chunks. */
function sse(chunks: { content?: string; finish?: string }[], options: { cut?: boolean } = {}) {
  return () => sseResponse(chunks, options);
}

function sseResponse(chunks: { content?: string; finish?: string }[], options: { cut?: boolean }) {
  const encoder = new TextEncoder();
  const events = chunks.map((c) =>
    `data: ${
      JSON.stringify({
        id: "chatcmpl-1",
        object: "chat.completion.chunk",
        created: 1,
        model: "gpt-test",
        choices: [{
          index: 0,
          delta: c.content === undefined ? {} : { content: c.content },
          finish_reason: c.finish ?? null,
        }],
      })
    }\n\n`
  );
  // One event per pull, so a cut (an errored body) comes after the events were read.
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const event = events.shift();
      if (event !== undefined) controller.enqueue(encoder.encode(event));
      else if (options.cut) controller.error(new TypeError("connection reset by peer"));
      else {
        controller.enqueue(encoder.encode("data: [DONE]\n\n"));
        controller.close();
      }
    },
  });
  return new Response(body, { headers: { "content-type": "text/event-stream" } });
}

/** A reply that never comes: it waits for the request to be aborted. */
const hang = (_request: Request, signal?: AbortSignal | null) =>
  new Promise<Response>((_, reject) => {
    signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
  });

const model = (fetch: FetchFn, options: { timeoutMs?: number; maxRetries?: number } = {}) =>
  createChatModel(config, { fetch, retryBaseDelayMs: 1, ...options });

const messages = [{ role: "user" as const, content: "Which tent is lightest?" }];

Deno.test("chat model sends the OpenAI request and maps the reply", async () => {
  const { fetch, requests } = scriptedFetch(completion("The Summit Dome 2 Tent [1]."));
  const reply = await model(fetch).complete(
    [{ role: "system", content: "Be brief." }, ...messages],
    { temperature: 0.2, maxTokens: 100, topP: 0.9, json: true },
  );
  deepEqual(reply, {
    content: "The Summit Dome 2 Tent [1].",
    finishReason: "stop",
    usage: { promptTokens: 11, completionTokens: 3 },
  });
  equal(requests.length, 1);
  equal(requests[0].url, "http://models.test/v1/chat/completions");
  equal(requests[0].method, "POST");
  equal(requests[0].headers.get("authorization"), "Bearer sk-test");
  deepEqual(requests[0].body, {
    model: "gpt-test",
    messages: [{ role: "system", content: "Be brief." }, ...messages],
    temperature: 0.2,
    max_tokens: 100,
    top_p: 0.9,
    response_format: { type: "json_object" },
  });
});

Deno.test("chat model retries a 429 (honouring Retry-After) and returns the 200", async () => {
  const { fetch, requests } = scriptedFetch(
    apiError(429, "Rate limit", { "retry-after-ms": "5" }),
    completion("ok"),
  );
  const start = performance.now();
  equal((await model(fetch).complete(messages)).content, "ok");
  equal(requests.length, 2);
  ok(performance.now() - start >= 4, "waited for Retry-After");
});

Deno.test("chat model gives up after maxRetries on a permanent 500", async () => {
  const { fetch, requests } = scriptedFetch(apiError(500));
  await rejects(model(fetch, { maxRetries: 3 }).complete(messages), (e: Error) => {
    ok(e instanceof UpstreamError);
    equal(e.status, 500);
    equal(e.isRetryable, true);
    equal(e.service, "chat-model");
    return true;
  });
  equal(requests.length, 4, "the first attempt and three retries");
});

Deno.test("chat model does not retry a 400", async () => {
  const { fetch, requests } = scriptedFetch(apiError(400, "bad request"), completion("never"));
  await rejects(model(fetch).complete(messages), (e: UpstreamError) => e.status === 400);
  equal(requests.length, 1);
});

Deno.test("chat model times out a hung response with a 504 UpstreamError", async () => {
  const { fetch, requests } = scriptedFetch(hang);
  const start = performance.now();
  await rejects(model(fetch, { timeoutMs: 50 }).complete(messages), (e: Error) => {
    ok(e instanceof UpstreamError);
    equal(e.status, 504);
    ok(e.isTimeout);
    equal(e.message, "The chat-model timed out");
    return true;
  });
  ok(performance.now() - start < 5000);
  equal(requests.length, 1, "a timeout is not retried");
});

Deno.test("chat model passes the caller's abort through (it is not a timeout)", async () => {
  const { fetch } = scriptedFetch(hang);
  const controller = new AbortController();
  const pending = model(fetch, { timeoutMs: 10_000 }).complete(messages, {
    signal: controller.signal,
  });
  setTimeout(() => controller.abort(), 10);
  await rejects(pending, APIUserAbortError);
});

Deno.test("chat model reports a malformed reply as a 502, after retrying it", async (t) => {
  await t.step("never well-formed", async () => {
    const broken = () =>
      new Response("{not json", { headers: { "content-type": "application/json" } });
    const { fetch, requests } = scriptedFetch(broken);
    await rejects(model(fetch, { maxRetries: 1 }).complete(messages), (e: UpstreamError) => {
      equal(e.status, 502);
      equal(e.message, "The chat-model sent a malformed response");
      return true;
    });
    equal(requests.length, 2);
  });
  await t.step("no choices", async () => {
    const { fetch } = scriptedFetch(json({ id: "x", choices: [] }));
    await rejects(model(fetch, { maxRetries: 0 }).complete(messages), (e: UpstreamError) => {
      equal(e.status, 502);
      return true;
    });
  });
  await t.step("malformed once, then fine", async () => {
    const { fetch, requests } = scriptedFetch(
      () =>
        new Response("<html>gateway</html>", { headers: { "content-type": "application/json" } }),
      completion("recovered"),
    );
    equal((await model(fetch).complete(messages)).content, "recovered");
    equal(requests.length, 2);
  });
});

Deno.test("chat model turns Azure's content filter into a ContentFilterError", async (t) => {
  await t.step("a 400 with code content_filter / ResponsibleAIPolicyViolation", async () => {
    const { fetch, requests } = scriptedFetch(json(AZURE_CONTENT_FILTER, 400));
    await rejects(model(fetch).complete(messages), (e: Error) => {
      ok(e instanceof ContentFilterError);
      equal(e.isRetryable, false);
      ok(e.message.includes("content safety filter"));
      return true;
    });
    equal(requests.length, 1);
  });
  await t.step("finish_reason content_filter", async () => {
    const { fetch } = scriptedFetch(completion("", "content_filter"));
    await rejects(model(fetch).complete(messages), ContentFilterError);
  });
  await t.step("finish_reason content_filter mid-stream", async () => {
    const { fetch } = scriptedFetch(sse([{ content: "Sure, " }, { finish: "content_filter" }]));
    const seen: string[] = [];
    await rejects(
      (async () => {
        for await (const d of model(fetch).stream(messages)) seen.push(d);
      })(),
      ContentFilterError,
    );
    deepEqual(seen, ["Sure, "]);
  });
});

Deno.test("chat model streams deltas", async () => {
  const { fetch, requests } = scriptedFetch(
    apiError(503),
    sse([{ content: "Hello " }, { content: "Maya" }, { content: "!" }, { finish: "stop" }]),
  );
  const deltas: string[] = [];
  for await (const d of model(fetch).stream(messages, { maxTokens: 20 })) deltas.push(d);
  deepEqual(deltas, ["Hello ", "Maya", "!"]);
  equal(requests.length, 2, "a 503 before any text is retried");
  equal((requests[1].body as { stream: boolean }).stream, true);
  equal((requests[1].body as { max_tokens: number }).max_tokens, 20);
});

Deno.test("chat model stream cut mid-way yields what arrived, then an UpstreamError", async () => {
  const { fetch, requests } = scriptedFetch(
    sse([{ content: "The tent " }, { content: "weighs" }], { cut: true }),
  );
  const deltas: string[] = [];
  await rejects(
    (async () => {
      for await (const d of model(fetch).stream(messages)) deltas.push(d);
    })(),
    (e: Error) => {
      ok(e instanceof UpstreamError, `${e}`);
      equal(e.service, "chat-model");
      return true;
    },
  );
  deepEqual(deltas, ["The tent ", "weighs"]);
  equal(requests.length, 1, "text already sent on is never repeated by a retry");
});

Deno.test("embedding model sends one request for every text and orders the vectors", async () => {
  const { fetch, requests } = scriptedFetch(
    apiError(429, "slow", { "retry-after-ms": "1" }),
    json({
      object: "list",
      model: "emb",
      data: [
        { object: "embedding", index: 1, embedding: [0, 1] },
        { object: "embedding", index: 0, embedding: [1, 0] },
      ],
      usage: { prompt_tokens: 2, total_tokens: 2 },
    }),
  );
  const embeddings = createEmbeddingModel(
    { ...config, model: "emb", dimensions: 2 },
    { fetch, retryBaseDelayMs: 1 },
  );
  deepEqual(await embeddings.embed(["tent", "stove"]), [[1, 0], [0, 1]]);
  equal(requests.length, 2);
  equal(requests[1].url, "http://models.test/v1/embeddings");
  deepEqual(requests[1].body, {
    model: "emb",
    input: ["tent", "stove"],
    encoding_format: "float",
    dimensions: 2,
  });
});

Deno.test("embedding model rejects a reply with the wrong number of vectors", async () => {
  const { fetch } = scriptedFetch(
    json({ object: "list", data: [{ object: "embedding", index: 0, embedding: [1] }] }),
  );
  const embeddings = createEmbeddingModel(config, { fetch, maxRetries: 0 });
  equal(embeddings.dimensions, 1536);
  await rejects(embeddings.embed(["a", "b"]), (e: UpstreamError) => {
    equal(e.service, "embedding-model");
    equal(e.status, 502);
    return true;
  });
});

Deno.test("embedding model leaves out dimensions at the model's default size", async () => {
  const { fetch, requests } = scriptedFetch(
    json({ object: "list", data: [{ object: "embedding", index: 0, embedding: [1] }] }),
  );
  await createEmbeddingModel({ ...config, dimensions: 1536 }, { fetch }).embed(["a"]);
  equal((requests[0].body as Record<string, unknown>).dimensions, undefined);
});
