/**
 * Reliability: transport faults. A real server (`startServer`, Deno.serve on loopback) and raw
 * TCP clients (`Deno.connect`) that misbehave the way real networks and hostile clients do:
 * a body cut short (half-closed, or the socket closed mid-body), a body sent one byte at a
 * time, a request head sent one line at a time, pipelined requests, a half-close after a whole
 * request, a client leaving in the middle of a streamed answer, garbage instead of HTTP, an
 * oversized chunked body, and a shutdown while a body is half-sent (in process, and
 * `server/main.ts` itself on SIGTERM). Every case: no 5xx on the
 * wire or in the access log, no error-level log line, and a bound on how long the exchange
 * lasts, asserted. Timeouts are small (`bodyTimeoutMs`) so the whole file runs in seconds.
 *
 * What Deno.serve (2.9) leaves unbounded - time to send the request head and idle
 * keep-alive connections - is measured in the slow-header case: the server keeps serving
 * others meanwhile and closes those connections at once on shutdown; in Azure the ingress
 * bounds them (infra/modules/container_app.bicep).
 *
 * @module
 */
import assert from "node:assert/strict";
import { startServer } from "../server/serve.ts";
import { createTestApp } from "../server/testing.ts";
import { outputReader, unconfiguredEnv } from "./_deno_task.ts";

/** The body deadline the app under test uses (production default: 10 s). */
const BODY_TIMEOUT_MS = Number(Deno.env.get("TRANSPORT_TEST_BODY_TIMEOUT_MS") ?? 500);
/** Slack for a loaded 2-core CI machine on top of each deadline. */
const SLACK_MS = 1_500;

const encoder = new TextEncoder();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What one raw connection saw. */
interface Exchange {
  /** Status codes of the responses received, in order. */
  statuses: number[];
  raw: string;
  /** Milliseconds until the first response arrived (undefined: none). */
  firstResponseMs?: number;
  /** Milliseconds until the server closed the connection (undefined: still open at the limit). */
  closedMs?: number;
}

/**
 * Connect, run `client` (writes, pauses, half-closes) while reading everything the server
 * sends, and stop after `limitMs` or when the server closes.
 */
async function exchange(
  port: number,
  client: (conn: Deno.TcpConn, seen: () => Exchange) => Promise<void>,
  limitMs: number,
): Promise<Exchange> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const started = performance.now();
  const seen: Exchange = { statuses: [], raw: "" };
  const reading = (async () => {
    const buffer = new Uint8Array(64 * 1024);
    const decoder = new TextDecoder();
    try {
      while (true) {
        const n = await conn.read(buffer);
        if (n === null) break;
        seen.raw += decoder.decode(buffer.subarray(0, n), { stream: true });
        seen.firstResponseMs ??= performance.now() - started;
      }
    } catch {
      // A reset by the server also ends the connection.
    }
    seen.closedMs = performance.now() - started;
  })();
  const writing = client(conn, () => seen).catch(() => {
    // The server may close while the client still writes: that is a bound, not a failure.
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([reading, new Promise((resolve) => (timer = setTimeout(resolve, limitMs)))]);
  clearTimeout(timer);
  try {
    conn.close();
  } catch {
    // already closed
  }
  await Promise.allSettled([reading, writing]);
  seen.statuses = [...seen.raw.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
  return seen;
}

const write = (conn: Deno.TcpConn, text: string) => conn.write(encoder.encode(text));

function setup(bodyTimeoutMs = BODY_TIMEOUT_MS) {
  const made = createTestApp({ bodyTimeoutMs, pipelineOptions: { delayMs: 30 } });
  const server = startServer(made.app, { port: 0, hostname: "127.0.0.1", shutdownGraceMs: 5_000 });
  const records = (made.logger as unknown as { records: Record<string, unknown>[] }).records;
  return { ...made, server, port: server.addr.port, records };
}

/** No 5xx and no error-level line in the log; every record is free of stack traces. */
function assertNoServerFault(records: Record<string, unknown>[]) {
  const faults = records.filter((r) => r.level === "error" || Number(r.status) >= 500);
  assert.deepEqual(faults, [], "no error-level log line and no 5xx");
  assert.ok(!records.some((r) => "stack" in r && r.stack !== undefined), "no stack in the log");
}

/** Wait until the access log has a line for `path` (the server logs after responding). */
async function requestLine(records: Record<string, unknown>[], path: string, within = 3_000) {
  const until = performance.now() + within;
  while (performance.now() < until) {
    const line = records.find((r) => r.msg === "request" && r.path === path);
    if (line) return line;
    await sleep(20);
  }
  throw new Error(`No access log line for ${path} within ${within} ms`);
}

Deno.test("startServer() survives transport faults: no 5xx, every connection bounded", async (t) => {
  const { server, port, records, pipeline } = setup();
  const statuses: number[] = [];
  try {
    await t.step(
      "a body cut short by a half-close is 400, logged at warn without a stack",
      async () => {
        const seen = await exchange(port, async (conn) => {
          await write(
            conn,
            "POST /api/create_response HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n" +
              'Content-Length: 200\r\n\r\n{"question":"Which tent',
          );
          await conn.closeWrite();
        }, BODY_TIMEOUT_MS + SLACK_MS);
        statuses.push(...seen.statuses);
        assert.deepEqual(seen.statuses, [400], seen.raw);
        assert.match(seen.raw, /"code":"bad_request"/);
        assert.ok(seen.closedMs !== undefined, "the server closed the connection");
        const line = await requestLine(records, "/api/create_response");
        assert.equal(line.level, "warn");
        assert.equal(line.status, 400);
        assert.equal(line.bodyFault, "truncated");
      },
    );

    await t.step("a socket closed mid-body is a client fault (4xx), never a 5xx", async () => {
      const lines = () =>
        records.filter((r) => r.msg === "request" && r.path === "/api/create_response");
      const before = lines().length;
      const seen = await exchange(port, async (conn) => {
        await write(
          conn,
          "POST /api/create_response?case=closed HTTP/1.1\r\nHost: t\r\n" +
            'Content-Type: application/json\r\nContent-Length: 500\r\n\r\n{"question":"Do you',
        );
        await sleep(50);
        conn.close();
      }, 1_000);
      statuses.push(...seen.statuses);
      const until = performance.now() + 3_000;
      while (lines().length === before && performance.now() < until) await sleep(20);
      const line = lines().at(-1)!;
      assert.equal(lines().length, before + 1, "the request was logged");
      assert.ok(Number(line.status) >= 400 && Number(line.status) < 500, `status ${line.status}`);
      assert.equal(line.level, "warn");
    });

    await t.step(`a body sent a byte at a time gets 408 within ${BODY_TIMEOUT_MS} ms`, async () => {
      const seen = await exchange(port, async (conn, now) => {
        await write(
          conn,
          "POST /api/create_response?case=slow HTTP/1.1\r\nHost: t\r\n" +
            "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{",
        );
        for (let i = 0; i < 100 && now().firstResponseMs === undefined; i++) {
          await sleep(100);
          await write(conn, " ");
        }
        await sleep(50);
        conn.close(); // Deno keeps the socket after the 408 until the client closes it
      }, BODY_TIMEOUT_MS + SLACK_MS);
      statuses.push(...seen.statuses);
      assert.deepEqual(seen.statuses, [408], seen.raw);
      assert.match(seen.raw, /"code":"request_timeout"/);
      assert.match(seen.raw, /connection: close/i);
      assert.ok(seen.firstResponseMs! >= BODY_TIMEOUT_MS - 50, `${seen.firstResponseMs} ms`);
      assert.ok(seen.firstResponseMs! <= BODY_TIMEOUT_MS + SLACK_MS, `${seen.firstResponseMs} ms`);
    });

    await t.step(
      "a request head sent a line at a time does not hold up other clients",
      async () => {
        // Deno.serve has no header deadline: these wait until the client, the ingress or
        // shutdown ends them. They hold no handler, so others are served as usual.
        const slow = Array.from({ length: 20 }, () =>
          exchange(port, async (conn) => {
            await write(conn, "GET /health HTTP/1.1\r\n");
            for (let i = 0; i < 30; i++) {
              await sleep(100);
              await write(conn, `X-Slow-${i}: 1\r\n`);
            }
          }, 1_500));
        await sleep(200);
        const started = performance.now();
        const res = await fetch(`http://127.0.0.1:${port}/health`);
        assert.equal(res.status, 200);
        await res.body?.cancel();
        const elapsed = performance.now() - started;
        assert.ok(elapsed < SLACK_MS, `a normal request took ${elapsed} ms`);
        for (const seen of await Promise.all(slow)) statuses.push(...seen.statuses);
      },
    );

    await t.step("pipelined requests are answered in order on one connection", async () => {
      const seen = await exchange(port, async (conn) => {
        await write(
          conn,
          "GET /health HTTP/1.1\r\nHost: t\r\n\r\n" +
            "POST /api/create_response?question=Tents%3F&customer_id=1 HTTP/1.1\r\nHost: t\r\n" +
            "Content-Length: 0\r\n\r\n" +
            "POST /health HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n" +
            "GET /api/customers HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
        );
      }, 3_000);
      statuses.push(...seen.statuses);
      assert.deepEqual(seen.statuses, [200, 200, 405, 200], seen.raw.slice(0, 400));
      assert.ok(seen.closedMs !== undefined && seen.closedMs < 3_000, "closed after the last");
      assert.match(seen.raw, /Sarah/);
    });

    await t.step(
      "a half-close after a whole request is answered, then the connection ends",
      async () => {
        const seen = await exchange(port, async (conn) => {
          await write(conn, "GET /ready HTTP/1.1\r\nHost: t\r\n\r\n");
          await conn.closeWrite();
        }, 3_000);
        statuses.push(...seen.statuses);
        assert.deepEqual(seen.statuses, [200]);
        assert.ok(seen.closedMs !== undefined, "the server closed its side too");
      },
    );

    await t.step("a client leaving mid-stream stops the pipeline and logs no fault", async () => {
      const before = pipeline.aborted();
      const seen = await exchange(port, async (conn, now) => {
        await write(
          conn,
          "POST /api/create_response?question=Tents%3F&customer_id=1&stream=true HTTP/1.1\r\n" +
            "Host: t\r\nAccept: text/event-stream\r\nContent-Length: 0\r\n\r\n",
        );
        while (!now().raw.includes("event: delta")) await sleep(10);
        conn.close();
      }, 3_000);
      statuses.push(...seen.statuses);
      const until = performance.now() + 3_000;
      while (pipeline.aborted() === before && performance.now() < until) await sleep(20);
      assert.equal(pipeline.aborted(), before + 1, "the pipeline saw the client leave");
    });

    await t.step("garbage instead of HTTP is 400 and closed", async () => {
      const seen = await exchange(port, async (conn) => {
        await write(conn, "\x16\x03\x01\x02\x00 HELLO NOT HTTP\r\n\r\n");
      }, 2_000);
      statuses.push(...seen.statuses);
      assert.deepEqual(seen.statuses, [400], seen.raw);
      assert.ok(seen.closedMs !== undefined && seen.closedMs < 2_000);
    });

    await t.step("a chunked body over the limit is 413 before it ends", async () => {
      const seen = await exchange(port, async (conn, now) => {
        await write(
          conn,
          "POST /api/create_response?case=chunked HTTP/1.1\r\nHost: t\r\n" +
            "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
        );
        const chunk = "x".repeat(16 * 1024);
        for (let i = 0; i < 64 && now().firstResponseMs === undefined; i++) {
          await write(conn, `${chunk.length.toString(16)}\r\n${chunk}\r\n`);
        }
        await sleep(50);
        conn.close();
      }, 3_000);
      statuses.push(...seen.statuses);
      assert.deepEqual(seen.statuses, [413], seen.raw.slice(0, 300));
    });

    assert.ok(statuses.every((s) => s < 500), `statuses on the wire: ${statuses}`);
    assertNoServerFault(records);
  } finally {
    await server.shutdown();
  }
});

Deno.test("startServer().shutdown() does not wait on a half-sent body or a slow head", async () => {
  // A body deadline far away: only shutdown can end the half-sent body.
  const { server, port, records } = setup(60_000);
  const halfBody = exchange(port, async (conn) => {
    await write(
      conn,
      "POST /api/create_response HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n" +
        'Content-Length: 300\r\n\r\n{"question":',
    );
  }, 3_000);
  const slowHead = exchange(port, async (conn) => {
    await write(conn, "GET /health HTTP/1.1\r\nHost: t\r\n");
  }, 10_000);
  const idle = exchange(port, async (conn) => {
    await write(conn, "GET /health HTTP/1.1\r\nHost: t\r\n\r\n");
  }, 10_000);
  await sleep(150);
  const started = performance.now();
  const { graceful } = await server.shutdown();
  const stopMs = performance.now() - started;
  const bound = SLACK_MS;
  const [body, head, kept] = await Promise.all([halfBody, slowHead, idle]);
  assert.equal(graceful, true);
  assert.ok(stopMs <= bound, `shutdown took ${stopMs} ms (bound ${bound} ms)`);
  assert.deepEqual(body.statuses, [408], body.raw);
  assert.match(body.raw, /The server is restarting/);
  assert.deepEqual(head.statuses, []);
  assert.deepEqual(kept.statuses, [200]);
  // Connections without a request are closed by the server; the one whose body was cut off
  // got its answer at once (Deno keeps that socket until the process exits, which main.ts
  // does as soon as shutdown() resolves).
  assert.ok(body.firstResponseMs! < 150 + bound, `408 after ${body.firstResponseMs} ms`);
  for (const seen of [head, kept]) {
    assert.ok(seen.closedMs !== undefined && seen.closedMs < 150 + bound, `${seen.closedMs} ms`);
  }
  assertNoServerFault(records);
});

Deno.test("limitBody() reads the body once, into Hono's cache, under its limit", async (t) => {
  const { Hono } = await import("hono");
  const { limitBody } = await import("../server/middleware/body_limit.ts");
  const { HttpError } = await import("../server/errors.ts");
  const app = new Hono<import("../server/types.ts").AppEnv>();
  app.use(async (c, next) => {
    c.set("logFields", {});
    await next();
  });
  app.use(limitBody(64, { timeoutMs: 300 }));
  app.post("/echo", async (c) => {
    const json = await c.req.json();
    const text = await c.req.text();
    const raw = await c.req.raw.text();
    return c.json({ json, same: text === raw, fault: c.get("logFields").bodyFault ?? null });
  });
  app.onError((error, c) =>
    error instanceof HttpError
      ? c.json(
        { code: error.code, fault: c.get("logFields").bodyFault ?? null },
        error.status as 400,
      )
      : c.json({ code: "bug", detail: String(error) }, 500)
  );
  /** A body stream that counts how many chunks were pulled. */
  const counted = (chunks: string[], options: { stall?: boolean } = {}) => {
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled < chunks.length) controller.enqueue(encoder.encode(chunks[pulled]));
        else if (!options.stall) controller.close();
        else return new Promise(() => {}); // the client went quiet
        pulled++;
      },
    }, { highWaterMark: 0 }); // nothing is pulled until someone reads
    return { stream, pulled: () => pulled };
  };

  await t.step("json(), text() and the raw request all read the same cached bytes", async () => {
    const { stream } = counted(['{"question":', '"Tents?"}']);
    const res = await app.request("/echo", {
      method: "POST",
      body: stream,
      headers: { "Content-Type": "application/json" },
    });
    assert.deepEqual(await res.json(), { json: { question: "Tents?" }, same: true, fault: null });
  });

  await t.step("a declared length over the limit is 413 before a byte is read", async () => {
    const body = counted(["x".repeat(100)]);
    const res = await app.request("/echo", {
      method: "POST",
      body: body.stream,
      headers: { "Content-Length": "100" },
    });
    assert.equal(res.status, 413);
    assert.equal(body.pulled(), 0);
  });

  await t.step("an undeclared body is cut off as soon as it passes the limit", async () => {
    const body = counted(Array.from({ length: 50 }, () => "x".repeat(20)));
    const res = await app.request("/echo", { method: "POST", body: body.stream });
    assert.equal(res.status, 413);
    assert.deepEqual(await res.json(), { code: "payload_too_large", fault: "too_large" });
    assert.ok(body.pulled() <= 5, `pulled ${body.pulled()} chunks of 20 bytes`);
  });

  await t.step("a body that stops arriving is 408 at the deadline", async () => {
    const started = performance.now();
    const res = await app.request("/echo", {
      method: "POST",
      body: counted(["{"], { stall: true }).stream,
    });
    assert.equal(res.status, 408);
    assert.deepEqual(await res.json(), { code: "request_timeout", fault: "timeout" });
    const elapsed = performance.now() - started;
    assert.ok(elapsed >= 290 && elapsed < 300 + SLACK_MS, `${elapsed} ms`);
  });

  await t.step("a body stream that errors is 400, a client fault", async () => {
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.error(new Error("connection reset by peer"));
      },
    });
    const res = await app.request("/echo", { method: "POST", body: stream });
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), { code: "bad_request", fault: "truncated" });
  });
});

Deno.test("main.ts --dev exits within seconds of SIGTERM while a body is half-sent", async () => {
  // Blank configuration wins over a developer's `.env`: the process runs on the embedded defaults.
  const env = unconfiguredEnv({ PORT: "0" });
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--unstable-no-legacy-abort", "server/main.ts", "--dev"],
    cwd: new URL("..", import.meta.url),
    env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const output = outputReader(child.stdout);
  const readUntil = output.readUntil;
  const stderr = new Response(child.stderr).text();
  try {
    const [, port] = await readUntil(/Chat page\s+http:\/\/localhost:(\d+)\/chat/, 60_000);
    const halfBody = exchange(Number(port), async (conn) => {
      await write(
        conn,
        "POST /api/create_response HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n" +
          'Content-Length: 400\r\n\r\n{"question":"Which tent',
      );
    }, 10_000);
    await sleep(300);
    const started = performance.now();
    child.kill("SIGTERM");
    const status = await child.status;
    const exitMs = performance.now() - started;
    assert.equal(status.code, 0, await stderr);
    // Before: the half-sent body held the process for the whole 25 s grace period.
    assert.ok(exitMs < 5_000, `exited ${Math.round(exitMs)} ms after SIGTERM`);
    const seen = await halfBody;
    assert.deepEqual(seen.statuses, [408], seen.raw);
    await readUntil(/"msg":"stopped"[^\n]*/, 5_000);
    const stopped = output.text().split("\n").find((l) => l.includes('"msg":"stopped"'))!;
    assert.equal(JSON.parse(stopped).graceful, true);
    const faults = output.text().split("\n").filter((l) => l.startsWith("{")).map((l) =>
      JSON.parse(l)
    )
      .filter((l) => l.level === "error" || Number(l.status) >= 500);
    assert.deepEqual(faults, []);
  } finally {
    try {
      child.kill("SIGKILL");
    } catch { /* already exited */ }
    await output.cancel();
    await child.status;
    await stderr;
  }
});
