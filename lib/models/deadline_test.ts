/**
 * Deadlines of model calls beyond the response headers: a body that stalls, a stream that goes
 * quiet, and a stream that closes without a finish reason (a cut answer is an error, never a
 * silently truncated reply).
 */
import { equal, ok, rejects } from "node:assert/strict";
import type { ModelConfig } from "../config/types.ts";
import { UpstreamError } from "../errors.ts";
import { createChatModel, createEmbeddingModel } from "./factory.ts";
import type { FetchFn } from "./offline/handler.ts";

const config: ModelConfig = {
  backend: "openai-compatible",
  baseURL: "http://models.test/v1",
  model: "gpt-test",
  dimensions: 4,
};
const messages = [{ role: "user" as const, content: "Which tent is lightest?" }];

/** Headers at once, then a body that sends `first` and never ends. */
function stallingFetch(contentType: string, first: string): FetchFn {
  return () =>
    Promise.resolve(
      new Response(
        new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new TextEncoder().encode(first));
          },
        }),
        { headers: { "content-type": contentType } },
      ),
    );
}

function sse(...events: unknown[]): FetchFn {
  const body = events.map((e) => `data: ${typeof e === "string" ? e : JSON.stringify(e)}\n\n`)
    .join("");
  return () =>
    Promise.resolve(new Response(body, { headers: { "content-type": "text/event-stream" } }));
}

const chunk = (content: string | undefined, finish: string | null = null) => ({
  id: "c",
  object: "chat.completion.chunk",
  created: 1,
  model: "gpt-test",
  choices: [{ index: 0, delta: content === undefined ? {} : { content }, finish_reason: finish }],
});

async function drain(stream: AsyncIterable<string>): Promise<string> {
  let text = "";
  for await (const t of stream) text += t;
  return text;
}

const isTimeout = (e: Error) => e instanceof UpstreamError && e.status === 504;

Deno.test("complete() times out a reply whose body stalls after the headers", async () => {
  const chat = createChatModel(config, {
    fetch: stallingFetch("application/json", '{"id":"x","choi'),
    timeoutMs: 100,
  });
  const start = performance.now();
  await rejects(chat.complete(messages), isTimeout);
  ok(performance.now() - start < 2000);
});

Deno.test("embed() times out a reply whose body stalls after the headers", async () => {
  const embeddings = createEmbeddingModel(config, {
    fetch: stallingFetch("application/json", '{"data":['),
    timeoutMs: 100,
  });
  await rejects(embeddings.embed(["tent"]), isTimeout);
});

Deno.test("stream() times out when the stream goes quiet", async () => {
  const chat = createChatModel(config, {
    fetch: stallingFetch("text/event-stream", `data: ${JSON.stringify(chunk("Hi"))}\n\n`),
    timeoutMs: 100,
  });
  const received: string[] = [];
  await rejects(async () => {
    for await (const t of chat.stream(messages)) received.push(t);
  }, isTimeout);
  equal(received.join(""), "Hi", "text that arrived before the stall was passed on");
});

Deno.test("stream() rejects a stream that ends without a finish reason", async () => {
  const chat = createChatModel(config, { fetch: sse(chunk("The Summit"), chunk(" Dome")) });
  await rejects(drain(chat.stream(messages)), (e: Error) => {
    ok(e instanceof UpstreamError);
    equal(e.status, 502);
    return true;
  });
});

Deno.test("stream() passes a complete stream through", async () => {
  const chat = createChatModel(config, {
    fetch: sse(chunk("The Summit"), chunk(" Dome"), chunk(undefined, "stop"), "[DONE]"),
  });
  equal(await drain(chat.stream(messages)), "The Summit Dome");
});
