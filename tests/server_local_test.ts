import { deepEqual, equal, ok } from "node:assert/strict";
import { createRuntime, loadConfig } from "../lib/mod.ts";
import { readServerSentEvents, startLocalServer } from "../server/local.ts";

Deno.test("startLocalServer() serves the app for a runtime; readServerSentEvents() reads its stream", async () => {
  const runtime = await createRuntime(loadConfig({}));
  const server = startLocalServer(runtime);
  try {
    const health = await fetch(`${server.url}/health`);
    equal(health.status, 200);
    await health.body?.cancel();

    const res = await fetch(`${server.url}/api/create_response`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify({ question: "How do I clean the tent?", customer_id: "1" }),
    });
    equal(res.status, 200);
    const events = [];
    for await (const e of readServerSentEvents(res.body!)) events.push(e);
    const kinds = events.map((e) => e.event);
    equal(kinds[0], "context");
    equal(kinds.at(-1), "done");
    ok(kinds.includes("delta"));
    const deltas = events.filter((e) => e.event === "delta")
      .map((e) => (e.data as { text: string }).text).join("");
    const done = events.at(-1)!.data as { answer: string };
    equal(deltas, done.answer);
    ok(done.answer.includes("Maya"));
    ok(server.logs.some((r) => r.path === "/api/create_response" && r.status === 200));
  } finally {
    deepEqual((await server.shutdown()).graceful, true);
    await runtime.close();
  }
});
