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

Deno.test('startLocalServer() with port: "previous" keeps one port across re-runs while free', async (t) => {
  // A stand-in runtime: the app is only built, and /health needs no service.
  const runtime = {
    config: loadConfig({}),
    pipeline: {},
    customers: {},
    checkServices: () => Promise.resolve([]),
  } as unknown as Parameters<typeof startLocalServer>[0];

  const first = startLocalServer(runtime, { port: "previous" });
  const port = first.addr.port;
  await first.shutdown();

  await t.step("the next server of the process serves on the same port", async () => {
    const again = startLocalServer(runtime, { port: "previous" });
    try {
      equal(again.addr.port, port);
      const res = await fetch(`${again.url}/health`);
      equal(res.status, 200);
      await res.body?.cancel();
    } finally {
      await again.shutdown();
    }
  });

  await t.step(
    "when something else holds it, a free port instead (and that one next)",
    async () => {
      const squatter = Deno.listen({ port, hostname: "127.0.0.1" });
      let moved: number;
      try {
        const displaced = startLocalServer(runtime, { port: "previous" });
        moved = displaced.addr.port;
        ok(moved !== port);
        await displaced.shutdown();
      } finally {
        squatter.close();
      }
      const next = startLocalServer(runtime, { port: "previous" });
      equal(next.addr.port, moved);
      await next.shutdown();
    },
  );
});
