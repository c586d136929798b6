import { deepEqual, equal, ok } from "node:assert/strict";
import { loadConfig } from "./load.ts";
import { describeConfig, formatConfig, isAllAzure } from "./summary.ts";

const SECRETS = {
  AZURE_OPENAI_API_KEY: "aoai-SECRET-7f3e9c1d",
  COSMOS_KEY: "cosmos-SECRET-2b8a4e6f",
  AZURE_SEARCH_API_KEY: "search-SECRET-5d1c7a9b",
  OPENAI_API_KEY: "sk-SECRET-0a9b8c7d",
  CONTOSO_API_KEY: "contoso-SECRET-3e2d1c0b",
  APPLICATIONINSIGHTS_CONNECTION_STRING: "InstrumentationKey=appi-SECRET-6f5e4d3c",
};

const AZURE = {
  AZURE_OPENAI_ENDPOINT: "https://contoso-ai.openai.azure.com",
  AZURE_OPENAI_CHAT_DEPLOYMENT: "gpt-4o-mini",
  AZURE_OPENAI_EMBEDDING_DEPLOYMENT: "text-embedding-3-small",
  COSMOS_ENDPOINT: "https://contoso-cosmos.documents.azure.com",
  AZURE_SEARCH_ENDPOINT: "https://contoso-search.search.windows.net",
};

function assertNoSecret(text: string) {
  for (const secret of Object.values(SECRETS)) {
    ok(!text.includes(secret), `summary leaks ${secret}`);
    ok(!text.includes(secret.replace(/^.*?SECRET-/, "")), `summary leaks part of ${secret}`);
  }
}

Deno.test("describeConfig() and formatConfig() never contain a secret", async (t) => {
  await t.step("Azure with every key set", () => {
    const config = loadConfig({ ...AZURE, ...SECRETS });
    assertNoSecret(formatConfig(config));
    assertNoSecret(JSON.stringify(describeConfig(config)));
    const auth = describeConfig(config).map((r) => r.auth);
    deepEqual(auth.slice(0, 5), ["API key", "API key", "API key", "account key", "API key"]);
  });
  await t.step("OpenAI-compatible with a key", () => {
    const config = loadConfig({ OPENAI_BASE_URL: "http://localhost:11434/v1", ...SECRETS });
    assertNoSecret(formatConfig(config));
    assertNoSecret(JSON.stringify(describeConfig(config)));
    equal(describeConfig(config)[0].auth, "API key");
  });
});

Deno.test("describeConfig() says which backend serves each part", async (t) => {
  await t.step("embedded defaults", () => {
    const rows = describeConfig(loadConfig({}));
    deepEqual(rows.map((r) => r.part), [
      "chat model",
      "embedding model",
      "evaluation model",
      "customers",
      "products",
      "chat prompt",
      "tracing",
    ]);
    deepEqual(rows.map((r) => r.backend), [
      "offline model (embedded)",
      "offline model (embedded)",
      "none",
      "embedded Cosmos DB server",
      "embedded hybrid index (Orama)",
      "Prompty file",
      "in-process spans",
    ]);
    ok(rows[3].target.includes("data/customers"));
    equal(rows[5].target, "prompts/chat.prompty");
  });
  await t.step("keyless Azure", () => {
    const config = loadConfig(AZURE);
    const rows = describeConfig(config);
    equal(rows[0].backend, "Azure OpenAI");
    ok(rows[0].target.includes("deployment gpt-4o-mini"));
    ok(rows[0].target.includes("api 2024-10-21"));
    equal(rows[0].auth, "Microsoft Entra ID (keyless)");
    equal(rows[3].auth, "Microsoft Entra ID (keyless)");
    ok(rows[3].target.includes("contoso-outdoor/customers"));
    ok(rows[4].target.includes("semantic default"));
    ok(isAllAzure(config));
    ok(!isAllAzure(loadConfig({})));
  });
  await t.step("the chat prompt CONTOSO_CHAT_PROMPT names", () => {
    const rows = describeConfig(
      loadConfig({ CONTOSO_CHAT_PROMPT: "/srv/prompts/support.prompty" }),
    );
    deepEqual(rows.find((r) => r.part === "chat prompt"), {
      part: "chat prompt",
      backend: "Prompty file",
      target: "/srv/prompts/support.prompty",
      auth: "-",
    });
  });
  await t.step("formatConfig() prints one aligned line per part", () => {
    const lines = formatConfig(loadConfig(AZURE)).split("\n");
    equal(lines.length, 7);
    ok(lines[0].startsWith("chat model       Azure OpenAI"));
    ok(lines.every((l) => /\[[^\]]+\]$/.test(l)));
  });
});

Deno.test("describeConfig() says which model is a reasoning model", () => {
  const rows = describeConfig(
    loadConfig({
      ...AZURE,
      AZURE_OPENAI_EVAL_DEPLOYMENT: "o4-mini",
      AZURE_OPENAI_EVAL_REASONING: "true",
    }),
  );
  const row = (part: string) => rows.find((r) => r.part === part)!.target;
  ok(row("evaluation model").includes("deployment o4-mini, api 2024-10-21, reasoning model"));
  ok(!row("chat model").includes("reasoning"));
});
