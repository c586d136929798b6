/**
 * GitHub Models at the HTTP boundary: the models the factory builds for a `github-models`
 * configuration, against the loopback fake playing GitHub Models (token, catalog of model ids,
 * rate-limit headers, 429s, an exhausted daily allowance).
 *
 * @module
 */
import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import type { ModelConfig } from "../config/types.ts";
import { UpstreamError } from "../errors.ts";
import { startFakeOpenAIServer } from "./_fake_openai_server.ts";
import { createChatModel, createEmbeddingModel } from "./factory.ts";
import { createGitHubPacing, isReasoningModel, rateTierOf } from "./github_models.ts";
import { AllowanceExhaustedError } from "./rate_limits.ts";

const TOKEN = "ghp_fakeTokenForTests0123456789";
const MODELS = ["openai/gpt-4.1-mini", "openai/text-embedding-3-small", "meta/llama-3.3-70b"];

function github(endpoint: string, model: string, extra: Partial<ModelConfig> = {}): ModelConfig {
  return {
    backend: "github-models",
    endpoint,
    model,
    apiKey: TOKEN,
    apiVersion: "2022-11-28",
    ...extra,
  } as ModelConfig;
}

Deno.test("createChatModel() on GitHub Models sends the token, GitHub's headers and the model id", async (t) => {
  const server = startFakeOpenAIServer({
    requireToken: TOKEN,
    models: MODELS,
    reply: () => "Pack the tent dry. ",
    streamWords: true,
  });
  try {
    const chat = createChatModel(github(server.inferenceURL, "openai/gpt-4.1-mini"), {
      maxRetries: 0,
    });
    await t.step("a completion", async () => {
      const reply = await chat.complete([{ role: "user", content: "How do I store my tent?" }]);
      equal(reply.content, "Pack the tent dry. ");
      const sent = server.requests.at(-1)!;
      equal(sent.path, "/inference/chat/completions");
      equal(sent.headers.authorization, `Bearer ${TOKEN}`);
      equal(sent.headers["x-github-api-version"], "2022-11-28");
      equal(sent.headers.accept, "application/vnd.github+json");
      equal(sent.body.model, "openai/gpt-4.1-mini");
      equal(chat.backend, "github-models");
      equal(chat.name, "openai/gpt-4.1-mini");
    });
    await t.step("a stream arrives word by word", async () => {
      const pieces: string[] = [];
      for await (const piece of chat.stream([{ role: "user", content: "Tent storage?" }])) {
        pieces.push(piece);
      }
      deepEqual(pieces, ["Pack ", "the ", "tent ", "dry. "]);
      equal(server.requests.at(-1)!.body.stream, true);
      equal(server.requests.at(-1)!.headers.authorization, `Bearer ${TOKEN}`);
    });
    await t.step("a wrong token is a 401, not retried", async () => {
      const before = server.requests.length;
      const wrong = createChatModel(
        github(server.inferenceURL, "openai/gpt-4.1-mini", { apiKey: "ghp_wrong" }),
        { maxRetries: 2 },
      );
      await rejects(
        wrong.complete([{ role: "user", content: "hi" }]),
        (e) => e instanceof UpstreamError && e.status === 401 && !e.isRetryable,
      );
      equal(server.requests.length - before, 1);
    });
    await t.step("an unknown model id is refused", async () => {
      const unknown = createChatModel(github(server.inferenceURL, "gpt-4.1-mini"), {
        maxRetries: 0,
      });
      await rejects(
        unknown.complete([{ role: "user", content: "hi" }]),
        (e) => e instanceof UpstreamError && e.status === 400 && !e.isRetryable,
      );
    });
  } finally {
    await server.close();
  }
});

Deno.test("createEmbeddingModel() on GitHub Models returns vectors of the configured dimension", async (t) => {
  const server = startFakeOpenAIServer({
    requireToken: TOKEN,
    models: MODELS,
    embeddingDimensions: 1536,
  });
  try {
    await t.step("the native 1536 sends no dimensions", async () => {
      const model = createEmbeddingModel(
        github(server.inferenceURL, "openai/text-embedding-3-small", { dimensions: 1536 }),
      );
      const vectors = await model.embed(["waterproof tent", "trail shoes"]);
      equal(vectors.length, 2);
      equal(vectors[0].length, 1536);
      ok(vectors[0].some((x, i) => x !== vectors[1][i]), "different texts, different vectors");
      const sent = server.requests.at(-1)!;
      equal(sent.path, "/inference/embeddings");
      equal(sent.body.model, "openai/text-embedding-3-small");
      equal(sent.body.dimensions, undefined);
      equal(sent.headers.authorization, `Bearer ${TOKEN}`);
      equal(model.dimensions, 1536);
    });
    await t.step("a smaller dimension is asked for", async () => {
      const model = createEmbeddingModel(
        github(server.inferenceURL, "openai/text-embedding-3-small", { dimensions: 256 }),
      );
      const [vector] = await model.embed(["sleeping bag"]);
      equal(vector.length, 256);
      equal(server.requests.at(-1)!.body.dimensions, 256);
    });
  } finally {
    await server.close();
  }
});

Deno.test("GitHub Models clients pace themselves to 429s and the rate-limit headers", async (t) => {
  await t.step(
    "a 429 with Retry-After is waited out without spending the retry budget or the deadline",
    async () => {
      const server = startFakeOpenAIServer({
        rateLimited: 2,
        retryAfter: "1",
        rateLimitHeaders: true,
      });
      try {
        const waits: { model: string; delayMs: number }[] = [];
        const pacing = createGitHubPacing({ maxWaitMs: 5_000, onWait: (w) => waits.push(w) });
        const chat = createChatModel(github(server.inferenceURL, "openai/gpt-4.1-mini"), {
          maxRetries: 0, // pacing is not retrying
          timeoutMs: 800, // shorter than the two waits together: they happen outside the deadline
          pacing,
        });
        const start = performance.now();
        const reply = await chat.complete([{ role: "user", content: "hi" }]);
        const elapsed = performance.now() - start;
        equal(reply.content, "OK");
        equal(server.requests.length, 3);
        ok(elapsed >= 1_900, `waited the two Retry-After seconds (took ${elapsed.toFixed(0)} ms)`);
        const allowance = pacing.trackerFor("openai/gpt-4.1-mini").current();
        equal(allowance.source, "headers");
        equal(allowance.limitRequests, 150);
        equal(allowance.remainingRequests, 149);
        equal(allowance.exhausted, false);
        equal(waits.length, 2);
        ok(
          waits.every((w) =>
            w.model === "openai/gpt-4.1-mini" && w.delayMs > 900 && w.delayMs <= 1_000
          ),
        );
      } finally {
        await server.close();
      }
    },
  );
  await t.step("the documented tier is reported before any call", () => {
    const pacing = createGitHubPacing();
    deepEqual(pacing.trackerFor("openai/gpt-4.1-mini").current(), {
      limitRequests: 150,
      remainingRequests: 150,
      limitTokens: 12000,
      exhausted: false,
      source: "documented",
    });
    equal(pacing.trackerFor("openai/gpt-4o").current().limitRequests, 50);
  });
  await t.step(
    "an exhausted daily allowance stops with AllowanceExhaustedError, resumable",
    async () => {
      const server = startFakeOpenAIServer({ dailyAllowance: 2, dailyResetSeconds: 7_200 });
      try {
        const pacing = createGitHubPacing();
        const config = github(server.inferenceURL, "openai/gpt-4.1-mini");
        const chat = createChatModel(config, { maxRetries: 3, pacing });
        const judge = createChatModel(config, { maxRetries: 3, pacing, service: "eval-model" });
        await chat.complete([{ role: "user", content: "one" }]);
        await judge.complete([{ role: "user", content: "two" }]);
        const before = Date.now();
        const error = await judge.complete([{ role: "user", content: "three" }]).then(
          () => undefined,
          (e) => e,
        );
        ok(error instanceof AllowanceExhaustedError, `got ${error}`);
        ok(!(error instanceof UpstreamError));
        equal(error.service, "eval-model");
        const resetIn = error.resetAt!.getTime() - before;
        ok(resetIn > 7_100_000 && resetIn < 7_300_000, `resets in about 2 hours (${resetIn} ms)`);
        ok(/openai\/gpt-4\.1-mini/.test(error.message) && /UserByModelByDay/.test(error.message));
        equal(server.requests.length, 3, "the 429 is not retried");
        const tracker = pacing.trackerFor("openai/gpt-4.1-mini");
        equal(tracker.current().exhausted, true);
        equal(tracker.current().remainingRequests, 0);
        // The chat model shares the judge's count: it knows without asking.
        await rejects(chat.complete([{ role: "user", content: "four" }]), AllowanceExhaustedError);
        equal(server.requests.length, 3);
      } finally {
        await server.close();
      }
    },
  );
  await t.step("headers saying none is left until tomorrow stop before sending", async () => {
    const server = startFakeOpenAIServer({
      dailyAllowance: 2,
      dailyResetSeconds: 7_200,
      rateLimitHeaders: true,
    });
    try {
      const pacing = createGitHubPacing();
      const chat = createChatModel(github(server.inferenceURL, "openai/gpt-4.1-mini"), { pacing });
      await chat.complete([{ role: "user", content: "one" }]);
      equal(pacing.trackerFor("openai/gpt-4.1-mini").current().remainingRequests, 1);
      await chat.complete([{ role: "user", content: "two" }]);
      const allowance = pacing.trackerFor("openai/gpt-4.1-mini").current();
      equal(allowance.remainingRequests, 0);
      equal(allowance.exhausted, true);
      await rejects(chat.complete([{ role: "user", content: "three" }]), AllowanceExhaustedError);
      equal(server.requests.length, 2, "nothing sent once the headers said so");
    } finally {
      await server.close();
    }
  });
  await t.step("an exhausted allowance also stops embeddings and streams", async () => {
    const server = startFakeOpenAIServer({ dailyAllowance: 0 });
    try {
      const pacing = createGitHubPacing();
      const embed = createEmbeddingModel(
        github(server.inferenceURL, "openai/text-embedding-3-small"),
        { pacing },
      );
      await rejects(embed.embed(["tent"]), AllowanceExhaustedError);
      const chat = createChatModel(github(server.inferenceURL, "openai/gpt-4.1-mini"), { pacing });
      await rejects(async () => {
        for await (const _ of chat.stream([{ role: "user", content: "hi" }])) { /* none */ }
      }, AllowanceExhaustedError);
    } finally {
      await server.close();
    }
  });
});

Deno.test("rateTierOf() and isReasoningModel() follow GitHub's tiers", () => {
  equal(rateTierOf("openai/gpt-4.1-mini"), "low");
  equal(rateTierOf("openai/gpt-4.1"), "high");
  equal(rateTierOf("openai/text-embedding-3-large"), "embedding");
  equal(rateTierOf("cohere/cohere-embed-v3-multilingual"), "embedding");
  equal(rateTierOf("openai/o3"), "reasoning");
  equal(rateTierOf("openai/o4-mini"), "reasoning-mini");
  equal(rateTierOf("deepseek/deepseek-r1"), "reasoning");
  equal(rateTierOf("some-lab/new-model"), "high", "unknown: the stricter general tier");
  ok(isReasoningModel("openai/o4-mini") && isReasoningModel("openai/gpt-5"));
  ok(!isReasoningModel("openai/gpt-4.1-mini") && !isReasoningModel("openai/gpt-5-chat"));
});
