/**
 * The load generator of the throughput benchmark, run as its own process (pinned to the CPU
 * the server does not use): `autocannon` from npm driving `POST /api/create_response` with
 * JSON bodies that cycle through every customer in `data/customers` and every question of
 * `data/eval/test.jsonl` in a seeded shuffled order, a quarter of them with earlier turns, so
 * no single answer or profile is hot. Prints one JSON line with the result.
 *
 * Run: deno run -A bench/_load_client.ts --url http://127.0.0.1:8000 [--connections 16]
 *      [--seconds 10] [--seed 7] [--rate REQUESTS_PER_SECOND]
 *
 * @module
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import autocannon from "autocannon";
import { seededRandom } from "./_stats.ts";
import { ROOT } from "./_process.ts";
import { delay } from "../lib/async/delay.ts";

/** What the load client prints. */
export interface LoadResult {
  /** The fixed request rate asked for, if any (else as fast as the server answers). */
  rate?: number;
  /** Connections kept busy (closed loop), or the most requests in flight (open loop). */
  connections: number;
  durationS: number;
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Responses other than 2xx, connection errors and timeouts. */
  non2xx: number;
  errors: number;
  timeouts: number;
}

/** The chat request bodies, in a seeded order: every question with every customer. */
export async function chatBodies(seed: number): Promise<string[]> {
  const rows = (await Deno.readTextFile(join(ROOT, "data/eval/test.jsonl")))
    .split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l) as { question: string });
  const customers: string[] = [];
  for await (const entry of Deno.readDir(join(ROOT, "data/customers"))) {
    if (!entry.name.endsWith(".json")) continue;
    const doc = JSON.parse(await Deno.readTextFile(join(ROOT, "data/customers", entry.name)));
    customers.push(String(doc.id));
  }
  const random = seededRandom(seed);
  const bodies: string[] = [];
  for (const row of rows) {
    for (const id of customers) {
      const history = random() < 0.25
        ? [
          { role: "user", content: "Hi, I'm planning a trip to the mountains." },
          { role: "assistant", content: "Great! How can I help you get ready?" },
        ]
        : [];
      bodies.push(
        JSON.stringify({ question: row.question, customer_id: id, chat_history: history }),
      );
    }
  }
  for (let i = bodies.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [bodies[i], bodies[j]] = [bodies[j], bodies[i]];
  }
  return bodies;
}

/**
 * Run the load against `url` and summarise: as fast as `connections` allow (autocannon), or,
 * with `rate`, an open-loop schedule (see {@link runOpenLoop}).
 */
export async function runLoad(
  url: string,
  options: { connections: number; seconds: number; seed: number; rate?: number },
): Promise<LoadResult> {
  const bodies = await chatBodies(options.seed);
  if (options.rate) return await runOpenLoop(url, bodies, { ...options, rate: options.rate });
  let next = 0;
  const result = await autocannon({
    url,
    connections: options.connections,
    duration: options.seconds,
    pipelining: 1,
    timeout: 10,
    requests: [{
      method: "POST",
      path: "/api/create_response",
      headers: { "content-type": "application/json" },
      setupRequest: (request: Record<string, unknown>) => ({
        ...request,
        body: bodies[next++ % bodies.length],
      }),
    }],
  });
  return {
    connections: options.connections,
    durationS: result.duration,
    requests: result.requests.total,
    requestsPerSecond: result.requests.total / result.duration,
    p50Ms: result.latency.p50,
    p90Ms: result.latency.p90,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

/**
 * A fixed request rate, open loop: request i is due at start + i / rate whatever happened to
 * the earlier ones, and its latency runs from when it was due, so a server that stalls is
 * charged for the requests that queued behind it (no coordinated omission). autocannon's own
 * rate limit sends each connection's share of a second back to back and then idles, which
 * measures bursts rather than a rate. Connections come from fetch's keep-alive pool, as many
 * as the in-flight requests need; `connections` is reported as the most in flight at once.
 */
export async function runOpenLoop(
  url: string,
  bodies: string[],
  options: { seconds: number; rate: number },
): Promise<LoadResult> {
  const intervalMs = 1000 / options.rate;
  const total = Math.round(options.seconds * options.rate);
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  let timeouts = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const pending: Promise<void>[] = [];
  const send = async (i: number, due: number) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      const res = await fetch(`${url}/api/create_response`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: bodies[i % bodies.length],
        signal: AbortSignal.timeout(10_000),
      });
      await res.arrayBuffer();
      if (res.status < 200 || res.status > 299) non2xx++;
      else latencies.push(performance.now() - due);
    } catch (error) {
      if (error instanceof DOMException && error.name === "TimeoutError") timeouts++;
      else errors++;
    } finally {
      inFlight--;
    }
  };
  const start = performance.now() + 10;
  let i = 0;
  while (i < total) {
    const now = performance.now();
    while (i < total && start + i * intervalMs <= now) {
      pending.push(send(i, start + i * intervalMs));
      i++;
    }
    const wait = start + i * intervalMs - performance.now();
    await delay(Math.max(0, wait));
  }
  await Promise.all(pending);
  const durationS = (performance.now() - start) / 1000;
  const sorted = latencies.sort((a, b) => a - b);
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)];
  return {
    rate: options.rate,
    connections: maxInFlight,
    durationS,
    requests: total,
    requestsPerSecond: (total - errors - timeouts) / durationS,
    p50Ms: at(50),
    p90Ms: at(90),
    p99Ms: at(99),
    maxMs: sorted.at(-1) ?? Number.NaN,
    non2xx,
    errors,
    timeouts,
  };
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      url: { type: "string" },
      connections: { type: "string", default: "16" },
      seconds: { type: "string", default: "10" },
      seed: { type: "string", default: "7" },
      rate: { type: "string" },
    },
  });
  if (!values.url) throw new TypeError("--url is required");
  const result = await runLoad(values.url, {
    connections: Number(values.connections),
    seconds: Number(values.seconds),
    seed: Number(values.seed),
    rate: values.rate ? Number(values.rate) : undefined,
  });
  console.log(JSON.stringify(result));
}
