/**
 * Streaming (server-sent events) and graceful shutdown. In-process tests cover the event
 * format, the triggers (Accept header, `stream: true`, `?stream=true`) and failures before
 * and during a stream; tests against a real listening server (Deno.serve on port 0) show
 * that events arrive incrementally and in order, that a disconnecting client stops the
 * pipeline, and that shutdown lets an in-flight stream finish.
 *
 * @module
 */
import assert from "node:assert/strict";
import { UpstreamError } from "../lib/errors.ts";
import { startServer } from "../server/serve.ts";
import { createTestApp } from "../server/testing.ts";

interface ReceivedEvent {
  event: string;
  data: Record<string, unknown>;
  at: number;
}

/** Read a server-sent event stream, stamping each event with its arrival time. */
async function readEvents(
  body: ReadableStream<Uint8Array>,
  onEvent?: (e: ReceivedEvent) => void,
): Promise<ReceivedEvent[]> {
  const events: ReceivedEvent[] = [];
  let buffer = "";
  const decoder = new TextDecoder();
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const lines = block.split("\n").filter((l) => l && !l.startsWith(":"));
      if (lines.length === 0) continue;
      const event = lines.find((l) => l.startsWith("event: "))?.slice(7) ?? "message";
      const data = JSON.parse(
        lines.filter((l) => l.startsWith("data: ")).map((l) => l.slice(6)).join("\n"),
      );
      const received = { event, data, at: performance.now() };
      events.push(received);
      onEvent?.(received);
    }
  }
  assert.equal(buffer.trim(), "", "the stream ends on an event boundary");
  return events;
}

const body = (fields: Record<string, unknown>) => JSON.stringify(fields);
const sseRequest = (fields: Record<string, unknown>, headers: Record<string, string> = {}) => ({
  method: "POST",
  headers: { "content-type": "application/json", accept: "text/event-stream", ...headers },
  body: body(fields),
});

Deno.test("streaming: context, deltas, then done with the whole answer", async (t) => {
  const { app } = createTestApp();
  for (
    const [name, path, init] of [
      [
        "Accept: text/event-stream",
        "/api/create_response",
        sseRequest({ question: "Tents?", customer_id: "1" }),
      ],
      ["stream: true in the body", "/api/create_response", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: body({ question: "Tents?", customer_id: "1", stream: true }),
      }],
      [
        "?stream=true with query parameters",
        "/api/create_response?question=Tents%3F&customer_id=1&stream=true",
        {
          method: "POST",
        },
      ],
    ] as const
  ) {
    await t.step(name, async () => {
      const res = await app.request(path, init);
      assert.equal(res.status, 200);
      assert.match(res.headers.get("content-type") ?? "", /^text\/event-stream/);
      assert.equal(res.headers.get("cache-control"), "no-store, no-transform");
      assert.ok(res.headers.get("x-request-id"));
      const events = await readEvents(res.body!);
      const names = events.map((e) => e.event);
      assert.equal(names[0], "context");
      assert.equal(names.at(-1), "done");
      assert.ok(names.slice(1, -1).every((n) => n === "delta"));
      assert.ok(names.length > 4);
      const context = events[0].data.context as { id: string; kind: string }[];
      assert.deepEqual(context.map((c) => c.kind), ["product", "manual"]);
      assert.deepEqual(events[0].data.queries, ["Tents?"]);
      const text = events.filter((e) => e.event === "delta").map((e) => e.data.text).join("");
      const done = events.at(-1)!.data;
      assert.equal(done.answer, text);
      assert.equal(done.question, "Tents?");
      assert.deepEqual(Object.keys(done).sort(), ["answer", "context", "question"]);
    });
  }
});

Deno.test("streaming: errors before the first event keep their HTTP status", async (t) => {
  await t.step("unknown customer is 404 JSON, not a stream", async () => {
    const { app } = createTestApp();
    const res = await app.request(
      "/api/create_response",
      sseRequest({ question: "Hi", customer_id: "404" }),
    );
    assert.equal(res.status, 404);
    assert.match(res.headers.get("content-type") ?? "", /application\/json/);
    assert.equal((await res.json()).error.code, "not_found");
  });
  await t.step("validation is 400", async () => {
    const { app } = createTestApp();
    const res = await app.request("/api/create_response", sseRequest({ customer_id: "1" }));
    assert.equal(res.status, 400);
    await res.body?.cancel();
  });
  await t.step("an upstream failure at once is 502", async () => {
    const { app } = createTestApp({
      pipelineOptions: {
        failWith: () =>
          new UpstreamError("search down", { service: "products", status: 503, isRetryable: true }),
      },
    });
    const res = await app.request(
      "/api/create_response",
      sseRequest({ question: "Hi", customer_id: "1" }),
    );
    assert.equal(res.status, 502);
    assert.equal((await res.json()).error.code, "upstream_error");
  });
});

Deno.test("streaming: a failure mid-stream is an error event that ends the stream", async (t) => {
  await t.step("upstream failure after two deltas", async () => {
    const { app, logger } = createTestApp({
      pipelineOptions: {
        failAfterEvents: 3,
        failWith: () =>
          new UpstreamError("Azure OpenAI 500 trace 0xdead", {
            service: "chat-model",
            status: 500,
            isRetryable: true,
          }),
      },
    });
    const res = await app.request(
      "/api/create_response",
      sseRequest({ question: "Hi", customer_id: "1" }),
    );
    assert.equal(res.status, 200);
    const events = await readEvents(res.body!);
    assert.deepEqual(events.map((e) => e.event), ["context", "delta", "delta", "error"]);
    const error = events.at(-1)!.data as {
      status: number;
      error: { code: string; message: string };
    };
    assert.equal(error.status, 502);
    assert.equal(error.error.code, "upstream_error");
    assert.ok(!JSON.stringify(error).includes("0xdead"));
    const line = logger.records.find((r) => r.msg === "stream finished");
    assert.equal(line?.errorCode, "upstream_error");
  });
  await t.step("content filter refusal mid-stream", async () => {
    const { ContentFilterError } = await import("../lib/errors.ts");
    const { app } = createTestApp({
      pipelineOptions: { failAfterEvents: 1, failWith: () => new ContentFilterError("chat-model") },
    });
    const res = await app.request(
      "/api/create_response",
      sseRequest({ question: "Hi", customer_id: "1" }),
    );
    const events = await readEvents(res.body!);
    assert.deepEqual(events.map((e) => e.event), ["context", "error"]);
    assert.equal((events[1].data.error as { code: string }).code, "content_filtered");
  });
  await t.step("a pipeline that hangs mid-stream times out with an error event", async () => {
    const { app, pipeline } = createTestApp({
      pipelineOptions: { hang: true },
      requestTimeoutMs: 100,
    });
    const started = performance.now();
    const res = await app.request(
      "/api/create_response",
      sseRequest({ question: "Hi", customer_id: "1" }),
    );
    const events = await readEvents(res.body!);
    assert.deepEqual(events.map((e) => e.event), ["context", "error"]);
    assert.equal((events[1].data.error as { code: string }).code, "upstream_timeout");
    assert.ok(performance.now() - started < 2_000);
    assert.equal(pipeline.aborted(), 1);
  });
  await t.step("a pipeline that ends without done gets an error event", async () => {
    const { app } = createTestApp({
      pipeline: {
        getResponse: () => Promise.reject(new Error("unused")),
        async *streamResponse() {
          yield { type: "context" as const, context: [], queries: [] };
          yield { type: "delta" as const, text: "Hi" };
        },
      },
    });
    const res = await app.request(
      "/api/create_response",
      sseRequest({ question: "Hi", customer_id: "1" }),
    );
    const events = await readEvents(res.body!);
    assert.deepEqual(events.map((e) => e.event), ["context", "delta", "error"]);
    assert.equal((events[2].data.error as { code: string }).code, "internal_error");
  });
});

Deno.test("real server: events arrive incrementally and in order", async () => {
  const delayMs = 60;
  const { app } = createTestApp({ pipelineOptions: { delayMs } });
  const server = startServer(app, { port: 0, hostname: "127.0.0.1" });
  try {
    const started = performance.now();
    const res = await fetch(
      `http://127.0.0.1:${server.addr.port}/api/create_response`,
      sseRequest({ question: "Tents?", customer_id: "1" }),
    );
    assert.equal(res.status, 200);
    const headersAt = performance.now();
    const events = await readEvents(res.body!);
    const names = events.map((e) => e.event);
    assert.equal(names[0], "context");
    assert.equal(names.at(-1), "done");
    // Headers come with the first event, long before the answer is complete ...
    assert.ok(headersAt - started < delayMs * 4, `headers after ${headersAt - started} ms`);
    // ... and each later event arrives about one delay after the one before it.
    for (let i = 1; i < events.length; i++) {
      const gap = events[i].at - events[i - 1].at;
      assert.ok(gap >= delayMs * 0.5, `event ${i} came ${gap.toFixed(1)} ms after the previous`);
    }
    assert.ok(events.at(-1)!.at - events[0].at >= (events.length - 1) * delayMs * 0.8);
  } finally {
    await server.shutdown();
  }
});

Deno.test("real server: a client that disconnects stops the pipeline", async () => {
  const { app, pipeline, logger } = createTestApp({ pipelineOptions: { delayMs: 50 } });
  const server = startServer(app, { port: 0, hostname: "127.0.0.1" });
  try {
    const controller = new AbortController();
    const res = await fetch(`http://127.0.0.1:${server.addr.port}/api/create_response`, {
      ...sseRequest({ question: "Tents?", customer_id: "1" }),
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    await reader.read(); // the context event
    controller.abort();
    await reader.cancel().catch(() => {});
    const deadline = Date.now() + 3_000;
    while (pipeline.aborted() === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(pipeline.aborted(), 1, "the pipeline's signal fired");
    while (!logger.records.some((r) => r.msg === "stream finished") && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(logger.records.find((r) => r.msg === "stream finished")?.cancelled, true);
  } finally {
    await server.shutdown();
  }
});

Deno.test("real server: shutdown lets an in-flight stream finish, then refuses new connections", async () => {
  const { app } = createTestApp({ pipelineOptions: { delayMs: 40 } });
  const server = startServer(app, { port: 0, hostname: "127.0.0.1" });
  const url = `http://127.0.0.1:${server.addr.port}`;
  let shutdownAt = 0;
  let shutdown: Promise<{ graceful: boolean }> | undefined;
  const res = await fetch(
    `${url}/api/create_response`,
    sseRequest({ question: "Tents?", customer_id: "1" }),
  );
  const events = await readEvents(res.body!, (e) => {
    if (e.event === "context") {
      shutdownAt = performance.now();
      shutdown = server.shutdown();
    }
  });
  const streamEndedAt = performance.now();
  assert.equal(events.at(-1)?.event, "done", "the stream completed after shutdown began");
  assert.ok(events.length > 4);
  assert.ok(streamEndedAt - shutdownAt > 100);
  const { graceful } = await shutdown!;
  assert.equal(graceful, true);
  await server.finished;
  await assert.rejects(fetch(`${url}/health`));
});

Deno.test("real server: shutdown gives up on a stuck request after the grace period", async () => {
  const { app } = createTestApp({ pipelineOptions: { hang: true }, requestTimeoutMs: 5_000 });
  const server = startServer(app, { port: 0, hostname: "127.0.0.1", shutdownGraceMs: 100 });
  const controller = new AbortController();
  const res = await fetch(`http://127.0.0.1:${server.addr.port}/api/create_response`, {
    ...sseRequest({ question: "Hi", customer_id: "1" }),
    signal: controller.signal,
  });
  const reader = res.body!.getReader();
  await reader.read();
  const started = performance.now();
  const { graceful } = await server.shutdown();
  assert.equal(graceful, false);
  assert.ok(performance.now() - started < 2_000);
  controller.abort();
  await reader.cancel().catch(() => {});
  await server.finished;
});
