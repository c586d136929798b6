/**
 * Benchmark: server throughput. The real server (`server/main.ts --dev`, exactly what
 * `deno task start` runs, on the embedded defaults) and a minimal Hono route each run as
 * their own process on one CPU while `autocannon` (bench/_load_client.ts) drives them from
 * another process on the other CPU, with non-streaming chat requests that cycle through every
 * customer and every test question.
 *
 * Two phases per server:
 * - capacity: as many requests as `connections` keep in flight; after a warm-up, several
 *   rounds, and the figures are those of the median round (a shared machine's other work shows
 *   up as one slow round, not as a skewed average);
 * - at the goal rate (chat server only): 500 requests/s on an open-loop schedule, each latency
 *   counted from when the request was due, which is what "500 requests/s with p99 under
 *   100 ms" asks (bench/_load_client.ts `runOpenLoop`); several rounds, the median-p99 one kept.
 * Errors are counted over every phase and round. Also reported: peak memory, server CPU time
 * per request, and the chat server's capacity as a share of the minimal route's.
 *
 * The per-client rate limit (120 requests a minute by default) is raised with
 * `RATE_LIMIT_PER_MINUTE`: the load comes from one address, and the point is the server's
 * capacity, not its limiter.
 *
 * Run: deno run -A bench/throughput.ts [--seconds 5] [--rounds 3] [--warmup 3]
 *      [--connections 16] [--rate 500] [--rate-seconds 6] [--json]
 *
 * @module
 */
import { parseArgs } from "node:util";
import type { LoadResult } from "./_load_client.ts";
import { loadAverage, pinned, ROOT, type ServerProcess, spawnServer } from "./_process.ts";

/** Goals from issue 7. */
export const THROUGHPUT_GOALS = { requestsPerSecond: 500, p99Ms: 100, errors: 0 };

/** One server's capacity figures (the median round). */
export interface ServerLoadFigures extends LoadResult {
  peakRssMiB: number;
  /** Server CPU time per request (user + system), ms. */
  cpuMsPerRequest: number;
  /** Requests/s of every measured round. */
  roundsPerSecond: number[];
  /** Failed requests over all rounds (non-2xx, socket errors, timeouts). */
  failures: number;
}

/** What the benchmark reports. */
export interface ThroughputResult {
  chat: ServerLoadFigures;
  /** The chat server at a fixed rate (the goal's 500 requests/s): the median-p99 round. */
  chatAtRate: LoadResult & { failures: number; roundsP99Ms: number[] };
  minimal: ServerLoadFigures;
  /** chat requests/s ÷ minimal requests/s (capacity). */
  ratio: number;
  /**
   * minimal CPU ms/request ÷ chat CPU ms/request: the same comparison by server CPU time,
   * which does not depend on how fast the load generator can go.
   */
  cpuRatio: number;
  pinned: boolean;
  loadAverage: number;
}

const failuresOf = (r: LoadResult) => r.non2xx + r.errors + r.timeouts;

/** Run bench/_load_client.ts as its own process, pinned to the load CPU, and read its result. */
export async function runLoadClient(
  url: string,
  options: { connections: number; seconds: number; seed: number; rate?: number },
): Promise<LoadResult> {
  const [cmd, args] = await pinned("load", [
    Deno.execPath(),
    "run",
    "-A",
    "bench/_load_client.ts",
    "--url",
    url,
    "--connections",
    String(options.connections),
    "--seconds",
    String(options.seconds),
    "--seed",
    String(options.seed),
    ...(options.rate ? ["--rate", String(options.rate)] : []),
  ]);
  const out = await new Deno.Command(cmd, { args, cwd: ROOT, stderr: "piped" }).output();
  const text = new TextDecoder().decode(out.stdout).trim();
  if (!out.success || !text) {
    throw new Error(`The load client failed: ${new TextDecoder().decode(out.stderr).slice(-2000)}`);
  }
  return JSON.parse(text.split("\n").at(-1)!) as LoadResult;
}

async function checkAnswers(server: ServerProcess): Promise<void> {
  const res = await fetch(`${server.url}/api/create_response`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ question: "Which tent is the lightest?", customer_id: "1" }),
  });
  const body = await res.json();
  if (res.status !== 200 || typeof body.answer !== "string" || !Array.isArray(body.context)) {
    throw new Error(
      `The server did not answer a chat request: ${res.status} ${JSON.stringify(body)}`,
    );
  }
}

/** Capacity: warm up, then `rounds` rounds; keep the median round, count every failure. */
async function capacity(
  server: ServerProcess,
  { connections, seconds, warmup, rounds: count }: ThroughputOptions,
): Promise<ServerLoadFigures> {
  const options = { connections, seconds, warmup, rounds: count };
  let failures = 0;
  if (options.warmup > 0) {
    const warm = await runLoadClient(server.url, { ...options, seconds: options.warmup, seed: 1 });
    failures += failuresOf(warm);
  }
  const rounds: ServerLoadFigures[] = [];
  for (let i = 0; i < options.rounds; i++) {
    const cpuBefore = await server.cpuMs();
    const load = await runLoadClient(server.url, { ...options, seed: 7 + i });
    const cpuAfter = await server.cpuMs();
    failures += failuresOf(load);
    rounds.push({
      ...load,
      peakRssMiB: Number.NaN,
      cpuMsPerRequest: (cpuAfter - cpuBefore) / Math.max(1, load.requests),
      roundsPerSecond: [],
      failures: 0,
    });
  }
  const sorted = [...rounds].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
  return {
    ...sorted[Math.floor((sorted.length - 1) / 2)],
    roundsPerSecond: rounds.map((r) => r.requestsPerSecond),
    failures,
    peakRssMiB: (await server.peakRssBytes()) / 2 ** 20,
  };
}

/** Options of {@link runThroughput}. */
export interface ThroughputOptions {
  connections: number;
  seconds: number;
  warmup: number;
  rounds: number;
  /** The fixed rate of the second phase (requests/s). */
  rate: number;
  rateSeconds: number;
}

/** Run the benchmark. */
export async function runThroughput(options: ThroughputOptions): Promise<ThroughputResult> {
  const average = await loadAverage();
  const chatServer = await spawnServer({ env: { RATE_LIMIT_PER_MINUTE: "1000000" } });
  let chat: ServerLoadFigures;
  let chatAtRate: ThroughputResult["chatAtRate"];
  try {
    await checkAnswers(chatServer);
    chat = await capacity(chatServer, options);
    // Rounds here too: the figures are the round with the median p99, failures count in all.
    const rounds: LoadResult[] = [];
    for (let i = 0; i < options.rounds; i++) {
      rounds.push(
        await runLoadClient(chatServer.url, {
          connections: options.connections, // unused: the open loop opens what it needs
          seconds: options.rateSeconds,
          seed: 99 + i,
          rate: options.rate,
        }),
      );
    }
    const byP99 = [...rounds].sort((a, b) => a.p99Ms - b.p99Ms);
    chatAtRate = {
      ...byP99[Math.floor((byP99.length - 1) / 2)],
      failures: rounds.reduce((n, r) => n + failuresOf(r), 0),
      roundsP99Ms: rounds.map((r) => r.p99Ms),
    };
    chat.peakRssMiB = (await chatServer.peakRssBytes()) / 2 ** 20;
  } finally {
    await chatServer.stop();
  }
  const minimalServer = await spawnServer({ script: ["bench/minimal_server.ts"] });
  let minimal: ServerLoadFigures;
  try {
    minimal = await capacity(minimalServer, options);
  } finally {
    await minimalServer.stop();
  }
  return {
    chat,
    chatAtRate,
    minimal,
    ratio: chat.requestsPerSecond / minimal.requestsPerSecond,
    cpuRatio: minimal.cpuMsPerRequest / chat.cpuMsPerRequest,
    pinned: (await pinned("server", ["x"]))[0] === "taskset",
    loadAverage: average,
  };
}

function describe(name: string, f: LoadResult & { failures: number }): string {
  return `  ${name.padEnd(16)} ${f.requestsPerSecond.toFixed(0).padStart(6)} req/s   p50 ${
    f.p50Ms.toFixed(1).padStart(6)
  } ms   p99 ${f.p99Ms.toFixed(1).padStart(6)} ms   errors ${f.failures}`;
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      seconds: { type: "string", default: "5" },
      warmup: { type: "string", default: "3" },
      rounds: { type: "string", default: "3" },
      connections: { type: "string", default: "16" },
      rate: { type: "string", default: String(THROUGHPUT_GOALS.requestsPerSecond) },
      "rate-seconds": { type: "string", default: "6" },
      json: { type: "boolean", default: false },
    },
  });
  const result = await runThroughput({
    seconds: Number(values.seconds),
    warmup: Number(values.warmup),
    rounds: Number(values.rounds),
    connections: Number(values.connections),
    rate: Number(values.rate),
    rateSeconds: Number(values["rate-seconds"]),
  });
  if (values.json) console.log(JSON.stringify(result));
  else {
    const { chat, chatAtRate, minimal } = result;
    const g = THROUGHPUT_GOALS;
    console.log(
      `Server throughput (capacity: ${chat.connections} connections, median of ` +
        `${chat.roundsPerSecond.length} rounds of ${chat.durationS} s; ` +
        `${result.pinned ? "server on CPU 0, load on CPU 1" : "not pinned"}; ` +
        `load average ${result.loadAverage})`,
    );
    console.log(
      describe("chat capacity", chat) +
        `   rounds ${chat.roundsPerSecond.map((r) => r.toFixed(0)).join("/")} req/s`,
    );
    console.log(
      describe(`chat at ${chatAtRate.rate}/s`, chatAtRate) +
        `   (open loop, at most ${chatAtRate.connections} in flight, ${
          chatAtRate.durationS.toFixed(1)
        } s; p99 of rounds ${chatAtRate.roundsP99Ms.map((v) => v.toFixed(0)).join("/")} ms)`,
    );
    console.log(describe("minimal capacity", minimal));
    console.log(
      `  chat server: peak RSS ${chat.peakRssMiB.toFixed(0)} MiB, CPU ${
        chat.cpuMsPerRequest.toFixed(3)
      } ms/request; minimal: CPU ${minimal.cpuMsPerRequest.toFixed(3)} ms/request`,
    );
    console.log(
      `  chat ÷ minimal route: ${result.ratio.toFixed(3)} by requests/s, ${
        result.cpuRatio.toFixed(3)
      } by server CPU time per request`,
    );
    console.log(
      `  goal: ≥ ${g.requestsPerSecond} req/s, p99 < ${g.p99Ms} ms at that rate, ${g.errors} errors`,
    );
  }
}
