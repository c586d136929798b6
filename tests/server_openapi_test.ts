/**
 * The OpenAPI document against the app itself: every route the app registers is described
 * (assets are described by their page), every `$ref` resolves, every error status the API
 * can answer is documented with the error schema, and the limits match the configuration.
 *
 * @module
 */
import assert from "node:assert/strict";
import { UNDOCUMENTED_ASSET_PREFIXES } from "../server/openapi.ts";
import { createTestApp } from "../server/testing.ts";

async function loadDoc(env: Record<string, string> = {}) {
  const { app } = createTestApp({ env });
  const doc = await (await app.request("/openapi.json")).json();
  return { app, doc };
}

function resolveRef(doc: Record<string, unknown>, ref: string): unknown {
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

Deno.test("openapi.json describes every route the app serves", async () => {
  const { app, doc } = await loadDoc();
  const routes = app.routes.filter((r) => r.method !== "ALL" && !r.path.includes("*"));
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
  for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
    for (const method of Object.keys(item)) {
      assert.ok(
        routes.some((r) => r.path === path && r.method.toLowerCase() === method),
        `${method} ${path} is documented but not served`,
      );
    }
  }
});

Deno.test("openapi.json is OpenAPI 3.1 with resolvable references", async () => {
  const { doc } = await loadDoc();
  assert.equal(doc.openapi, "3.1.0");
  assert.ok(doc.info.title && doc.info.version);
  const refs = collectRefs(doc);
  assert.ok(refs.length > 20);
  for (const ref of refs) assert.ok(resolveRef(doc, ref), `${ref} resolves`);
  const ops = Object.values(doc.paths as Record<string, Record<string, { operationId: string }>>)
    .flatMap((item) => Object.values(item).map((op) => op.operationId));
  assert.equal(new Set(ops).size, ops.length, "operationIds are unique");
});

Deno.test("openapi.json documents the chat request, both response forms and every error", async () => {
  const { doc } = await loadDoc({ RATE_LIMIT_PER_MINUTE: "42" });
  const op = doc.paths["/api/create_response"].post;
  assert.deepEqual(
    op.parameters.map((p: { name: string }) => p.name),
    ["question", "customer_id", "chat_history", "stream"],
  );
  assert.ok(op.requestBody.content["application/json"]);
  assert.ok(op.responses["200"].content["application/json"]);
  assert.ok(op.responses["200"].content["text/event-stream"]);
  for (const status of ["400", "401", "404", "405", "413", "415", "429", "500", "502", "504"]) {
    const response = resolveRef(doc, op.responses[status]?.$ref ?? "#/missing") as {
      content: Record<string, { schema: { $ref: string } }>;
    };
    assert.ok(response, `${status} is documented`);
    assert.equal(response.content["application/json"].schema.$ref, "#/components/schemas/Error");
  }
  const rateLimited = doc.components.responses.RateLimited;
  assert.ok(rateLimited.headers["Retry-After"]);
  assert.match(rateLimited.description, /42 requests per minute/);
  const request = doc.components.schemas.ChatRequest;
  assert.equal(request.properties.question.maxLength, 2000);
  assert.equal(request.properties.chat_history.oneOf[0].maxItems, 50);
  assert.deepEqual(doc.components.schemas.ChatTurn.properties.role.enum, ["user", "assistant"]);
  assert.deepEqual(op.security, [], "no key configured, no security requirement");
});
