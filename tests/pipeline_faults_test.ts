/**
 * Integration: upstream faults through a runtime on an OpenAI-compatible configuration whose
 * `fetch` is a fake. The fake answers like the offline model unless told to fail, so start-up
 * (which embeds the catalog) and healthy requests work, and each fault is injected on demand.
 *
 * @module
 */
import { equal, ok, rejects } from "node:assert/strict";
import {
  createOfflineFetch,
  createRuntime,
  type FetchFn,
  loadConfig,
  UpstreamError,
} from "../lib/mod.ts";

type Fault = "none" | "429-once" | "500" | "hang" | "embeddings-500" | "not-json";

/** A model endpoint that behaves like the offline model, with injectable faults. */
function faultyEndpoint() {
  const offline = createOfflineFetch({ dimensions: 1536 });
  const state = { fault: "none" as Fault, chatCalls: 0, embeddingCalls: 0, throttled: 0 };
  const fetch: FetchFn = (input, init) => {
    const request = new Request(input, init);
    const isChat = request.url.endsWith("/chat/completions");
    if (isChat) state.chatCalls++;
    else state.embeddingCalls++;
    const error = (status: number, headers: Record<string, string> = {}) =>
      Promise.resolve(
        new Response(JSON.stringify({ error: { message: `HTTP ${status}`, type: "x" } }), {
          status,
          headers: { "content-type": "application/json", ...headers },
        }),
      );
    switch (state.fault) {
      case "429-once":
        if (isChat && state.throttled === 0) {
          state.throttled++;
          return error(429, { "retry-after-ms": "1" });
        }
        break;
      case "500":
        if (isChat) return error(500);
        break;
      case "embeddings-500":
        if (!isChat) return error(500);
        break;
      case "hang":
        if (isChat) {
          return new Promise((_, reject) =>
            request.signal.addEventListener(
              "abort",
              () => reject(new DOMException("aborted", "AbortError")),
            )
          );
        }
        break;
      case "not-json":
        if (isChat) {
          return Promise.resolve(
            new Response("<html>502 Bad Gateway</html>", {
              headers: { "content-type": "application/json" },
            }),
          );
        }
        break;
    }
    return offline(request);
  };
  return { fetch, state };
}

Deno.test("upstream 429, 500, timeouts and malformed replies through the runtime", async (t) => {
  const config = loadConfig({
    OPENAI_BASE_URL: "http://llm.test/v1",
    OPENAI_API_KEY: "sk-test",
    MODEL_TIMEOUT_MS: "150",
    MODEL_MAX_RETRIES: "2",
  });
  equal(config.chat.backend, "openai-compatible");
  const endpoint = faultyEndpoint();
  const runtime = await createRuntime(config, { fetch: endpoint.fetch, retryBaseDelayMs: 1 });
  const ask = () =>
    runtime.pipeline.getResponse({ customerId: "1", question: "How do I clean my tent?" });
  const reset = (fault: Fault) => {
    endpoint.state.fault = fault;
    endpoint.state.chatCalls = 0;
    endpoint.state.embeddingCalls = 0;
  };
  try {
    ok(endpoint.state.embeddingCalls > 0, "start-up embedded the catalog through the fake");
    equal(runtime.embeddingModel.dimensions, 1536);

    await t.step("healthy: answers", async () => {
      reset("none");
      const response = await ask();
      ok(/\bMaya\b/.test(response.answer));
      equal(endpoint.state.chatCalls, 2, "query generation and the answer");
    });

    await t.step("a 429 is retried after Retry-After and the request succeeds", async () => {
      reset("429-once");
      const response = await ask();
      ok(/\bMaya\b/.test(response.answer));
      equal(endpoint.state.throttled, 1);
      equal(endpoint.state.chatCalls, 3, "one throttled call, its retry, and the answer");
    });

    await t.step(
      "a permanent 500 fails after the retry budget with a retryable error",
      async () => {
        reset("500");
        await rejects(ask(), (e: Error) => {
          ok(e instanceof UpstreamError, String(e));
          equal(e.status, 500);
          equal(e.isRetryable, true);
          equal(e.service, "chat-model");
          return true;
        });
        equal(endpoint.state.chatCalls, 3, "the first attempt and MODEL_MAX_RETRIES=2 retries");
      },
    );

    await t.step("an embeddings 500 fails the request with the embedding model named", async () => {
      reset("embeddings-500");
      await rejects(ask(), (e: Error) => {
        ok(e instanceof UpstreamError);
        equal(e.service, "embedding-model");
        return true;
      });
    });

    await t.step("a hung model call times out as a 504 within MODEL_TIMEOUT_MS", async () => {
      reset("hang");
      const start = performance.now();
      await rejects(ask(), (e: Error) => {
        ok(e instanceof UpstreamError);
        equal(e.status, 504);
        ok(e.isTimeout);
        return true;
      });
      const took = performance.now() - start;
      ok(took >= 140 && took < 5000, `took ${took} ms`);
      equal(endpoint.state.chatCalls, 1, "a timeout is not retried");
    });

    await t.step("a malformed reply is a 502 after retries", async () => {
      reset("not-json");
      await rejects(ask(), (e: Error) => e instanceof UpstreamError && e.status === 502);
      equal(endpoint.state.chatCalls, 3);
    });

    await t.step("the streaming form surfaces the same errors", async () => {
      reset("500");
      await rejects(async () => {
        for await (
          const _ of runtime.pipeline.streamResponse({ customerId: "1", question: "Tents?" })
        ) { /* drain */ }
      }, (e: Error) => e instanceof UpstreamError && e.status === 500);
    });

    await t.step(
      "checkServices() reports the failing model with a fix, and the rest ok",
      async () => {
        reset("500");
        const checks = await runtime.checkServices();
        const chat = checks.find((c) => c.service === "chat-model")!;
        equal(chat.ok, false);
        ok(chat.detail.includes("500"), chat.detail);
        ok(chat.fix && chat.fix.length > 0);
        ok(checks.some((c) => c.service === "eval-model"), "an OpenAI-compatible judge is checked");
        for (const service of ["embedding-model", "customers", "products"]) {
          ok(checks.find((c) => c.service === service)!.ok, service);
        }
      },
    );

    await t.step("after the fault clears, requests succeed again", async () => {
      reset("none");
      ok(/\bMaya\b/.test((await ask()).answer));
    });
  } finally {
    await runtime.close();
  }
});
