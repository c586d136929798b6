/**
 * Integration: the app on the real runtime with the embedded defaults
 * (`createRuntime(loadConfig({}))`: offline model, in-process Cosmos DB server, Orama index,
 * seeded from data/). The original workshop's query-parameter form, the JSON body, streaming,
 * the customer picker and readiness, end to end and in process.
 *
 * @module
 */
import assert from "node:assert/strict";
import { createRuntime, loadConfig } from "../lib/mod.ts";
import { createApp, runtimeDeps } from "../server/app.ts";
import { createMemoryLogger } from "../server/logger.ts";

Deno.test("the app on the real runtime (embedded defaults)", async (t) => {
  const runtime = await createRuntime(loadConfig({}));
  const logger = createMemoryLogger();
  const app = createApp(runtimeDeps(runtime, {
    logger,
    version: "test",
  }));
  try {
    await t.step("POST /api/create_response with the original query parameters", async () => {
      const qs = new URLSearchParams({
        question: "What tent would you recommend for a rainy weekend?",
        customer_id: "1",
        chat_history: JSON.stringify([
          { role: "user", content: "Hi, I am planning a camping trip." },
          { role: "assistant", content: "Great! How can I help?" },
        ]),
      });
      const res = await app.request(`/api/create_response?${qs}`, { method: "POST" });
      assert.equal(res.status, 200);
      const body = await res.json();
      assert.deepEqual(Object.keys(body).sort(), ["answer", "context", "question"]);
      assert.equal(body.question, "What tent would you recommend for a rainy weekend?");
      assert.ok(body.answer.length > 20);
      assert.ok(body.context.length > 0);
      assert.ok(body.context.some((c: { kind: string }) => c.kind === "product"));
      for (const item of body.context) {
        for (const key of ["id", "title", "url", "content"]) {
          assert.equal(typeof item[key], "string");
        }
      }
    });
    await t.step("POST /api/create_response with a JSON body", async () => {
      const res = await app.request("/api/create_response", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          question: "Which hiking boots are waterproof?",
          customerId: "2",
          chat_history: [],
        }),
      });
      assert.equal(res.status, 200);
      const body = await res.json();
      assert.ok(body.answer.length > 0);
      assert.ok(body.context.length > 0);
    });
    await t.step("streaming answers with context, deltas and done", async () => {
      const res = await app.request("/api/create_response", {
        method: "POST",
        headers: { "content-type": "application/json", accept: "text/event-stream" },
        body: JSON.stringify({ question: "Tell me about your backpacks", customer_id: "3" }),
      });
      assert.equal(res.status, 200);
      const text = await res.text();
      const names = [...text.matchAll(/^event: (\w+)$/gm)].map((m) => m[1]);
      assert.equal(names[0], "context");
      assert.equal(names.at(-1), "done");
      assert.ok(names.includes("delta"));
    });
    await t.step("an unknown customer is 404", async () => {
      const res = await app.request("/api/create_response?question=Hi&customer_id=nobody", {
        method: "POST",
      });
      assert.equal(res.status, 404);
      assert.equal((await res.json()).error.code, "not_found");
    });
    await t.step("GET /api/customers shows no contact details of the real data", async () => {
      const res = await app.request("/api/customers");
      assert.equal(res.status, 200);
      const text = await res.text();
      const { customers } = JSON.parse(text);
      assert.ok(customers.length >= 3);
      const full = await runtime.customers.get(customers[0].id);
      assert.ok(!text.includes(full.email) && !text.includes(full.lastName));
      assert.ok(!text.includes("@"));
    });
    await t.step("GET /ready checks every service", async () => {
      const res = await app.request("/ready");
      const body = await res.json();
      assert.equal(res.status, 200, JSON.stringify(body));
      assert.equal(body.status, "ready");
      assert.ok(body.checks.length >= 4);
    });
    await t.step("the log has ids and statuses but no question, answer or email", () => {
      const text = JSON.stringify(logger.records);
      assert.ok(!text.includes("rainy weekend"));
      assert.ok(!text.includes("@"));
      const chat = logger.records.filter((r) => r.path === "/api/create_response");
      assert.ok(chat.length >= 3);
      assert.ok(chat.every((r) => typeof r.requestId === "string" && typeof r.status === "number"));
      assert.ok(chat.some((r) => r.customerId === "1"));
    });
  } finally {
    await runtime.close();
  }
});
