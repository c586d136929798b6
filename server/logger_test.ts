/**
 * The structured logs: one JSON line per request with the request id, route path, status and
 * latency, and never a secret (API key), the question, the answer or a contact detail.
 *
 * @module
 */
import assert from "node:assert/strict";
import { createJsonLogger, redact } from "./logger.ts";
import { createTestApp, FAKE_CUSTOMERS } from "./testing.ts";

Deno.test("request logs are JSON lines without secrets, text or contact details", async () => {
  const lines: string[] = [];
  const logger = createJsonLogger({ write: (line) => lines.push(line) });
  const { app } = createTestApp({
    logger,
    env: { CONTOSO_API_KEY: "log-secret-key" },
    pipelineOptions: { answer: "Hi {name}, the SECRET-ANSWER-TEXT is here." },
  });
  const headers = { "content-type": "application/json", "x-api-key": "log-secret-key" };
  const question = "QUESTION-TEXT about tents";
  await (await app.request("/api/create_response", {
    method: "POST",
    headers,
    body: JSON.stringify({ question, customer_id: "1" }),
  })).text();
  await (await app.request(
    `/api/create_response?question=${encodeURIComponent(question)}&customer_id=2&stream=true`,
    { method: "POST", headers: { "x-api-key": "log-secret-key" } },
  )).text();
  await (await app.request("/api/customers", { headers })).text();
  await (await app.request("/api/customers", { headers: { authorization: "Bearer wrong-key" } }))
    .text();

  assert.ok(lines.length >= 5);
  const all = lines.join("\n");
  for (
    const secret of [
      "log-secret-key",
      "wrong-key",
      "QUESTION-TEXT",
      "SECRET-ANSWER-TEXT",
      ...FAKE_CUSTOMERS.flatMap((c) => [c.email, c.phone, c.address, c.lastName]),
    ]
  ) {
    assert.ok(!all.includes(secret), `the log contains ${secret}`);
  }
  const records = lines.map((line) => JSON.parse(line));
  const requests = records.filter((r) => r.msg === "request");
  assert.equal(requests.length, 4);
  for (const r of requests) {
    assert.equal(typeof r.requestId, "string");
    assert.equal(typeof r.status, "number");
    assert.equal(typeof r.durationMs, "number");
    assert.ok(!String(r.path).includes("?"), "no query string");
    assert.ok(r.time && r.level);
  }
  assert.deepEqual(requests.map((r) => r.status), [200, 200, 200, 401]);
  assert.equal(requests[0].customerId, "1");
  assert.equal(requests[0].questionLength, question.length);
  assert.deepEqual(requests[0].contextIds, ["1", "1-manual-0"]);
  assert.equal(requests[3].errorCode, "unauthorized");
  const stream = records.find((r) => r.msg === "stream finished");
  assert.equal(stream?.customerId, "2");
  assert.ok(stream?.events > 2);
});

Deno.test("redact() replaces sensitive field names at any depth", () => {
  assert.deepEqual(
    redact({ a: 1, email: "x@y", nested: { Authorization: "Bearer t", list: [{ answer: "a" }] } }),
    {
      a: 1,
      email: "[redacted]",
      nested: { Authorization: "[redacted]", list: [{ answer: "[redacted]" }] },
    },
  );
});
