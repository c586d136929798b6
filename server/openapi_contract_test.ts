/**
 * Real responses against the document: for every operation in `/openapi.json` and every
 * status it documents, a request that makes the app answer with that status, and the answer
 * checked against the document with a JSON Schema 2020-12 validator (ajv) — the status and
 * media type are documented, the body matches the schema, every required header is present
 * and well-formed. Streamed answers are checked event by event against the event schemas.
 * A documented status without a case here fails the test, so the document cannot promise an
 * answer nobody has seen.
 *
 * @module
 */
import assert from "node:assert/strict";
import { Ajv2020 } from "ajv/dist/2020.js";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { ContentFilterError, UpstreamError } from "../lib/errors.ts";
import type { SearchFields } from "../lib/products/types.ts";
import type { SourceStore } from "../lib/products/sources.ts";
import { createMemoryCustomerStore } from "../lib/customers/memory_customer_store.ts";
import { createTestApp, FAKE_CUSTOMERS, fakeChecks } from "./testing.ts";

// deno-lint-ignore no-explicit-any
type Doc = any;
type App = ReturnType<typeof createTestApp>["app"];

const DOC_ID = "urn:contoso-chat:openapi";

/** A validator over the document's schemas: refs point into the document itself. */
function createChecker(doc: Doc) {
  const rewritten = JSON.parse(
    JSON.stringify(doc).replaceAll('"#/components/', `"${DOC_ID}#/components/`),
  );
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addSchema({ $id: DOC_ID, components: rewritten.components });
  const compiled = new Map<string, ReturnType<typeof ajv.compile>>();
  const check = (schema: unknown, value: unknown, where: string) => {
    const key = JSON.stringify(schema);
    let validate = compiled.get(key);
    if (!validate) {
      validate = ajv.compile(schema as object);
      compiled.set(key, validate);
    }
    assert.ok(
      validate(value),
      `${where}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(value).slice(0, 500)}`,
    );
  };
  return {
    doc: rewritten,
    check,
    ref: (name: string) => ({ $ref: `${DOC_ID}#/components/schemas/${name}` }),
  };
}

type Checker = ReturnType<typeof createChecker>;

function parseEvents(text: string): { event: string; data: unknown }[] {
  return text.split("\n\n").filter((block) => block.includes("data:")).map((block) => {
    const event = /^event: (.+)$/m.exec(block)?.[1] ?? "message";
    const data = block.split("\n").filter((l) => l.startsWith("data: ")).map((l) => l.slice(6))
      .join("\n");
    return { event, data: JSON.parse(data) };
  });
}

const EVENT_SCHEMAS: Record<string, string> = {
  context: "StreamContextEvent",
  delta: "StreamDeltaEvent",
  done: "ChatResponse",
  error: "StreamErrorEvent",
};

/** Check one real response against operation `method path` of the document. */
async function checkResponse(
  checker: Checker,
  path: string,
  method: string,
  res: Response,
): Promise<number> {
  const where = `${method.toUpperCase()} ${path} ${res.status}`;
  const op = checker.doc.paths[path]?.[method];
  assert.ok(op, `${method} ${path} is documented`);
  const documented = op.responses[String(res.status)];
  const text = await res.text();
  assert.ok(documented, `${where} is a documented status: ${text.slice(0, 300)}`);
  for (const [name, header] of Object.entries(documented.headers ?? {}) as [string, Doc][]) {
    const value = res.headers.get(name);
    if (!header.required && value === null) continue;
    assert.ok(value !== null, `${where} sends the ${name} header`);
    const typed = header.schema.type === "integer" ? Number(value) : value;
    checker.check(header.schema, typed, `${where} header ${name}`);
  }
  if (documented.content === undefined) {
    assert.equal(text, "", `${where}: no body`);
    return res.status;
  }
  const type = (res.headers.get("content-type") ?? "").split(";")[0].trim();
  const media = documented.content[type];
  assert.ok(media, `${where}: ${type} is a documented media type`);
  if (type === "application/json") {
    checker.check(media.schema, JSON.parse(text), where);
  } else if (type === "text/event-stream") {
    checker.check(media.schema, text, where);
    const events = parseEvents(text);
    assert.ok(events.length > 0, `${where}: events`);
    for (const { event, data } of events) {
      assert.ok(EVENT_SCHEMAS[event], `${where}: event ${event} is documented`);
      checker.check(checker.ref(EVENT_SCHEMAS[event]), data, `${where} event ${event}`);
    }
  } else {
    checker.check(media.schema, text, where);
  }
  if (media.schema.$ref === `${DOC_ID}#/components/schemas/Error`) {
    const body = JSON.parse(text);
    assert.equal(body.error.requestId, res.headers.get("x-request-id"), `${where}: request id`);
  }
  return res.status;
}

const json = (body: unknown, headers: Record<string, string> = {}) => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});
const ask = { question: "Which tent for a weekend?", customer_id: "1" };
const failing = (error: () => Error) => ({ pipelineOptions: { failWith: error } });
const storeFailing = (error: () => Error) => ({
  customers: createMemoryCustomerStore(FAKE_CUSTOMERS, { failWith: error }),
});
const upstream = (isTimeout = false) => () =>
  new UpstreamError("Injected", {
    service: "chat-model",
    status: isTimeout ? 504 : 503,
    isRetryable: true,
    retryAfterSeconds: 3,
  });
const KEY = { env: { CONTOSO_API_KEY: "contract-test-key" } };

const TENT: SearchFields = {
  id: "7",
  kind: "product",
  productId: "7",
  title: "Ridgeline Two-Person Tent",
  content: "A light tent for two with a **full rainfly**.",
  url: "/products/7",
  category: "Tents",
  brand: "Ridgeline",
};
const TENT_MANUAL: SearchFields[] = ["pitching", "care"].map((section) => ({
  ...TENT,
  id: `7-manual-${section}`,
  kind: "manual",
  title: `Ridgeline Two-Person Tent manual: ${section}`,
  content: `## ${section}\n\nSteps for ${section}.`,
  url: `/manuals/7-ridgeline-tent.md#${section}`,
}));

/** A source store holding one product and its manual; or one that fails with `error`. */
function sourcesWith(error?: () => Error): { sources: SourceStore } {
  return {
    sources: {
      backend: "fake",
      product: (id) =>
        error ? Promise.reject(error()) : Promise.resolve(id === "7" ? TENT : undefined),
      manual: (file) =>
        error
          ? Promise.reject(error())
          : Promise.resolve(file === "7-ridgeline-tent.md" ? TENT_MANUAL : []),
    },
  };
}
const searchDown = (isTimeout = false) => () =>
  new UpstreamError("Injected", {
    service: "products",
    status: isTimeout ? 504 : 503,
    isRetryable: true,
  });

/**
 * An Entra ID tenant on loopback: a JWKS endpoint and tokens that name a customer, so the
 * 403 answers are the real ones (a token for customer 1 asking for customer 2).
 */
async function startTenant() {
  const pair = await generateKeyPair("RS256", { extractable: true });
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: "contract-key", alg: "RS256" };
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () => Response.json({ keys: [jwk] }),
  );
  const tenant = "7d9e1c2b-3a4f-4b5c-8d6e-9f0a1b2c3d4e";
  const audience = "api://contoso-chat-contract";
  return {
    env: {
      CONTOSO_AUTH_TENANT_ID: tenant,
      CONTOSO_AUTH_AUDIENCE: audience,
      CONTOSO_AUTH_JWKS_URL: `http://127.0.0.1:${server.addr.port}/keys`,
      CONTOSO_AUTH_CUSTOMER_CLAIM: "customer_id",
    },
    tokenFor: (customerId: string) =>
      new SignJWT({ customer_id: customerId })
        .setProtectedHeader({ alg: "RS256", kid: "contract-key" })
        .setIssuer(`https://login.microsoftonline.com/${tenant}/v2.0`)
        .setAudience(audience)
        .setSubject("storefront-identity")
        .setIssuedAt()
        .setExpirationTime("5m")
        .sign(pair.privateKey),
    close: () => server.shutdown(),
  };
}

type Tenant = Awaited<ReturnType<typeof startTenant>>;
type Setup = Parameters<typeof createTestApp>[0];

interface Case {
  name: string;
  path: string;
  method: string;
  setup?: Setup | ((tenant: Tenant) => Setup);
  send: (app: App, tenant: Tenant) => Response | Promise<Response>;
}

/** The answers of a source page route: found, unknown, bug, search down, search slow, limited. */
function sourceCases(route: string, path: (id: string) => string, id: string): Case[] {
  const send = (target: string) => (app: App) => app.request(target);
  return [
    { name: "found", path: route, method: "get", setup: sourcesWith(), send: send(path(id)) },
    {
      name: "unknown",
      path: route,
      method: "get",
      setup: sourcesWith(),
      send: send(path("no-such-thing")),
    },
    {
      name: "store bug",
      path: route,
      method: "get",
      setup: sourcesWith(() => new Error("Injected")),
      send: send(path(id)),
    },
    {
      name: "search down",
      path: route,
      method: "get",
      setup: sourcesWith(searchDown()),
      send: send(path(id)),
    },
    {
      name: "search slow",
      path: route,
      method: "get",
      setup: sourcesWith(searchDown(true)),
      send: send(path(id)),
    },
    {
      name: "over the rate limit",
      path: route,
      method: "get",
      setup: { ...sourcesWith(), env: { RATE_LIMIT_PER_MINUTE: "1" } },
      send: async (app: App) => {
        await (await app.request(path(id))).body?.cancel();
        return app.request(path(id));
      },
    },
  ].map((c) => ({ ...c, name: `source page, ${c.name}` }));
}

const CASES: Case[] = [
  ...sourceCases("/products/{id}", (id) => `/products/${id}`, "7"),
  ...sourceCases("/manuals/{file}", (file) => `/manuals/${file}`, "7-ridgeline-tent.md"),
  { name: "greeting", path: "/", method: "get", send: (app) => app.request("/") },
  { name: "liveness", path: "/health", method: "get", send: (app) => app.request("/health") },
  { name: "ready", path: "/ready", method: "get", send: (app) => app.request("/ready") },
  {
    name: "not ready",
    path: "/ready",
    method: "get",
    setup: { checkServices: fakeChecks(["customers"]) },
    send: (app) => app.request("/ready"),
  },
  {
    name: "the document",
    path: "/openapi.json",
    method: "get",
    send: (app) => app.request("/openapi.json"),
  },
  { name: "docs page", path: "/docs", method: "get", send: (app) => app.request("/docs") },
  { name: "chat page", path: "/chat", method: "get", send: (app) => app.request("/chat") },
  ...["/docs", "/chat"].map((path): Case => ({
    name: "page revalidated with its ETag",
    path,
    method: "get",
    send: async (app) => {
      const first = await app.request(path);
      await first.body?.cancel();
      const etag = first.headers.get("etag");
      assert.ok(etag, `${path} has an ETag`);
      return app.request(path, { headers: { "if-none-match": etag } });
    },
  })),
  {
    name: "customer list",
    path: "/api/customers",
    method: "get",
    send: (app) => app.request("/api/customers"),
  },
  {
    name: "customer list without the key",
    path: "/api/customers",
    method: "get",
    setup: KEY,
    send: (app) => app.request("/api/customers"),
  },
  {
    name: "customer list for a token limited to one customer",
    path: "/api/customers",
    method: "get",
    setup: (tenant) => ({ env: tenant.env }),
    send: async (app, tenant) =>
      app.request("/api/customers", {
        headers: { authorization: `Bearer ${await tenant.tokenFor("1")}` },
      }),
  },
  {
    name: "customer list off (demo routes off)",
    path: "/api/customers",
    method: "get",
    setup: { env: { CONTOSO_DEMO_ROUTES: "false" } },
    send: (app) => app.request("/api/customers"),
  },
  {
    name: "chat page off (demo routes off)",
    path: "/chat",
    method: "get",
    setup: { env: { CONTOSO_DEMO_ROUTES: "false" } },
    send: (app) => app.request("/chat"),
  },
  {
    name: "customer list over the rate limit",
    path: "/api/customers",
    method: "get",
    setup: { env: { RATE_LIMIT_PER_MINUTE: "1" } },
    send: async (app) => {
      await (await app.request("/api/customers")).body?.cancel();
      return app.request("/api/customers");
    },
  },
  {
    name: "customer list, store bug",
    path: "/api/customers",
    method: "get",
    setup: storeFailing(() => new Error("Injected")),
    send: (app) => app.request("/api/customers"),
  },
  {
    name: "customer list, store down",
    path: "/api/customers",
    method: "get",
    setup: storeFailing(upstream()),
    send: (app) => app.request("/api/customers"),
  },
  {
    name: "customer list, store timeout",
    path: "/api/customers",
    method: "get",
    setup: storeFailing(upstream(true)),
    send: (app) => app.request("/api/customers"),
  },
  {
    name: "answer (JSON body)",
    path: "/api/create_response",
    method: "post",
    send: (app) => app.request("/api/create_response", json(ask)),
  },
  {
    name: "answer (query form)",
    path: "/api/create_response",
    method: "post",
    send: (app) =>
      app.request(`/api/create_response?${new URLSearchParams(ask)}`, { method: "POST" }),
  },
  {
    name: "answer (stream)",
    path: "/api/create_response",
    method: "post",
    send: (app) => app.request("/api/create_response", json({ ...ask, stream: true })),
  },
  {
    name: "answer (stream that fails midway)",
    path: "/api/create_response",
    method: "post",
    setup: { pipelineOptions: { failWith: upstream(), failAfterEvents: 2 } },
    send: (app) =>
      app.request("/api/create_response", {
        ...json(ask),
        headers: { "content-type": "application/json", accept: "text/event-stream" },
      }),
  },
  {
    name: "bad chat_history",
    path: "/api/create_response",
    method: "post",
    send: (app) =>
      app.request(
        "/api/create_response",
        json({ ...ask, chat_history: [{ role: "system", content: "x" }] }),
      ),
  },
  {
    name: "content filter",
    path: "/api/create_response",
    method: "post",
    setup: failing(() => new ContentFilterError("chat-model")),
    send: (app) => app.request("/api/create_response", json(ask)),
  },
  {
    name: "no key",
    path: "/api/create_response",
    method: "post",
    setup: KEY,
    send: (app) => app.request("/api/create_response", json(ask)),
  },
  {
    name: "a token for another customer",
    path: "/api/create_response",
    method: "post",
    setup: (tenant) => ({ env: tenant.env }),
    send: async (app, tenant) =>
      app.request(
        "/api/create_response",
        json({ ...ask, customer_id: "2" }, {
          authorization: `Bearer ${await tenant.tokenFor("1")}`,
        }),
      ),
  },
  {
    name: "a cross-site browser POST",
    path: "/api/create_response",
    method: "post",
    send: (app) =>
      app.request(`/api/create_response?${new URLSearchParams(ask)}`, {
        method: "POST",
        headers: { origin: "https://elsewhere.example", "sec-fetch-site": "cross-site" },
      }),
  },
  {
    name: "unknown customer",
    path: "/api/create_response",
    method: "post",
    send: (app) => app.request("/api/create_response", json({ ...ask, customer_id: "999" })),
  },
  {
    name: "wrong method",
    path: "/api/create_response",
    method: "post",
    send: (app) => app.request(`/api/create_response?${new URLSearchParams(ask)}`),
  },
  {
    name: "body too large",
    path: "/api/create_response",
    method: "post",
    send: (app) => app.request("/api/create_response", json({ ...ask, pad: "x".repeat(70_000) })),
  },
  {
    name: "body that stops arriving",
    path: "/api/create_response",
    method: "post",
    setup: { bodyTimeoutMs: 50 },
    send: async (app) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"question": "Which'));
        },
        pull: () => new Promise((resolve) => (timer = setTimeout(resolve, 5_000))),
        cancel: () => clearTimeout(timer),
      });
      try {
        return await app.request("/api/create_response", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body,
        });
      } finally {
        clearTimeout(timer);
      }
    },
  },
  {
    name: "not JSON",
    path: "/api/create_response",
    method: "post",
    send: (app) =>
      app.request("/api/create_response", {
        method: "POST",
        headers: { "content-type": "text/plain" },
        body: "question=hi",
      }),
  },
  {
    name: "over the rate limit",
    path: "/api/create_response",
    method: "post",
    setup: { env: { RATE_LIMIT_PER_MINUTE: "1" } },
    send: async (app) => {
      await (await app.request("/api/create_response", json(ask))).body?.cancel();
      return app.request("/api/create_response", json(ask));
    },
  },
  {
    name: "pipeline bug",
    path: "/api/create_response",
    method: "post",
    setup: failing(() => new Error("Injected")),
    send: (app) => app.request("/api/create_response", json(ask)),
  },
  {
    name: "model down",
    path: "/api/create_response",
    method: "post",
    setup: failing(upstream()),
    send: (app) => app.request("/api/create_response", json(ask)),
  },
  {
    name: "model timeout",
    path: "/api/create_response",
    method: "post",
    setup: failing(upstream(true)),
    send: (app) => app.request("/api/create_response", json(ask)),
  },
];

Deno.test("every route's real responses match the OpenAPI document", async (t) => {
  const { app } = createTestApp(KEY);
  const checker = createChecker(await (await app.request("/openapi.json")).json());
  const seen = new Set<string>();
  const tenant = await startTenant();
  try {
    for (const testCase of CASES) {
      const name = `${testCase.name}: ${testCase.method.toUpperCase()} ${testCase.path}`;
      await t.step(name, async () => {
        const setup = typeof testCase.setup === "function"
          ? testCase.setup(tenant)
          : testCase.setup;
        const { app } = createTestApp(setup);
        const res = await testCase.send(app, tenant);
        const status = await checkResponse(checker, testCase.path, testCase.method, res);
        seen.add(`${testCase.method} ${testCase.path} ${status}`);
      });
    }
  } finally {
    await tenant.close();
  }
  await t.step("every documented status of every operation was seen", () => {
    const documented = Object.entries(checker.doc.paths as Record<string, Doc>).flatMap(
      ([path, item]) =>
        Object.entries(item as Record<string, Doc>).flatMap(([method, op]) =>
          Object.keys(op.responses).map((status) => `${method} ${path} ${status}`)
        ),
    );
    const unseen = documented.filter((key) => !seen.has(key));
    assert.deepEqual(unseen, [], "documented answers no case produced");
  });
});

Deno.test("the checker itself rejects answers that break the document", async (t) => {
  const { app } = createTestApp();
  const checker = createChecker(await (await app.request("/openapi.json")).json());
  const reject = (body: unknown, init: ResponseInit) =>
    assert.rejects(
      checkResponse(
        checker,
        "/api/create_response",
        "post",
        new Response(JSON.stringify(body), init),
      ),
      assert.AssertionError,
    );
  const headers = {
    "content-type": "application/json",
    "x-request-id": "r1",
    "ratelimit-limit": "60",
    "ratelimit-remaining": "59",
  };
  await t.step(
    "an error body without requestId",
    () => reject({ error: { code: "bad_request", message: "x" } }, { status: 400, headers }),
  );
  await t.step("an unknown error code", () =>
    reject(
      { error: { code: "oops", message: "x", requestId: "r1" } },
      { status: 400, headers },
    ));
  await t.step("a context item without url", () =>
    reject({
      question: "q",
      answer: "a",
      context: [{ id: "1", kind: "product", productId: "1", title: "t", content: "c" }],
    }, { status: 200, headers }));
  await t.step(
    "a missing RateLimit header",
    () =>
      reject({ question: "q", answer: "a", context: [] }, {
        status: 200,
        headers: { "content-type": "application/json", "x-request-id": "r1" },
      }),
  );
  await t.step(
    "an undocumented status",
    () =>
      reject({ error: { code: "bad_request", message: "x", requestId: "r1" } }, {
        status: 418,
        headers,
      }),
  );
});
