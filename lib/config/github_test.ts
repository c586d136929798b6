import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { ConfigError, loadConfig } from "./load.ts";
import { describeConfig, formatConfig } from "./summary.ts";
import { parseGitHubModels } from "./github.ts";
import { VARIABLES } from "./variables.ts";
import { embeddingIdentity } from "../products/index_cache.ts";
import { embeddingKeyOf } from "../seed/index_writer.ts";
import { createEmbeddingModel } from "../models/factory.ts";

const TOKEN = "github_pat_11AAAAAAA0secretValueNeverPrinted";

Deno.test("loadConfig() selects GitHub Models only when MODEL_PROVIDER=github", async (t) => {
  await t.step("the documented defaults", () => {
    const config = loadConfig({ MODEL_PROVIDER: "github", GITHUB_TOKEN: TOKEN });
    deepEqual(config.chat, {
      backend: "github-models",
      endpoint: "https://models.github.ai/inference",
      model: "openai/gpt-4.1-mini",
      apiKey: TOKEN,
      apiVersion: "2022-11-28",
    });
    deepEqual(config.embedding, {
      backend: "github-models",
      endpoint: "https://models.github.ai/inference",
      model: "openai/text-embedding-3-small",
      apiKey: TOKEN,
      apiVersion: "2022-11-28",
      dimensions: 1536,
    });
    equal(config.evaluation?.backend, "github-models");
    equal(
      config.evaluation?.backend === "github-models" && config.evaluation.model,
      "openai/gpt-4.1-mini",
    );
    equal(config.rateLimitMaxWaitMs, 60_000);
  });
  await t.step("a GITHUB_TOKEN alone (every Codespace has one) changes nothing", () => {
    deepEqual(loadConfig({ GITHUB_TOKEN: TOKEN }), loadConfig({}));
    equal(loadConfig({ GITHUB_TOKEN: TOKEN }).chat.backend, "offline");
    const openai = loadConfig({ GITHUB_TOKEN: TOKEN, OPENAI_API_KEY: "sk-x" });
    equal(openai.chat.backend, "openai-compatible");
    equal(loadConfig({ MODEL_PROVIDER: "auto", GITHUB_TOKEN: TOKEN }).chat.backend, "offline");
  });
  await t.step("it wins over the Azure and OpenAI variables when asked for", () => {
    const config = loadConfig({
      MODEL_PROVIDER: "GitHub",
      GITHUB_TOKEN: TOKEN,
      AZURE_OPENAI_ENDPOINT: "https://contoso.openai.azure.com",
      OPENAI_API_KEY: "sk-x",
    });
    equal(config.chat.backend, "github-models");
    equal(config.embedding.backend, "github-models");
  });
  await t.step("models, endpoint, dimension and pacing bound have their own variables", () => {
    const config = loadConfig({
      MODEL_PROVIDER: "github",
      GITHUB_TOKEN: TOKEN,
      GITHUB_MODELS_ENDPOINT: "http://127.0.0.1:9/inference/",
      GITHUB_MODELS_CHAT_MODEL: "meta/llama-3.3-70b-instruct",
      GITHUB_MODELS_EMBEDDING_MODEL: "openai/text-embedding-3-large",
      GITHUB_MODELS_EMBEDDING_DIMENSIONS: "256",
      GITHUB_MODELS_JUDGE_MODEL: "openai/o4-mini",
      GITHUB_MODELS_MAX_WAIT_MS: "5000",
    });
    const chat = config.chat.backend === "github-models" ? config.chat : undefined;
    equal(chat?.endpoint, "http://127.0.0.1:9/inference");
    equal(chat?.model, "meta/llama-3.3-70b-instruct");
    equal(chat?.reasoning, undefined);
    equal(config.embedding.dimensions, 256);
    const judge = config.evaluation?.backend === "github-models" ? config.evaluation : undefined;
    equal(judge?.model, "openai/o4-mini");
    equal(judge?.reasoning, true);
    equal(config.rateLimitMaxWaitMs, 5000);
  });
});

Deno.test("loadConfig() reports GitHub Models problems by variable name", async (t) => {
  await t.step("a missing GITHUB_TOKEN", () => {
    throws(
      () => loadConfig({ MODEL_PROVIDER: "github" }),
      (e) =>
        e instanceof ConfigError && e.problems.length === 1 &&
        e.problems[0].startsWith("GITHUB_TOKEN is required when MODEL_PROVIDER=github"),
    );
  });
  await t.step("every malformed value at once, never echoing the token", () => {
    try {
      loadConfig({
        MODEL_PROVIDER: "github",
        GITHUB_TOKEN: TOKEN,
        GITHUB_MODELS_ENDPOINT: "models.github.ai",
        GITHUB_MODELS_CHAT_MODEL: "gpt 4.1",
        GITHUB_MODELS_EMBEDDING_DIMENSIONS: "lots",
      });
      throw new Error("expected a ConfigError");
    } catch (e) {
      ok(e instanceof ConfigError);
      deepEqual(e.problems.map((p) => p.split(" ")[0]), [
        "GITHUB_MODELS_ENDPOINT",
        "GITHUB_MODELS_CHAT_MODEL",
        "GITHUB_MODELS_EMBEDDING_DIMENSIONS",
      ]);
      ok(!e.message.includes(TOKEN));
    }
  });
  await t.step("an unknown provider", () => {
    const problems = parseGitHubModels({ MODEL_PROVIDER: "gitlab" }).problems;
    deepEqual(problems, ['MODEL_PROVIDER must be "github" (GitHub Models) or unset, got "gitlab"']);
  });
  await t.step("production refuses the free tier", () => {
    const problems = parseGitHubModels({ MODEL_PROVIDER: "github", GITHUB_TOKEN: TOKEN }, {
      requireAzure: true,
    }).problems;
    ok(problems.some((p) => p.startsWith("MODEL_PROVIDER=github is for learning")));
  });
});

Deno.test("formatConfig() names GitHub Models and its tier, never the token", () => {
  const config = loadConfig({ MODEL_PROVIDER: "github", GITHUB_TOKEN: TOKEN });
  const rows = describeConfig(config);
  const chat = rows.find((r) => r.part === "chat model")!;
  equal(chat.backend, "GitHub Models");
  equal(chat.auth, "GitHub token");
  ok(chat.target.includes("openai/gpt-4.1-mini") && chat.target.includes("150/day"));
  ok(rows.find((r) => r.part === "embedding model")!.target.includes("1536 dimensions"));
  ok(!formatConfig(config).includes(TOKEN));
});

Deno.test("the embedded index is keyed by the provider, and not by the token", () => {
  const github = loadConfig({ MODEL_PROVIDER: "github", GITHUB_TOKEN: TOKEN }).embedding;
  const otherToken = loadConfig({ MODEL_PROVIDER: "github", GITHUB_TOKEN: "ghp_other" }).embedding;
  const openai = loadConfig({ OPENAI_API_KEY: "sk-x" }).embedding;
  const identity = JSON.stringify(embeddingIdentity(github));
  ok(identity.includes("github-models"));
  ok(!identity.includes(TOKEN));
  deepEqual(embeddingIdentity(github), embeddingIdentity(otherToken));
  ok(JSON.stringify(embeddingIdentity(openai)) !== identity);
  const key = embeddingKeyOf(createEmbeddingModel(github));
  equal(key, "github-models:openai/text-embedding-3-small:1536");
  ok(key !== embeddingKeyOf(createEmbeddingModel(openai)));
});

Deno.test("VARIABLES lists the GitHub Models variables, the token as a secret", () => {
  const byName = new Map(VARIABLES.map((v) => [v.name, v]));
  for (
    const name of [
      "MODEL_PROVIDER",
      "GITHUB_TOKEN",
      "GITHUB_MODELS_ENDPOINT",
      "GITHUB_MODELS_CHAT_MODEL",
      "GITHUB_MODELS_EMBEDDING_MODEL",
      "GITHUB_MODELS_EMBEDDING_DIMENSIONS",
      "GITHUB_MODELS_JUDGE_MODEL",
      "GITHUB_MODELS_API_VERSION",
      "GITHUB_MODELS_MAX_WAIT_MS",
    ]
  ) {
    equal(byName.get(name)?.azure, false, name);
  }
  equal(byName.get("GITHUB_TOKEN")?.secret, true);
});
