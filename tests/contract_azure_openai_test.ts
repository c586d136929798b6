/**
 * Contract: the Azure OpenAI adapters (`createChatModel` / `createEmbeddingModel` with
 * `backend: "azure-openai"`) against the documented REST shape, at the HTTP boundary:
 * `POST {endpoint}/openai/deployments/{deployment}/chat/completions?api-version=…` with
 * `authorization: Bearer <Entra ID token>` (keyless) or an `api-key` header, and recorded
 * Azure responses (content-filter annotations, 429, content filter 400, streaming).
 *
 * @module
 */
import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import type { AccessToken, TokenCredential } from "@azure/identity";
import {
  COGNITIVE_SERVICES_SCOPE,
  ContentFilterError,
  createChatModel,
  createEmbeddingModel,
  loadConfig,
  type ModelConfig,
} from "../lib/mod.ts";

const recorded = (name: string) =>
  Deno.readTextFileSync(new URL(`./testdata/azure/${name}`, import.meta.url));

const config = loadConfig({
  AZURE_OPENAI_ENDPOINT: "https://contoso-ai.openai.azure.com/",
  AZURE_OPENAI_CHAT_DEPLOYMENT: "chat-gpt4o-mini",
  AZURE_OPENAI_EMBEDDING_DEPLOYMENT: "embed-3-small",
  AZURE_OPENAI_EMBEDDING_DIMENSIONS: "4",
});

/** A TokenCredential fake: hands out a fixed token and records the scopes asked for. */
function fakeCredential(token = "entra-token-abc123") {
  const scopes: string[] = [];
  const credential: TokenCredential = {
    getToken(scope: string | string[]): Promise<AccessToken> {
      scopes.push(...[scope].flat());
      return Promise.resolve({ token, expiresOnTimestamp: Date.now() + 3_600_000 });
    },
  };
  return { credential, scopes };
}

interface Seen {
  method: string;
  url: URL;
  headers: Headers;
  body: Record<string, unknown>;
}

/** A fake `fetch` answering with recorded responses in turn; records every request. */
function azureFetch(...responses: (() => Response)[]) {
  const seen: Seen[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const request = new Request(input, init);
    seen.push({
      method: request.method,
      url: new URL(request.url),
      headers: request.headers,
      body: await request.json(),
    });
    return responses[Math.min(seen.length - 1, responses.length - 1)]();
  };
  return { fetch, seen };
}

const json = (name: string, status = 200, headers: Record<string, string> = {}) => () =>
  new Response(recorded(name), {
    status,
    headers: { "content-type": "application/json", "apim-request-id": "r-1", ...headers },
  });

const messages = [
  { role: "system" as const, content: "You are the Contoso Outdoors assistant." },
  { role: "user" as const, content: "What goes well with my tent?" },
];

Deno.test("Azure OpenAI chat (keyless): deployment URL, api-version and bearer token", async () => {
  const { credential, scopes } = fakeCredential();
  const { fetch, seen } = azureFetch(json("openai_chat_completion.json"));
  const chat = createChatModel(config.chat, { credential, fetch });
  equal(chat.name, "chat-gpt4o-mini");
  equal(chat.backend, "azure-openai");

  const reply = await chat.complete(messages, { temperature: 0.2, maxTokens: 600 });
  equal(
    reply.content,
    "Hi Maya! The Dreamhollow 35 Synthetic Sleeping Bag [19] pairs well with your Summit Dome 2 Tent [1].",
  );
  deepEqual(reply.usage, { promptTokens: 812, completionTokens: 31 });

  equal(seen.length, 1);
  const [request] = seen;
  equal(request.method, "POST");
  equal(request.url.origin, "https://contoso-ai.openai.azure.com");
  equal(request.url.pathname, "/openai/deployments/chat-gpt4o-mini/chat/completions");
  equal(request.url.searchParams.get("api-version"), "2024-10-21");
  equal(request.headers.get("authorization"), "Bearer entra-token-abc123");
  equal(request.headers.get("api-key"), null, "no key is sent when keyless");
  equal(request.headers.get("content-type"), "application/json");
  deepEqual(request.body.messages, messages);
  equal(request.body.temperature, 0.2);
  equal(request.body.max_tokens, 600);
  deepEqual(scopes, [COGNITIVE_SERVICES_SCOPE]);
  equal(COGNITIVE_SERVICES_SCOPE, "https://cognitiveservices.azure.com/.default");
});

Deno.test("Azure OpenAI chat with an API key sends api-key instead of a bearer token", async () => {
  const keyed = loadConfig({
    AZURE_OPENAI_ENDPOINT: "https://contoso-ai.openai.azure.com",
    AZURE_OPENAI_CHAT_DEPLOYMENT: "chat-gpt4o-mini",
    AZURE_OPENAI_EMBEDDING_DEPLOYMENT: "embed-3-small",
    AZURE_OPENAI_API_KEY: "aoai-key-0123456789",
    AZURE_OPENAI_API_VERSION: "2025-01-01-preview",
  });
  const { credential, scopes } = fakeCredential();
  const { fetch, seen } = azureFetch(json("openai_chat_completion.json"));
  await createChatModel(keyed.chat, { credential, fetch }).complete(messages);
  equal(seen[0].headers.get("api-key"), "aoai-key-0123456789");
  equal(seen[0].headers.get("authorization"), null);
  equal(seen[0].url.searchParams.get("api-version"), "2025-01-01-preview");
  deepEqual(scopes, [], "the credential is not used when a key is configured");
});

Deno.test("Azure OpenAI chat without a key or a credential fails to build, saying why", () => {
  try {
    createChatModel(config.chat, {});
    throw new Error("expected a TypeError");
  } catch (error) {
    ok(error instanceof TypeError);
    equal(
      error.message,
      "Cannot create the Azure OpenAI client: no API key and no credential for keyless auth",
    );
  }
});

Deno.test("Azure OpenAI embeddings: deployment URL, one call for all texts, dimensions", async () => {
  const { credential } = fakeCredential();
  const { fetch, seen } = azureFetch(json("openai_embeddings.json"));
  const embeddings = createEmbeddingModel(config.embedding, { credential, fetch });
  equal(embeddings.dimensions, 4);
  const vectors = await embeddings.embed(["two person tent", "camp stove"]);
  deepEqual(vectors, [[0.0123, -0.0456, 0.0789, 0.0012], [-0.0321, 0.0654, -0.0987, 0.0021]]);
  equal(seen.length, 1);
  equal(seen[0].url.pathname, "/openai/deployments/embed-3-small/embeddings");
  equal(seen[0].url.searchParams.get("api-version"), "2024-10-21");
  equal(seen[0].headers.get("authorization"), "Bearer entra-token-abc123");
  deepEqual(seen[0].body.input, ["two person tent", "camp stove"]);
  equal(seen[0].body.dimensions, 4, "a non-default size is asked for");
  equal(seen[0].body.encoding_format, "float");
});

Deno.test("Azure OpenAI 429 with retry-after-ms is retried; the content filter is not", async (t) => {
  const { credential } = fakeCredential();
  await t.step("429 then 200", async () => {
    const { fetch, seen } = azureFetch(
      json("openai_rate_limit_429.json", 429, { "retry-after-ms": "5", "retry-after": "1" }),
      json("openai_chat_completion.json"),
    );
    const reply = await createChatModel(config.chat, { credential, fetch }).complete(messages);
    ok(reply.content.startsWith("Hi Maya!"));
    equal(seen.length, 2);
  });
  await t.step("content filter 400", async () => {
    const { fetch, seen } = azureFetch(json("openai_content_filter_400.json", 400));
    await rejects(
      createChatModel(config.chat, { credential, fetch }).complete(messages),
      (e: Error) => e instanceof ContentFilterError && e.status === 400 && !e.isRetryable,
    );
    equal(seen.length, 1);
  });
});

Deno.test("Azure OpenAI streaming: the prompt-filter chunk with no choices is skipped", async () => {
  const { credential } = fakeCredential();
  const { fetch, seen } = azureFetch(() =>
    new Response(recorded("openai_chat_stream.sse"), {
      headers: { "content-type": "text/event-stream" },
    })
  );
  const deltas: string[] = [];
  for await (const d of createChatModel(config.chat, { credential, fetch }).stream(messages)) {
    deltas.push(d);
  }
  deepEqual(deltas, ["Hi Maya! ", "Try the ", "Dreamhollow 35 ", "[19]."]);
  equal(seen[0].body.stream, true);
  equal(seen[0].url.pathname, "/openai/deployments/chat-gpt4o-mini/chat/completions");
});

Deno.test("Azure OpenAI evaluation model uses its own deployment", async () => {
  const withEval = loadConfig({
    AZURE_OPENAI_ENDPOINT: "https://contoso-ai.openai.azure.com",
    AZURE_OPENAI_CHAT_DEPLOYMENT: "chat-gpt4o-mini",
    AZURE_OPENAI_EMBEDDING_DEPLOYMENT: "embed-3-small",
    AZURE_OPENAI_EVAL_DEPLOYMENT: "judge-gpt4o",
  });
  const { credential } = fakeCredential();
  const { fetch, seen } = azureFetch(json("openai_chat_completion.json"));
  const judge = createChatModel(withEval.evaluation as ModelConfig, {
    credential,
    fetch,
    service: "eval-model",
  });
  await judge.complete(messages);
  equal(seen[0].url.pathname, "/openai/deployments/judge-gpt4o/chat/completions");
});
