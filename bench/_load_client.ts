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

/** What the load client prints. */
export interface LoadResult {
  /** The fixed request rate asked for, if any (else as fast as the server answers). */
  rate?: number;
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

/** Run autocannon against `url` and summarise. */
export async function runLoad(
  url: string,
  options: { connections: number; seconds: number; seed: number; rate?: number },
): Promise<LoadResult> {
  const bodies = await chatBodies(options.seed);
  let next = 0;
  const result = await autocannon({
    url,
    connections: options.connections,
    duration: options.seconds,
    pipelining: 1,
    timeout: 10,
    // A fixed rate instead of as fast as possible; autocannon then corrects latencies for
    // coordinated omission (a stalled server is not excused by the requests it held back).
    ...(options.rate ? { overallRate: options.rate } : {}),
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
    rate: options.rate,
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
