/**
 * The model client against a fake OpenAI-compatible server on loopback (a real HTTP hop):
 * the bounded retries are counted exactly under 429 with `Retry-After`, each one reported to
 * the call's `onRetry`; reasoning models get `max_completion_tokens` and no temperature, by
 * configuration or by adapting once to the endpoint's "unsupported parameter" 400.
 */
import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import type { ModelConfig } from "../config/types.ts";
import { UpstreamError } from "../errors.ts";
import OpenAI from "openai";
import { createChatModel, createEmbeddingModel } from "./factory.ts";
import { createOpenAIChatModel } from "./openai_models.ts";
import type { RetryInfo } from "./retry.ts";
import { type FakeOpenAIServerOptions, startFakeOpenAIServer } from "./_fake_openai_server.ts";

async function withServer(
  options: FakeOpenAIServerOptions,
  fn: (server: ReturnType<typeof startFakeOpenAIServer>, config: ModelConfig) => Promise<void>,
) {
  const server = startFakeOpenAIServer(options);
  try {
    await fn(server, {
      backend: "openai-compatible",
      baseURL: server.baseURL,
      model: "judge-test",
      apiKey: "sk-test",
    });
  } finally {
    await server.close();
  }
}

async function drain(stream: AsyncIterable<string>): Promise<string> {
  let text = "";
  for await (const part of stream) text += part;
  return text;
}

const messages = [{ role: "user" as const, content: "Rate this answer." }];

Deno.test("ChatModel.complete() sends a persistent 429 exactly 1 + maxRetries times", async (t) => {
  for (const maxRetries of [0, 1, 3]) {
    await t.step(`maxRetries ${maxRetries}`, async () => {
      await withServer({ rateLimited: Infinity, retryAfter: "0" }, async (server, config) => {
        const model = createChatModel(config, { maxRetries, retryBaseDelayMs: 60_000 });
        const retries: RetryInfo[] = [];
        await rejects(
          model.complete(messages, { maxTokens: 20, onRetry: (i) => retries.push(i) }),
          (e: unknown) => e instanceof UpstreamError && e.status === 429,
        );
        equal(server.requests.length, 1 + maxRetries, "upstream attempts");
        equal(retries.length, maxRetries, "onRetry calls");
        deepEqual(
          retries.map((r) => r.attempt),
          Array.from({ length: maxRetries }, (_, i) => i + 1),
        );
        // Retry-After: 0 wins over the (huge) computed backoff.
        ok(retries.every((r) => r.delayMs === 0), JSON.stringify(retries.map((r) => r.delayMs)));
        ok(retries.every((r) => r.error.status === 429 && r.error.retryAfterSeconds === 0));
      });
    });
  }
});

Deno.test("ChatModel.complete() recovers from two 429s, reporting both retries", async () => {
  await withServer(
    { rateLimited: 2, retryAfter: "0", reply: () => "4" },
    async (server, config) => {
      const model = createChatModel(config, { maxRetries: 3 });
      const perCall: RetryInfo[] = [];
      const reply = await model.complete(messages, { onRetry: (i) => perCall.push(i) });
      equal(reply.content, "4");
      deepEqual(reply.usage, { promptTokens: 20, completionTokens: 4 });
      equal(server.requests.length, 3);
      deepEqual(perCall.map((r) => [r.attempt, r.delayMs, r.error.status]), [[1, 0, 429], [
        2,
        0,
        429,
      ]]);
    },
  );
});

Deno.test("ChatModel.stream() and EmbeddingModel.embed() report retries per call", async (t) => {
  await t.step("stream: persistent 429", async () => {
    await withServer({ rateLimited: Infinity }, async (server, config) => {
      const retries: RetryInfo[] = [];
      const model = createChatModel(config, { maxRetries: 2 });
      await rejects(drain(model.stream(messages, { onRetry: (i) => retries.push(i) })));
      equal(server.requests.length, 3);
      equal(retries.length, 2);
    });
  });
  await t.step("stream: recovering 429", async () => {
    await withServer({ rateLimited: 1, reply: () => "streamed" }, async (server, config) => {
      const retries: RetryInfo[] = [];
      const model = createChatModel(config, { maxRetries: 2 });
      equal(await drain(model.stream(messages, { onRetry: (i) => retries.push(i) })), "streamed");
      equal(server.requests.length, 2);
      equal(retries.length, 1);
    });
  });
  await t.step("embed: persistent 429", async () => {
    await withServer({ rateLimited: Infinity }, async (server, config) => {
      const retries: RetryInfo[] = [];
      const model = createEmbeddingModel(config, { maxRetries: 3 });
      await rejects(model.embed(["a", "b"], { onRetry: (i) => retries.push(i) }));
      equal(server.requests.length, 4);
      deepEqual(retries.map((r) => r.delayMs), [0, 0, 0]);
    });
  });
  await t.step("embed: recovering 429", async () => {
    await withServer({ rateLimited: 2 }, async (server, config) => {
      const retries: RetryInfo[] = [];
      const model = createEmbeddingModel(config, { maxRetries: 3 });
      const vectors = await model.embed(["a", "b"], { onRetry: (i) => retries.push(i) });
      equal(vectors.length, 2);
      equal(server.requests.length, 3);
      equal(retries.length, 2);
    });
  });
});

Deno.test("ChatModel adapts once to a reasoning model that rejects max_tokens and temperature", async (t) => {
  await withServer({ reasoning: true, reply: () => "5" }, async (server, config) => {
    const retries: RetryInfo[] = [];
    const model = createChatModel(config, { maxRetries: 3 });
    const options = {
      temperature: 0,
      topP: 0.5,
      maxTokens: 40,
      onRetry: (i: RetryInfo) => retries.push(i),
    };

    await t.step("the first call is resent once per rejected parameter", async () => {
      equal((await model.complete(messages, options)).content, "5");
      const sent = server.requests.map((r) => r.body);
      equal(sent.length, 4, "max_tokens, temperature, top_p, then accepted");
      equal(sent[0].max_tokens, 40);
      equal(sent[1].max_tokens, undefined);
      ok(Number(sent[1].max_completion_tokens) >= 40, "room for the reply and the reasoning");
      equal(sent[2].temperature, undefined);
      equal(sent[3].top_p, undefined);
      equal(retries.length, 0, "an adaptation is not a retry");
    });

    await t.step("the client remembers: later calls are sent adapted at once", async () => {
      server.requests.length = 0;
      equal((await model.complete(messages, options)).content, "5");
      equal(await drain(model.stream(messages, options)), "5");
      equal(server.requests.length, 2);
      for (const { body } of server.requests) {
        equal(body.max_tokens, undefined);
        equal(body.temperature, undefined);
        equal(body.top_p, undefined);
        ok(Number(body.max_completion_tokens) >= 40);
      }
    });
  });
});

Deno.test("ChatModel configured as a reasoning model sends max_completion_tokens from the start", async () => {
  await withServer({ reasoning: true, reply: () => "3" }, async (server, config) => {
    const model = createChatModel({ ...config, reasoning: true } as ModelConfig, {});
    const reply = await model.complete(messages, { temperature: 0.2, maxTokens: 30 });
    equal(reply.content, "3");
    equal(server.requests.length, 1);
    const body = server.requests[0].body;
    equal(body.temperature, undefined);
    equal(body.max_tokens, undefined);
    equal(body.max_completion_tokens, 30 + 4096);
  });
});

Deno.test("ChatModel does not resend other 400s, nor a parameter it already adapted", async (t) => {
  await t.step("a plain 400 is sent once", async () => {
    const server = Deno.serve(
      { port: 0, hostname: "127.0.0.1", onListen: () => {} },
      () =>
        new Response(
          JSON.stringify({
            error: {
              message: "Invalid 'messages': empty",
              type: "invalid_request_error",
              param: "messages",
              code: null,
            },
          }),
          { status: 400, headers: { "content-type": "application/json" } },
        ),
    );
    let calls = 0;
    const counting = (input: RequestInfo | URL, init?: RequestInit) => {
      calls++;
      return fetch(input, init);
    };
    try {
      const model = createChatModel({
        backend: "openai-compatible",
        baseURL: `http://127.0.0.1:${server.addr.port}/v1`,
        model: "m",
        apiKey: "k",
      }, { fetch: counting });
      await rejects(
        model.complete(messages, { maxTokens: 5 }),
        (e: unknown) => e instanceof UpstreamError && e.status === 400,
      );
      equal(calls, 1);
    } finally {
      await server.shutdown();
    }
  });
  await t.step("an endpoint that keeps rejecting is not resent forever", async () => {
    // Rejects max_tokens, and says the same of the adapted request too: at most one resend.
    const server = Deno.serve(
      { port: 0, hostname: "127.0.0.1", onListen: () => {} },
      () =>
        new Response(
          JSON.stringify({
            error: {
              message: "Unsupported parameter: 'max_tokens' is not supported with this model.",
              type: "invalid_request_error",
              param: "max_tokens",
              code: "unsupported_parameter",
            },
          }),
          { status: 400, headers: { "content-type": "application/json" } },
        ),
    );
    let calls = 0;
    const counting = (input: RequestInfo | URL, init?: RequestInit) => {
      calls++;
      return fetch(input, init);
    };
    try {
      const model = createChatModel({
        backend: "openai-compatible",
        baseURL: `http://127.0.0.1:${server.addr.port}/v1`,
        model: "m",
        apiKey: "k",
      }, { fetch: counting });
      await rejects(model.complete(messages, { maxTokens: 5 }));
      equal(calls, 2);
    } finally {
      await server.shutdown();
    }
  });
});

Deno.test("createOpenAIChatModel() calls the client-wide onRetry, then the call's own", async () => {
  await withServer({ rateLimited: 2, retryAfter: "0" }, async (server) => {
    const order: string[] = [];
    const client = new OpenAI({ baseURL: server.baseURL, apiKey: "sk-test", maxRetries: 0 });
    const model = createOpenAIChatModel(client, {
      model: "judge-test",
      backend: "openai-compatible",
      service: "eval-model",
      maxRetries: 3,
      onRetry: (i) => order.push(`client ${i.attempt} ${i.status}`),
    });
    await model.complete(messages, { onRetry: (i) => order.push(`call ${i.attempt}`) });
    deepEqual(order, ["client 1 429", "call 1", "client 2 429", "call 2"]);
    equal(server.requests.length, 3);
  });
});

Deno.test("ChatModel calls running at once on a fresh client all adapt to a reasoning model", async () => {
  await withServer({ reasoning: true, reply: () => "4" }, async (server, config) => {
    const model = createChatModel(config, {});
    const replies = await Promise.all(
      Array.from({ length: 6 }, () => model.complete(messages, { temperature: 0, maxTokens: 50 })),
    );
    deepEqual(replies.map((r) => r.content), Array(6).fill("4"));
    ok(server.requests.length <= 6 * 3, `${server.requests.length} sends`);
    server.requests.length = 0;
    await model.complete(messages, { temperature: 0, maxTokens: 50 });
    equal(server.requests.length, 1, "adapted for good");
  });
});
