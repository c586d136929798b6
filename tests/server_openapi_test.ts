/**
 * The OpenAPI document against a real validator and against the app itself: the generated
 * document passes `@readme/openapi-parser` (which rejects what the old hand-written document
 * had, a media type object with a `description`), every route the app registers is described
 * (assets are described by their page), every `$ref` resolves, every error status is
 * documented with the error schema, headers and security schemes are declared, the limits
 * match the configuration, and the document's `ContextItem` is the library's context item
 * (the real pipeline's items, as the app sends them, match it field for field).
 *
 * @module
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { validate } from "@readme/openapi-parser";
import { Ajv2020 } from "ajv/dist/2020.js";
import { CONTEXT_ITEM_FIELDS } from "../lib/chat/context_item.ts";
import { createChatPipeline } from "../lib/chat/pipeline.ts";
import { loadConfig } from "../lib/config/load.ts";
import { createMemoryCustomerStore } from "../lib/customers/memory_customer_store.ts";
import { createChatModel, createEmbeddingModel } from "../lib/models/factory.ts";
import type { ProductSearch, SearchHit } from "../lib/products/types.ts";
import { loadPrompty } from "../lib/prompty/load.ts";
import { UNDOCUMENTED_ASSET_PREFIXES } from "../server/openapi.ts";
import { createTestApp, FAKE_CUSTOMERS } from "../server/testing.ts";

// deno-lint-ignore no-explicit-any
type Doc = any;

async function loadDoc(env: Record<string, string> = {}): Promise<{ app: Doc; doc: Doc }> {
  const { app } = createTestApp({ env });
  const doc = await (await app.request("/openapi.json")).json();
  return { app, doc };
}

function resolveRef(doc: Doc, ref: string): unknown {
  assert.ok(ref.startsWith("#/"), ref);
  return ref.slice(2).split("/").reduce<unknown>(
    (node, key) => (node as Record<string, unknown> | undefined)?.[key],
    doc,
  );
}

function collectRefs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => collectRefs(n, out));
  else if (node && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) {
      if (k === "$ref" && typeof v === "string") out.push(v);
      else collectRefs(v, out);
    }
  }
  return out;
}

function operations(doc: Doc): { path: string; method: string; op: Doc }[] {
  return Object.entries(doc.paths as Record<string, Record<string, Doc>>).flatMap(
    ([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op })),
  );
}

Deno.test("openapi.json passes a real OpenAPI 3.1 validator", async (t) => {
  await t.step("without and with authentication configured", async () => {
    for (const env of [{}, { CONTOSO_API_KEY: "s3cret-key" }] as Record<string, string>[]) {
      const { doc } = await loadDoc(env);
      const result = await validate(structuredClone(doc));
      assert.equal(result.valid, true, JSON.stringify(result));
      assert.equal(result.specification, "OpenAPI");
    }
  });
  await t.step("the validator rejects the old document's mistake", async () => {
    // The hand-written document put a `description` on a media type object; the same change
    // to the generated one must fail, or the check above proves nothing.
    const { doc } = await loadDoc();
    const broken = structuredClone(doc);
    broken.paths["/api/create_response"].post.responses["200"].content["text/event-stream"]
      .description = "Events";
    const result = await validate(broken);
    assert.equal(result.valid, false);
  });
});

Deno.test("openapi.json describes every route the app serves", async () => {
  const { app, doc } = await loadDoc();
  const routes = (app.routes as { method: string; path: string }[]).filter((r) =>
    r.method !== "ALL" && !r.path.includes("*")
  );
  const assets = routes.filter((r) =>
    UNDOCUMENTED_ASSET_PREFIXES.some((p) => r.path.startsWith(p))
  );
  assert.ok(assets.length >= 5, "assets are registered as routes");
  for (const route of routes) {
    if (assets.includes(route)) continue;
    const path = route.path.replace(/:(\w+)/g, "{$1}");
    assert.ok(
      doc.paths[path]?.[route.method.toLowerCase()],
      `${route.method} ${path} is documented`,
    );
  }
  for (const { path, method } of operations(doc)) {
    assert.ok(
      routes.some((r) =>
        r.path.replace(/:(\w+)/g, "{$1}") === path && r.method.toLowerCase() === method
      ),
      `${method} ${path} is documented but not served`,
    );
  }
});

Deno.test("openapi.json is OpenAPI 3.1 with resolvable references", async () => {
  const { doc } = await loadDoc();
  assert.equal(doc.openapi, "3.1.0");
  assert.ok(doc.info.title && doc.info.version);
  const refs = collectRefs(doc);
  assert.ok(refs.length > 20);
  for (const ref of refs) assert.ok(resolveRef(doc, ref), `${ref} resolves`);
  const ids = operations(doc).map(({ op }) => op.operationId);
  assert.equal(new Set(ids).size, ids.length, "operationIds are unique");
});

Deno.test("openapi.json documents the chat request, both response forms and every error", async () => {
  const { doc } = await loadDoc({ RATE_LIMIT_PER_MINUTE: "42" });
  const op = doc.paths["/api/create_response"].post;
  assert.deepEqual(
    op.parameters.map((p: { name: string }) => p.name),
    ["question", "customer_id", "chat_history", "stream"],
  );
  assert.ok(op.parameters.every((p: { in: string }) => p.in === "query"));
  assert.ok(op.requestBody.content["application/json"]);
  assert.ok(op.responses["200"].content["application/json"]);
  assert.ok(op.responses["200"].content["text/event-stream"]);
  for (
    const status of ["400", "401", "403", "404", "405", "413", "415", "429", "500", "502", "504"]
  ) {
    const response = op.responses[status];
    assert.ok(response, `${status} is documented`);
    assert.equal(response.content["application/json"].schema.$ref, "#/components/schemas/Error");
  }
  assert.ok(op.responses["429"].headers["Retry-After"]);
  assert.match(op.responses["429"].description, /42 requests per minute/);
  assert.ok(op.responses["405"].headers.Allow);
  const request = doc.components.schemas.ChatRequest;
  assert.equal(request.properties.question.maxLength, 2000);
  assert.equal(request.properties.chat_history.anyOf[0].maxItems, 50);
  assert.deepEqual(request.required, ["question"]);
  assert.deepEqual(request.anyOf, [{ required: ["customer_id"] }, { required: ["customerId"] }]);
  assert.deepEqual(doc.components.schemas.ChatTurn.properties.role.enum, ["user", "assistant"]);
  assert.deepEqual(op.security, [], "no key configured, no security requirement");
});

Deno.test("openapi.json documents headers, request ids and security schemes", async (t) => {
  const { doc } = await loadDoc();
  await t.step("every response names X-Request-Id; every error body carries requestId", () => {
    for (const { path, method, op } of operations(doc)) {
      for (const [status, response] of Object.entries(op.responses as Record<string, Doc>)) {
        assert.equal(
          response.headers?.["X-Request-Id"]?.required,
          true,
          `${method} ${path} ${status}`,
        );
      }
    }
    const error = doc.components.schemas.Error.properties.error;
    assert.deepEqual(error.required.sort(), ["code", "message", "requestId"]);
  });
  await t.step("/api answers after the rate limiter name the RateLimit headers", () => {
    for (const { path, method, op } of operations(doc)) {
      if (!path.startsWith("/api/")) continue;
      for (const [status, response] of Object.entries(op.responses as Record<string, Doc>)) {
        // 500 and a demo route that is off may be answered before the limiter runs.
        if (status === "500" || (status === "404" && method === "get")) continue;
        for (const name of ["RateLimit-Limit", "RateLimit-Remaining"]) {
          assert.ok(response.headers?.[name], `${method} ${path} ${status} ${name}`);
        }
      }
    }
  });
  await t.step("401 names WWW-Authenticate; both security schemes are declared", () => {
    const unauthorized = doc.paths["/api/create_response"].post.responses["401"];
    assert.ok(unauthorized.headers["WWW-Authenticate"]);
    assert.deepEqual(doc.components.securitySchemes.ApiKey, {
      type: "apiKey",
      in: "header",
      name: "x-api-key",
      description: doc.components.securitySchemes.ApiKey.description,
    });
    assert.equal(doc.components.securitySchemes.Bearer.type, "http");
    assert.equal(doc.components.securitySchemes.Bearer.scheme, "bearer");
  });
  await t.step("with a key configured, /api operations require one of the schemes", async () => {
    const { doc } = await loadDoc({ CONTOSO_API_KEY: "s3cret-key" });
    for (const { path, op } of operations(doc)) {
      const expected = path.startsWith("/api/") ? [{ ApiKey: [] }, { Bearer: [] }] : undefined;
      assert.deepEqual(op.security, expected, path);
    }
  });
});

/** The real pipeline over a search that answers with a hit of each kind (plus what hits carry). */
async function realPipeline() {
  const config = loadConfig({});
  const prompt = (name: string) =>
    loadPrompty(fileURLToPath(new URL(`../prompts/${name}`, import.meta.url)));
  const hits: SearchHit[] = [
    {
      id: "41",
      kind: "product",
      productId: "41",
      title: "Alpine Dome 3",
      content: "A three-season dome for three, 2.4 kg.",
      url: "/products/41",
      category: "Tents",
      brand: "Northwind",
      score: 0.91,
    },
    {
      id: "41-manual-pitching",
      kind: "manual",
      productId: "41",
      title: "Alpine Dome 3 manual: Pitching",
      content: "Stake the corners **before** inserting the poles.",
      url: "/products/41/manual#pitching",
      category: "Tents",
      brand: "Northwind",
      score: 0.58,
    },
  ];
  const products: ProductSearch = {
    backend: "test",
    search: () => Promise.resolve(hits.map((hit) => ({ ...hit }))),
    upsert: () => Promise.resolve(0),
    count: () => Promise.resolve(hits.length),
  };
  return createChatPipeline({
    chatModel: createChatModel(config.chat),
    embeddings: createEmbeddingModel(config.embedding),
    customers: createMemoryCustomerStore(FAKE_CUSTOMERS),
    products,
    chatPrompt: await prompt("chat.prompty"),
    queryPrompt: await prompt("product.prompty"),
  });
}

Deno.test("openapi.json's ContextItem is the library's context item", async (t) => {
  const { doc } = await loadDoc();
  const schema = doc.components.schemas.ContextItem;
  await t.step("the document lists exactly the domain's fields, in order, each required", () => {
    assert.deepEqual(Object.keys(schema.properties), [...CONTEXT_ITEM_FIELDS]);
    assert.deepEqual([...schema.required].sort(), [...CONTEXT_ITEM_FIELDS].sort());
    assert.deepEqual(schema.properties.kind.enum, ["product", "manual"]);
  });
  // The document allows additional properties (zod objects are open); closed here, so a
  // field the app sends beyond the documented ones fails as a missing one does.
  const closed = new Ajv2020({ strict: false, allErrors: true })
    .compile({ ...structuredClone(schema), additionalProperties: false });
  await t.step("the real pipeline's items, as the app sends them, match it", async () => {
    const { app } = createTestApp({ pipeline: await realPipeline() });
    const json = await (await app.request("/api/create_response", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ question: "Which tent sets up fastest?", customer_id: "1" }),
    })).json();
    const streamed = await (await app.request("/api/create_response", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify({ question: "Which tent sets up fastest?", customer_id: "1" }),
    })).text();
    const contextEvent = streamed.split("\n\n").find((block) => block.includes("event: context"));
    assert.ok(contextEvent, streamed.slice(0, 300));
    const data = JSON.parse(contextEvent.split("\n").find((l) => l.startsWith("data: "))!.slice(6));
    for (const [form, items] of [["JSON", json.context], ["stream", data.context]] as const) {
      assert.deepEqual(items.map((i: { kind: string }) => i.kind), ["product", "manual"], form);
      for (const item of items) {
        assert.ok(closed(item), `${form}: ${JSON.stringify(closed.errors)}`);
      }
    }
  });
  await t.step("what is not a context item fails it", () => {
    // Any text in each domain field, and a kind the domain has.
    const item: Record<string, string> = Object.fromEntries(
      CONTEXT_ITEM_FIELDS.map((field) => [field, field === "kind" ? "manual" : `the ${field}`]),
    );
    assert.ok(closed(item));
    assert.equal(closed({ ...item, score: 0.4 }), false, "a search hit's score");
    assert.equal(closed({ ...item, kind: "video" }), false, "an unknown kind");
    const { url: _, ...withoutUrl } = item;
    assert.equal(closed(withoutUrl), false, "a missing field");
  });
});
