/**
 * `createRuntime()` on the GitHub Models track: the runtime exposes one rate-limit tracker per
 * model (`runtime.rateLimits`, what `deno task eval` shows), shared by the chat model and a judge
 * on the same model, learned from the headers of the fake playing GitHub Models; other tracks
 * have none.
 *
 * @module
 */
import { equal, ok } from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { startFakeOpenAIServer } from "../lib/models/_fake_openai_server.ts";
import { createRuntime, loadConfig } from "../lib/mod.ts";

const root = fileURLToPath(new URL("..", import.meta.url));

Deno.test("createRuntime() exposes the GitHub Models allowance as runtime.rateLimits", async (t) => {
  const server = startFakeOpenAIServer({
    requireToken: "ghp_runtime",
    embeddingDimensions: 1536,
    rateLimitHeaders: true,
    dailyAllowance: 40,
    reply: () => "From the fake.",
  });
  try {
    const config = loadConfig({
      MODEL_PROVIDER: "github",
      GITHUB_TOKEN: "ghp_runtime",
      GITHUB_MODELS_ENDPOINT: server.inferenceURL,
      CONTOSO_DATA_DIR: `${root}/data`,
      CONTOSO_INDEX_CACHE_DIR: "off",
    });
    const runtime = await createRuntime(config);
    try {
      await t.step("one tracker per model, the judge sharing the chat model's", () => {
        const limits = runtime.rateLimits!;
        ok(limits.chat && limits.embedding && limits.evaluation);
        equal(limits.chat, limits.evaluation);
        ok(limits.chat !== limits.embedding);
        equal(limits.chat.current().source, "documented");
        equal(limits.chat.current().limitRequests, 150);
        equal(limits.embedding.current().source, "headers", "seeding embedded the catalog");
      });
      await t.step("answers update it from the service's headers", async () => {
        const reply = await runtime.pipeline.getResponse({
          customerId: "1",
          question: "Which tent?",
        });
        ok(reply.answer.includes("From the fake."));
        const allowance = runtime.rateLimits!.chat.current();
        equal(allowance.source, "headers");
        equal(allowance.limitRequests, 40);
        equal(allowance.remainingRequests, 40 - server.answered.get("openai/gpt-4.1-mini")!);
      });
    } finally {
      await runtime.close();
    }
    await t.step("a refused token: the service check names GITHUB_TOKEN", async () => {
      const wrong = await createRuntime(
        loadConfig({
          MODEL_PROVIDER: "github",
          GITHUB_TOKEN: "ghp_wrong",
          GITHUB_MODELS_ENDPOINT: server.inferenceURL,
          CONTOSO_INDEX_CACHE_DIR: "off",
        }),
        { seed: false },
      );
      try {
        const checks = await wrong.checkServices();
        const chat = checks.find((c) => c.service === "chat-model")!;
        equal(chat.ok, false);
        equal(chat.backend, "github-models");
        ok(chat.fix?.includes("GITHUB_TOKEN"), chat.fix);
      } finally {
        await wrong.close();
      }
    });
    await t.step("the offline track has none", async () => {
      const offline = await createRuntime(loadConfig({ CONTOSO_INDEX_CACHE_DIR: "off" }));
      try {
        equal(offline.rateLimits, undefined);
      } finally {
        await offline.close();
      }
    });
  } finally {
    await server.close();
  }
});
