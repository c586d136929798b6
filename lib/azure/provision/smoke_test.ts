import assert from "node:assert/strict";
import { formatSmoke, SMOKE_QUESTION, smokeTest } from "./smoke.ts";

function serve(handler: (request: Request) => Response | Promise<Response>) {
  return Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, handler);
}

Deno.test("smokeTest() posts the sample question as JSON and reports status, latency and grounding", async () => {
  let seen: Record<string, unknown> = {};
  let headers = new Headers();
  const server = serve(async (request) => {
    seen = await request.json();
    headers = request.headers;
    assert.equal(new URL(request.url).pathname, "/api/create_response");
    return Response.json({
      question: seen.question,
      answer: "Hi Sarah! The Summit Dome 2 Tent [1] keeps you dry.",
      context: [{ id: "1" }, { id: "1-manual-2" }],
    });
  });
  try {
    const result = await smokeTest(`http://127.0.0.1:${server.addr.port}/`, { apiKey: "k" });
    assert.equal(result.ok, true);
    assert.equal(result.status, 200);
    assert.ok(result.latencyMs >= 0);
    assert.equal(result.url, `http://127.0.0.1:${server.addr.port}/api/create_response`);
    assert.deepEqual(seen, { question: SMOKE_QUESTION, customer_id: "1", chat_history: [] });
    assert.equal(headers.get("x-api-key"), "k");
    assert.deepEqual(result.contextIds, ["1", "1-manual-2"]);
    const text = formatSmoke(result);
    assert.match(text, /Smoke test passed/);
    assert.match(text, /status\s+200/);
    assert.match(text, /latency\s+\d+ ms/);
  } finally {
    await server.shutdown();
  }
});

Deno.test("smokeTest() fails on an error status, a non-JSON body or no server", async (t) => {
  await t.step("503 with the API's error shape", async () => {
    const server = serve(() =>
      Response.json({ error: { code: "unavailable", message: "not ready" } }, { status: 503 })
    );
    try {
      const result = await smokeTest(`http://127.0.0.1:${server.addr.port}`);
      assert.equal(result.ok, false);
      assert.equal(result.status, 503);
      assert.equal(result.error, "not ready");
    } finally {
      await server.shutdown();
    }
  });
  await t.step("the placeholder image's HTML", async () => {
    const server = serve(() => new Response("<html>Welcome</html>"));
    try {
      const result = await smokeTest(`http://127.0.0.1:${server.addr.port}`);
      assert.equal(result.ok, false);
      assert.match(result.error!, /not JSON/);
    } finally {
      await server.shutdown();
    }
  });
  await t.step("nothing listening", async () => {
    const listener = Deno.listen({ port: 0, hostname: "127.0.0.1" });
    const port = (listener.addr as Deno.NetAddr).port;
    listener.close();
    const result = await smokeTest(`http://127.0.0.1:${port}`, { timeoutMs: 5000 });
    assert.equal(result.ok, false);
    assert.equal(result.status, 0);
    assert.match(formatSmoke(result), /FAILED[\s\S]*no response/);
  });
});
