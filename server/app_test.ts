/**
 * In-process tests (`app.request`) of every route of the server on fakes: greeting, health,
 * readiness, the customer picker, the chat API in its query, JSON and alias forms, the docs
 * and chat pages with their assets, and the headers every response carries.
 *
 * @module
 */
import assert from "node:assert/strict";
import { createMemoryCustomerStore } from "../lib/customers/memory_customer_store.ts";
import { createTestApp, FAKE_CUSTOMERS, fakeChecks } from "./testing.ts";

const json = (body: unknown) => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

Deno.test("GET / greets with the version and links", async () => {
  const { app } = createTestApp();
  const res = await app.request("/");
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.version, "9.9.9-test");
  assert.equal(body.chat, "/chat");
  assert.equal(body.docs, "/docs");
});

Deno.test("GET /health answers ok", async () => {
  const { app } = createTestApp();
  const res = await app.request("/health");
  assert.equal(res.status, 200);
  assert.equal((await res.json()).status, "ok");
});

Deno.test("GET /ready", async (t) => {
  await t.step("is 200 when every check passes", async () => {
    const { app } = createTestApp();
    const res = await app.request("/ready");
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.status, "ready");
    assert.deepEqual(body.failed, []);
    assert.equal(body.checks.length, 4);
  });
  await t.step("is 503 naming the failed dependency, without its error text", async () => {
    const { app, logger } = createTestApp({ checkServices: fakeChecks(["customers"]) });
    const res = await app.request("/ready");
    assert.equal(res.status, 503);
    const text = await res.text();
    const body = JSON.parse(text);
    assert.equal(body.status, "not_ready");
    assert.deepEqual(body.failed, ["customers"]);
    assert.ok(!text.includes("secret-internal-detail"));
    assert.ok(logger.records.some((r) => r.msg === "dependency check failed"));
  });
  await t.step("is 503 when the checks themselves throw", async () => {
    const { app } = createTestApp({ checkServices: () => Promise.reject(new Error("boom")) });
    const res = await app.request("/ready");
    assert.equal(res.status, 503);
    assert.equal((await res.json()).status, "not_ready");
  });
  await t.step(
    "reuses a recent result and shares one round between concurrent probes",
    async () => {
      let calls = 0;
      const checks = fakeChecks();
      const { app } = createTestApp({
        readinessCacheMs: 60_000,
        checkServices: (o) => {
          calls++;
          return checks(o);
        },
      });
      await Promise.all([app.request("/ready"), app.request("/ready")]);
      await app.request("/ready");
      assert.equal(calls, 1);
    },
  );
});

Deno.test("GET /api/customers lists id, first name and membership only", async () => {
  const { app } = createTestApp();
  const res = await app.request("/api/customers");
  assert.equal(res.status, 200);
  const text = await res.text();
  const { customers } = JSON.parse(text);
  assert.deepEqual(customers.map((c: { id: string }) => c.id), ["1", "2", "10"]);
  assert.deepEqual(Object.keys(customers[0]).sort(), ["firstName", "id", "membership"]);
  for (const c of FAKE_CUSTOMERS) {
    assert.ok(!text.includes(c.email) && !text.includes(c.phone) && !text.includes(c.lastName));
  }
});

Deno.test("POST /api/create_response", async (t) => {
  await t.step("takes the original query parameters with an empty body", async () => {
    const { app, pipeline } = createTestApp();
    const history = JSON.stringify([
      { role: "user", content: "Hi" },
      { role: "assistant", content: "Hello!" },
    ]);
    const qs = new URLSearchParams({
      question: "Which tent?",
      customer_id: "1",
      chat_history: history,
    });
    const res = await app.request(`/api/create_response?${qs}`, { method: "POST" });
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /application\/json/);
    const body = await res.json();
    assert.equal(body.question, "Which tent?");
    assert.match(body.answer, /Sarah/);
    assert.deepEqual(body.context.map((c: { id: string }) => c.id), ["1", "1-manual-0"]);
    for (const item of body.context) {
      for (const key of ["id", "title", "url", "content"]) assert.equal(typeof item[key], "string");
    }
    assert.equal(pipeline.requests[0].chatHistory?.length, 2);
    assert.equal(pipeline.requests[0].customerId, "1");
  });
  await t.step("takes query parameters with a JSON content type and an empty body", async () => {
    const { app } = createTestApp();
    const res = await app.request("/api/create_response?question=Tents%3F&customer_id=2", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "",
    });
    assert.equal(res.status, 200);
    assert.match((await res.json()).answer, /David/);
  });
  await t.step("takes a JSON body with chat_history as an array", async () => {
    const { app, pipeline } = createTestApp();
    const res = await app.request(
      "/api/create_response",
      json({
        question: "  And a sleeping bag?  ",
        customer_id: "10",
        chat_history: [{ role: "user", content: "Tents?" }, { role: "assistant", content: "X4" }],
      }),
    );
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.question, "And a sleeping bag?");
    assert.match(body.answer, /Amanda/);
    assert.deepEqual(pipeline.requests[0].chatHistory, [
      { role: "user", content: "Tents?" },
      { role: "assistant", content: "X4" },
    ]);
  });
  await t.step("takes customerId as an alias and a numeric id", async () => {
    const { app } = createTestApp();
    const a = await app.request("/api/create_response", json({ question: "Hi", customerId: "2" }));
    assert.equal(a.status, 200);
    const b = await app.request("/api/create_response", json({ question: "Hi", customer_id: 2 }));
    assert.equal(b.status, 200);
    assert.match((await b.json()).answer, /David/);
  });
  await t.step("body fields win over query parameters", async () => {
    const { app, pipeline } = createTestApp();
    const res = await app.request(
      "/api/create_response?question=ignored&customer_id=2",
      json({ question: "Body question", customer_id: "1" }),
    );
    assert.equal(res.status, 200);
    assert.equal(pipeline.requests[0].question, "Body question");
    assert.equal(pipeline.requests[0].customerId, "1");
  });
  await t.step("accepts chat_history as a JSON string in the body", async () => {
    const { app, pipeline } = createTestApp();
    const res = await app.request(
      "/api/create_response",
      json({ question: "Hi", customer_id: "1", chat_history: '[{"role":"user","content":"a"}]' }),
    );
    assert.equal(res.status, 200);
    assert.equal(pipeline.requests[0].chatHistory?.length, 1);
  });
  await t.step("passes a signal the pipeline can follow", async () => {
    const { app, pipeline } = createTestApp();
    await app.request("/api/create_response", json({ question: "Hi", customer_id: "1" }));
    assert.ok(pipeline.requests[0].signal instanceof AbortSignal);
  });
});

Deno.test("GET /openapi.json is an OpenAPI 3.1 document", async () => {
  const { app } = createTestApp();
  const res = await app.request("/openapi.json");
  assert.equal(res.status, 200);
  const doc = await res.json();
  assert.equal(doc.openapi, "3.1.0");
  assert.equal(doc.info.version, "9.9.9-test");
});

Deno.test("GET /docs serves the offline API page and its assets", async () => {
  const { app } = createTestApp();
  const page = await app.request("/docs");
  assert.equal(page.status, 200);
  assert.match(page.headers.get("content-type") ?? "", /text\/html/);
  const html = await page.text();
  assert.ok(!/https?:\/\//.test(html), "no external URL in the page");
  for (const src of html.matchAll(/(?:src|href)="(\/[^"]+)"/g)) {
    const asset = await app.request(src[1]);
    assert.equal(asset.status, 200, src[1]);
    assert.ok((await asset.text()).length > 0, src[1]);
  }
  const bundle = await app.request("/docs/swagger-ui-bundle.js");
  assert.match(bundle.headers.get("content-type") ?? "", /javascript/);
  assert.ok(!(await bundle.text()).includes("sourceMappingURL="));
});

Deno.test("GET /chat serves the chat page, its script and the Markdown libraries", async () => {
  const { app } = createTestApp();
  const page = await app.request("/chat");
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.ok(!/<script>/.test(html), "no inline script (the CSP forbids it)");
  assert.ok(!/https?:\/\//.test(html), "no external URL in the page");
  const script = await (await app.request("/chat/app.js")).text();
  for (const imported of script.matchAll(/from "(\/[^"]+)"/g)) {
    const res = await app.request(imported[1]);
    assert.equal(res.status, 200, imported[1]);
    assert.match(res.headers.get("content-type") ?? "", /javascript/);
  }
  assert.equal((await app.request("/chat/app.css")).status, 200);
});

Deno.test("every response carries a request id and secure headers", async (t) => {
  const { app } = createTestApp();
  await t.step("a generated request id", async () => {
    const res = await app.request("/health");
    assert.match(res.headers.get("x-request-id") ?? "", /^[0-9a-f-]{36}$/);
  });
  await t.step("the caller's request id when it is well formed", async () => {
    const res = await app.request("/health", { headers: { "x-request-id": "abc-123" } });
    assert.equal(res.headers.get("x-request-id"), "abc-123");
    const bad = await app.request("/health", { headers: { "x-request-id": "<script>" } });
    assert.notEqual(bad.headers.get("x-request-id"), "<script>");
  });
  await t.step("CSP and friends, also on errors", async () => {
    for (const path of ["/chat", "/api/create_response", "/nope"]) {
      const res = await app.request(path, { method: path.startsWith("/api") ? "POST" : "GET" });
      const csp = res.headers.get("content-security-policy") ?? "";
      assert.match(csp, /default-src 'self'/, path);
      assert.match(csp, /script-src 'self'(;|$)/, path);
      assert.match(csp, /frame-ancestors 'none'/, path);
      assert.equal(res.headers.get("x-content-type-options"), "nosniff");
      assert.equal(res.headers.get("x-frame-options"), "DENY");
      assert.ok(res.headers.get("x-request-id"));
      await res.body?.cancel();
    }
  });
});

Deno.test("CORS answers allow-listed origins only, never *", async (t) => {
  const { app } = createTestApp({ env: { ALLOWED_ORIGINS: "https://shop.example.com" } });
  await t.step("preflight from an allowed origin", async () => {
    const res = await app.request("/api/create_response", {
      method: "OPTIONS",
      headers: {
        origin: "https://shop.example.com",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type,x-api-key",
      },
    });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get("access-control-allow-origin"), "https://shop.example.com");
    assert.match(res.headers.get("access-control-allow-headers") ?? "", /X-API-Key/i);
    assert.equal(res.headers.get("access-control-allow-credentials"), null);
  });
  await t.step("a request from another origin gets no CORS grant", async () => {
    const res = await app.request("/api/customers", {
      headers: { origin: "https://evil.example" },
    });
    assert.equal(res.headers.get("access-control-allow-origin"), null);
    assert.match(res.headers.get("vary") ?? "", /Origin/);
  });
  await t.step("a simple request from the allowed origin", async () => {
    const res = await app.request("/api/customers", {
      headers: { origin: "https://shop.example.com" },
    });
    assert.equal(res.headers.get("access-control-allow-origin"), "https://shop.example.com");
    assert.match(res.headers.get("access-control-expose-headers") ?? "", /X-Request-Id/i);
  });
  await t.step("no allow-list means no CORS headers at all", async () => {
    const { app } = createTestApp();
    const res = await app.request("/api/customers", {
      headers: { origin: "https://shop.example.com" },
    });
    assert.equal(res.headers.get("access-control-allow-origin"), null);
  });
});

Deno.test("the optional API key guards /api/* only", async (t) => {
  const { app } = createTestApp({ env: { CONTOSO_API_KEY: "s3cret-key" } });
  const ask = (headers: Record<string, string>) =>
    app.request("/api/create_response", {
      ...json({ question: "Hi", customer_id: "1" }),
      headers: { "content-type": "application/json", ...headers },
    });
  await t.step("missing key is 401 with WWW-Authenticate", async () => {
    const res = await ask({});
    assert.equal(res.status, 401);
    assert.equal((await res.json()).error.code, "unauthorized");
    assert.match(res.headers.get("www-authenticate") ?? "", /Bearer/);
  });
  await t.step("wrong key is 401", async () => {
    const res = await ask({ "x-api-key": "nope" });
    assert.equal(res.status, 401);
    assert.ok(!(await res.text()).includes("s3cret-key"));
  });
  await t.step("x-api-key and Bearer both work", async () => {
    assert.equal((await ask({ "x-api-key": "s3cret-key" })).status, 200);
    assert.equal((await ask({ authorization: "Bearer s3cret-key" })).status, 200);
    const list = await app.request("/api/customers", { headers: { "x-api-key": "s3cret-key" } });
    assert.equal(list.status, 200);
  });
  await t.step("pages, health and docs stay open", async () => {
    for (const path of ["/", "/health", "/ready", "/chat", "/docs", "/openapi.json"]) {
      const res = await app.request(path);
      assert.equal(res.status, 200, path);
      await res.body?.cancel();
    }
  });
  await t.step("the OpenAPI document declares the key", async () => {
    const doc = await (await app.request("/openapi.json")).json();
    assert.deepEqual(doc.paths["/api/create_response"].post.security, [{ ApiKey: [] }, {
      Bearer: [],
    }]);
  });
});

Deno.test("GET /api/customers maps a store failure to 502", async () => {
  const { UpstreamError } = await import("../lib/errors.ts");
  const { app } = createTestApp({
    customers: createMemoryCustomerStore(FAKE_CUSTOMERS, {
      failWith: () =>
        new UpstreamError("Cosmos said 503 at https://internal.example", {
          service: "customers",
          status: 503,
          isRetryable: true,
        }),
    }),
  });
  const res = await app.request("/api/customers");
  assert.equal(res.status, 502);
  const text = await res.text();
  assert.ok(!text.includes("internal.example"));
  assert.match(JSON.parse(text).error.message, /customer database/);
});
