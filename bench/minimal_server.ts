/**
 * The throughput benchmark's baseline: a minimal Hono app on the same `Deno.serve` as the
 * real server, answering the same `POST /api/create_response` bodies by parsing the JSON and
 * echoing the question with an empty context. The real server's requests per second divided
 * by this one's, measured in the same run, says how much of the HTTP stack's capacity a chat
 * request keeps.
 *
 * Run: PORT=8001 deno run -A bench/minimal_server.ts
 *
 * @module
 */
import { Hono } from "hono";

/** The minimal app: one JSON route, plus `/ready` so the harness can wait for it. */
export function createMinimalApp(): Hono {
  const app = new Hono();
  app.post("/api/create_response", async (c) => {
    const body = await c.req.json<{ question?: string }>();
    return c.json({ question: body.question ?? "", answer: "ok", context: [] });
  });
  app.get("/ready", (c) => c.json({ status: "ready" }));
  return app;
}

if (import.meta.main) {
  const app = createMinimalApp();
  const server = Deno.serve({
    port: Number(Deno.env.get("PORT") ?? 8001),
    hostname: "0.0.0.0",
    onListen: () => {},
  }, app.fetch);
  Deno.addSignalListener("SIGTERM", () => void server.shutdown());
  await server.finished;
}
