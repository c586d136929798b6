import { deepEqual, equal, match, ok } from "node:assert/strict";
import { ValidationError } from "../errors.ts";
import { ConfigError, loadConfig } from "./load.ts";
import { VARIABLES } from "./variables.ts";

/** Run `fn`, expect a ConfigError, and return it. */
function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    ok(error instanceof ConfigError, `expected ConfigError, got ${error}`);
    ok(error instanceof ValidationError, "ConfigError is a ValidationError (bad input)");
    ok(!(error instanceof TypeError), "not a TypeError: those are bugs");
    return error;
  }
  throw new Error("expected loadConfig to throw");
}

const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const AZURE = {
  AZURE_OPENAI_ENDPOINT: "https://contoso-ai.openai.azure.com/",
  AZURE_OPENAI_CHAT_DEPLOYMENT: "gpt-4o-mini",
  AZURE_OPENAI_EMBEDDING_DEPLOYMENT: "text-embedding-3-small",
  COSMOS_ENDPOINT: "https://contoso-cosmos.documents.azure.com:443/",
  AZURE_SEARCH_ENDPOINT: "https://contoso-search.search.windows.net",
};

Deno.test("loadConfig() with no variables serves every part from the embedded defaults", () => {
  const config = loadConfig({});
  equal(config.chat.backend, "offline");
  equal(config.embedding.backend, "offline");
  equal(config.embedding.dimensions, 256);
  equal(config.evaluation, undefined);
  deepEqual(config.customers, {
    backend: "embedded",
    database: "contoso-outdoor",
    container: "customers",
  });
  deepEqual(config.products, { backend: "embedded", index: "contoso-products" });
  equal(config.dataDir, "data");
  equal(config.chatPromptPath, "prompts/chat.prompty");
  equal(config.server.port, 8000);
  deepEqual(config.server.allowedOrigins, []);
  equal(config.server.apiKey, undefined);
  equal(config.server.trustedProxyHops, 0);
  equal(config.modelTimeoutMs, 30_000);
  equal(config.modelMaxRetries, 3);
});

Deno.test("loadConfig() treats blank values as unset", () => {
  const config = loadConfig({ AZURE_OPENAI_ENDPOINT: "  ", COSMOS_ENDPOINT: "", PORT: " " });
  equal(config.chat.backend, "offline");
  equal(config.customers.backend, "embedded");
  equal(config.server.port, 8000);
});

Deno.test("loadConfig() with complete Azure variables resolves every part to Azure", () => {
  const config = loadConfig({
    ...AZURE,
    AZURE_OPENAI_EVAL_DEPLOYMENT: "gpt-4o",
    AZURE_OPENAI_API_VERSION: "2025-01-01-preview",
    AZURE_OPENAI_EMBEDDING_DIMENSIONS: "3072",
    AZURE_SEARCH_INDEX: "products-v2",
    COSMOS_DATABASE: "shop",
    AZURE_CLIENT_ID: "00000000-0000-0000-0000-000000000001",
    CONTAINER_APP_NAME: "contoso-chat",
  });
  deepEqual(config.chat, {
    backend: "azure-openai",
    endpoint: "https://contoso-ai.openai.azure.com",
    apiVersion: "2025-01-01-preview",
    apiKey: undefined,
    deployment: "gpt-4o-mini",
  });
  deepEqual(config.embedding, {
    backend: "azure-openai",
    endpoint: "https://contoso-ai.openai.azure.com",
    apiVersion: "2025-01-01-preview",
    apiKey: undefined,
    deployment: "text-embedding-3-small",
    dimensions: 3072,
  });
  equal(config.evaluation?.backend, "azure-openai");
  equal((config.evaluation as { deployment: string }).deployment, "gpt-4o");
  deepEqual(config.customers, {
    backend: "cosmos",
    endpoint: "https://contoso-cosmos.documents.azure.com:443",
    key: undefined,
    database: "shop",
    container: "customers",
  });
  deepEqual(config.products, {
    backend: "azure-search",
    endpoint: "https://contoso-search.search.windows.net",
    index: "products-v2",
    apiKey: undefined,
    semanticConfiguration: "default",
  });
  equal(config.azureClientId, "00000000-0000-0000-0000-000000000001");
  equal(config.server.trustedProxyHops, 1, "Container Apps ingress is one trusted hop");
});

Deno.test("loadConfig() defaults the Azure API version and the evaluation deployment", () => {
  const config = loadConfig(AZURE);
  equal((config.chat as { apiVersion: string }).apiVersion, "2024-10-21");
  equal((config.evaluation as { deployment: string }).deployment, "gpt-4o-mini");
  equal(config.embedding.dimensions, 1536);
});

Deno.test("loadConfig() AZURE_SEARCH_SEMANTIC_CONFIGURATION=none disables semantic ranking", () => {
  const config = loadConfig({ ...AZURE, AZURE_SEARCH_SEMANTIC_CONFIGURATION: "None" });
  equal((config.products as { semanticConfiguration: string }).semanticConfiguration, "");
});

Deno.test("loadConfig() with an Azure endpoint but no deployments reports both in one error", () => {
  const error = configError(() =>
    loadConfig({ AZURE_OPENAI_ENDPOINT: "https://x.openai.azure.com", PORT: "abc" })
  );
  equal(error.problems.length, 3);
  ok(error.problems.some((p) => p.startsWith("AZURE_OPENAI_CHAT_DEPLOYMENT is required")));
  ok(error.problems.some((p) => p.startsWith("AZURE_OPENAI_EMBEDDING_DEPLOYMENT is required")));
  ok(error.problems.some((p) => p.startsWith("PORT must be an integer")));
  // The message lists every problem, one per line.
  for (const problem of error.problems) ok(error.message.includes(problem));
  ok(error.message.startsWith("Invalid configuration:\n"));
});

Deno.test("loadConfig() rejects malformed URLs and integers, naming the variable and value", async (t) => {
  await t.step("a URL without a scheme", () => {
    const error = configError(() => loadConfig({ COSMOS_ENDPOINT: "contoso.documents.azure.com" }));
    deepEqual(error.problems, [
      'COSMOS_ENDPOINT must be an http(s) URL, got "contoso.documents.azure.com"',
    ]);
  });
  await t.step("a non-http scheme", () => {
    const error = configError(() => loadConfig({ AZURE_SEARCH_ENDPOINT: "ftp://search" }));
    ok(error.problems[0].startsWith("AZURE_SEARCH_ENDPOINT must be an http(s) URL"));
  });
  await t.step("integers out of range or not integers, all at once", () => {
    const error = configError(() =>
      loadConfig({
        PORT: "70000",
        MODEL_MAX_RETRIES: "2.5",
        MODEL_TIMEOUT_MS: "0",
        RATE_LIMIT_PER_MINUTE: "lots",
        OPENAI_BASE_URL: "not a url",
      })
    );
    deepEqual(error.problems.map((p) => p.split(" ")[0]).sort(), [
      "MODEL_MAX_RETRIES",
      "MODEL_TIMEOUT_MS",
      "OPENAI_BASE_URL",
      "PORT",
      "RATE_LIMIT_PER_MINUTE",
    ]);
    ok(error.problems.includes('PORT must be an integer between 0 and 65535, got "70000"'));
  });
  await t.step("valid integers are read", () => {
    const config = loadConfig({ PORT: "8080", MODEL_MAX_RETRIES: "0", MODEL_TIMEOUT_MS: "500" });
    equal(config.server.port, 8080);
    equal(config.modelMaxRetries, 0);
    equal(config.modelTimeoutMs, 500);
  });
});

Deno.test("loadConfig({}, { requireAzure }) lists every missing Azure variable", () => {
  const error = configError(() => loadConfig({}, { requireAzure: true }));
  const names = error.problems.map((p) => p.split(" ")[0]).sort();
  deepEqual(names, [
    "AZURE_OPENAI_CHAT_DEPLOYMENT",
    "AZURE_OPENAI_EMBEDDING_DEPLOYMENT",
    "AZURE_OPENAI_ENDPOINT",
    "AZURE_SEARCH_ENDPOINT",
    "Authentication",
    "COSMOS_ENDPOINT",
  ]);
});

Deno.test("loadConfig(env, { requireAzure }) accepts a complete Azure configuration", () => {
  const config = loadConfig({ ...AZURE, CONTOSO_API_KEYS: "k-0123456789abcdef" }, {
    requireAzure: true,
  });
  equal(config.chat.backend, "azure-openai");
  equal(config.customers.backend, "cosmos");
  equal(config.products.backend, "azure-search");
});

Deno.test("loadConfig(env, { requireAzure }) names only what is missing", () => {
  const { COSMOS_ENDPOINT: _, ...rest } = AZURE;
  const error = configError(() =>
    loadConfig({ ...rest, CONTOSO_AUTH_TENANT_ID: TENANT, CONTOSO_AUTH_AUDIENCE: "api://x" }, {
      requireAzure: true,
    })
  );
  equal(error.problems.length, 1);
  match(error.problems[0], /^COSMOS_ENDPOINT is required in production/);
});

Deno.test("loadConfig() with an OpenAI-compatible endpoint", async (t) => {
  await t.step("base URL and models", () => {
    const config = loadConfig({
      OPENAI_BASE_URL: "http://localhost:11434/v1/",
      OPENAI_CHAT_MODEL: "llama3.2",
      OPENAI_EMBEDDING_MODEL: "nomic-embed-text",
    });
    deepEqual(config.chat, {
      backend: "openai-compatible",
      baseURL: "http://localhost:11434/v1",
      apiKey: undefined,
      model: "llama3.2",
    });
    equal(config.embedding.backend, "openai-compatible");
    equal((config.embedding as { model: string }).model, "nomic-embed-text");
    equal((config.evaluation as { model: string }).model, "llama3.2", "the judge defaults to chat");
  });
  await t.step("a key alone means OpenAI itself", () => {
    const config = loadConfig({ OPENAI_API_KEY: "sk-test" });
    deepEqual(config.chat, {
      backend: "openai-compatible",
      baseURL: "https://api.openai.com/v1",
      apiKey: "sk-test",
      model: "gpt-4o-mini",
    });
    equal((config.embedding as { model: string }).model, "text-embedding-3-small");
  });
  await t.step("Azure OpenAI wins when both are set", () => {
    const config = loadConfig({ ...AZURE, OPENAI_API_KEY: "sk-test" });
    equal(config.chat.backend, "azure-openai");
  });
});

Deno.test("loadConfig() adds the Codespaces forwarded origin for the configured port", () => {
  const config = loadConfig({
    CODESPACE_NAME: "fuzzy-space-guide",
    GITHUB_CODESPACES_PORT_FORWARDING_DOMAIN: "app.github.dev",
    PORT: "8001",
    ALLOWED_ORIGINS: "https://shop.example.com/, http://localhost:5173",
  });
  deepEqual(config.server.allowedOrigins, [
    "https://shop.example.com",
    "http://localhost:5173",
    "https://fuzzy-space-guide-8001.app.github.dev",
  ]);
});

Deno.test('loadConfig() rejects "*" and non-origins in ALLOWED_ORIGINS', () => {
  const error = configError(() =>
    loadConfig({ ALLOWED_ORIGINS: "*, https://shop.example.com/path, https://ok.example.com" })
  );
  equal(error.problems.length, 2);
  equal(error.problems[0], 'ALLOWED_ORIGINS must list origins; "*" is not allowed');
  ok(error.problems[1].includes('"https://shop.example.com/path" is not an origin'));
});

Deno.test("loadConfig() reads the server and data knobs", () => {
  const config = loadConfig({
    CONTOSO_API_KEY: "k",
    RATE_LIMIT_PER_MINUTE: "10",
    TRUSTED_PROXY_HOPS: "2",
    CONTOSO_DATA_DIR: "/tmp/catalog",
    CONTOSO_CHAT_PROMPT: " prompts/ideate/4-safety.prompty ",
    OFFLINE_MODEL_LATENCY_MS: "25",
    APPLICATIONINSIGHTS_CONNECTION_STRING: "InstrumentationKey=abc",
  });
  equal(config.server.apiKey, "k");
  equal(config.server.rateLimitPerMinute, 10);
  equal(config.server.trustedProxyHops, 2);
  equal(config.dataDir, "/tmp/catalog");
  equal(config.chatPromptPath, "prompts/ideate/4-safety.prompty");
  equal((config.chat as { latencyMs: number }).latencyMs, 25);
  equal(config.applicationInsightsConnectionString, "InstrumentationKey=abc");
});

Deno.test("loadConfig() reads only the record it is given, and only documented names", () => {
  // Test modules share one process (deno test --parallel), so the process environment is not
  // touched here; a recording record shows what loadConfig reads instead.
  const read = new Set<string>();
  const env = new Proxy({ ...AZURE, CODESPACE_NAME: "x" } as Record<string, string>, {
    get(target, name) {
      if (typeof name === "string") read.add(name);
      return target[name as string];
    },
  });
  loadConfig(env);
  loadConfig(
    new Proxy({}, {
      get(_, name) {
        if (typeof name === "string") read.add(name);
        return undefined;
      },
    }),
  );
  const documented = new Set(VARIABLES.map((v) => v.name));
  const undocumented = [...read].filter((name) => !documented.has(name));
  deepEqual(undocumented, [], "every variable loadConfig reads is listed in VARIABLES");
  ok(read.has("AZURE_OPENAI_ENDPOINT") && read.has("COSMOS_ENDPOINT"));
});

Deno.test("loadConfig() reads which models are reasoning models", async (t) => {
  const azure = {
    AZURE_OPENAI_ENDPOINT: "https://contoso.openai.azure.com",
    AZURE_OPENAI_CHAT_DEPLOYMENT: "o4-mini",
    AZURE_OPENAI_EMBEDDING_DEPLOYMENT: "text-embedding-3-small",
  };
  const reasoning = (m: unknown) => (m as { reasoning?: boolean } | undefined)?.reasoning;
  await t.step("unset: no reasoning model anywhere", () => {
    const config = loadConfig(azure);
    equal(reasoning(config.chat), undefined);
    equal(reasoning(config.evaluation), undefined);
  });
  await t.step("the judge on the chat deployment follows the chat flag", () => {
    const config = loadConfig({ ...azure, AZURE_OPENAI_CHAT_REASONING: "true" });
    equal(reasoning(config.chat), true);
    equal(reasoning(config.evaluation), true);
    equal(reasoning(config.embedding), undefined);
  });
  await t.step("a judge deployment of its own says for itself", () => {
    const config = loadConfig({
      ...azure,
      AZURE_OPENAI_CHAT_REASONING: "true",
      AZURE_OPENAI_EVAL_DEPLOYMENT: "gpt-4o",
    });
    equal(reasoning(config.evaluation), undefined);
    const judge = loadConfig({
      ...azure,
      AZURE_OPENAI_EVAL_DEPLOYMENT: "o3",
      AZURE_OPENAI_EVAL_REASONING: "YES",
    });
    equal(reasoning(judge.chat), undefined);
    equal(reasoning(judge.evaluation), true);
  });
  await t.step("OpenAI-compatible endpoints", () => {
    const config = loadConfig({
      OPENAI_API_KEY: "sk-x",
      OPENAI_EVAL_MODEL: "o4-mini",
      OPENAI_EVAL_REASONING: "1",
    });
    equal(reasoning(config.chat), undefined);
    equal(reasoning(config.evaluation), true);
  });
  await t.step("a malformed flag is reported by name", () => {
    const error = configError(() => loadConfig({ ...azure, AZURE_OPENAI_EVAL_REASONING: "maybe" }));
    match(error.message, /AZURE_OPENAI_EVAL_REASONING must be true or false, got "maybe"/);
  });
  await t.step("each flag is a documented, non-infra variable", () => {
    for (
      const name of [
        "AZURE_OPENAI_CHAT_REASONING",
        "AZURE_OPENAI_EVAL_REASONING",
        "OPENAI_CHAT_REASONING",
        "OPENAI_EVAL_REASONING",
      ]
    ) {
      equal(VARIABLES.find((v) => v.name === name)?.azure, false, name);
    }
  });
});
