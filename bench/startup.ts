/**
 * Benchmark: start-up. The time from spawning `deno run -A server/main.ts --dev` (what
 * `deno task start` runs: embedded Cosmos DB server, seeding, embedding and indexing the
 * catalog and manuals, the offline model) to the first `GET /ready` answering 200, polled
 * every 5 ms. Several runs, median and worst; in the same run, the same measure for the
 * minimal Hono server, which is what Deno itself costs to start a process that serves HTTP.
 *
 * Run: deno run -A bench/startup.ts [--runs 5] [--json]
 *
 * @module
 */
import { parseArgs } from "node:util";
import { spawnServer } from "./_process.ts";
import { median } from "./_stats.ts";

/** Goal from issue 7 (ms, median). */
export const STARTUP_GOAL_MS = 1500;

/** What the benchmark reports. */
export interface StartupResult {
  runs: number;
  /** Each run's spawn-to-ready time of the real server, ms. */
  serverMs: number[];
  serverMedianMs: number;
  serverMaxMs: number;
  /** The same for the minimal Hono server. */
  minimalMedianMs: number;
}

async function timeToReady(script?: string[]): Promise<number> {
  const server = await spawnServer({ script, pollMs: 5 });
  await server.stop();
  return server.readyMs;
}

/** Run the benchmark: one untimed start first, so Deno's module cache is warm for every run. */
export async function runStartup(runs: number): Promise<StartupResult> {
  await timeToReady();
  await timeToReady(["bench/minimal_server.ts"]);
  const serverMs: number[] = [];
  const minimalMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    serverMs.push(await timeToReady());
    minimalMs.push(await timeToReady(["bench/minimal_server.ts"]));
  }
  return {
    runs,
    serverMs,
    serverMedianMs: median(serverMs),
    serverMaxMs: Math.max(...serverMs),
    minimalMedianMs: median(minimalMs),
  };
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      runs: { type: "string", default: "5" },
      json: { type: "boolean", default: false },
    },
  });
  const result = await runStartup(Number(values.runs));
  if (values.json) console.log(JSON.stringify(result));
  else {
    console.log(`Start-up to /ready (${result.runs} runs, embedded defaults)`);
    console.log(
      `  server   median ${result.serverMedianMs.toFixed(0)} ms   worst ${
        result.serverMaxMs.toFixed(0)
      } ms   runs ${result.serverMs.map((ms) => ms.toFixed(0)).join(", ")}`,
    );
    console.log(`  minimal  median ${result.minimalMedianMs.toFixed(0)} ms (a bare Hono server)`);
    console.log(
      `  goal: median < ${STARTUP_GOAL_MS} ms  ${
        result.serverMedianMs < STARTUP_GOAL_MS ? "PASS" : "MISS"
      }`,
    );
  }
}
