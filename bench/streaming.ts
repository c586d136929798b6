/**
 * Benchmark: streaming latency, from the model's first token to the first `delta` event a
 * real HTTP client reads. The server is the real app (`createApp` on the embedded runtime,
 * served by `startServer` on a loopback port); the offline model streams with a chunk delay,
 * so its first token leaves it at a known, observable moment, which a wrapper at its `fetch`
 * boundary stamps (the same place bytes from Azure OpenAI would arrive). The client is
 * Deno's `fetch` over TCP in the same process, so both stamps read one clock.
 *
 * Measured twice: one stream at a time, then several streams at once. For comparison, the
 * same interval inside the process without HTTP (the pipeline's own first `delta`).
 *
 * Run: deno run -A bench/streaming.ts [--requests 20] [--concurrency 8] [--chunk-delay 25] [--json]
 *
 * @module
 */
import { parseArgs } from "node:util";
import { createRuntime } from "../lib/runtime/mod.ts";
import { loadConfig } from "../lib/config/mod.ts";
import { createOfflineFetch, type FetchFn } from "../lib/models/offline/handler.ts";
import { createApp, runtimeDeps } from "../server/app.ts";
import { createJsonLogger } from "../server/logger.ts";
import { startServer } from "../server/serve.ts";
import { median, percentile } from "./_stats.ts";

/** Goal from issue 7 (ms). */
export const STREAMING_GOAL_MS = 20;

/** Latencies of one scenario, ms. */
export interface LatencyFigures {
  samples: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
}

/** What the benchmark reports. */
export interface StreamingResult {
  chunkDelayMs: number;
  /** First token to first `delta` at the HTTP client, one stream at a time. */
  sequential: LatencyFigures;
  /** The same with `concurrency` streams at once. */
  concurrent: LatencyFigures & { concurrency: number };
  /** First token to the pipeline's first `delta` in process (no HTTP), for comparison. */
  inProcess: LatencyFigures;
}

const TAG = /\(run (\d+)\)/;

/** A fetch that stamps, per tagged question, when the first content token leaves the model. */
function stampingFetch(inner: FetchFn, stamps: Map<string, number>): FetchFn {
  return async (input, init) => {
    const response = await inner(input, init);
    const tag = typeof init?.body === "string" ? TAG.exec(init.body)?.[1] : undefined;
    const isStream = (response.headers.get("content-type") ?? "").includes("text/event-stream");
    if (!tag || !isStream || !response.body) return response;
    const decoder = new TextDecoder();
    let seen = false;
    const body = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          if (!seen && /"content":"[^"]/.test(decoder.decode(chunk, { stream: true }))) {
            seen = true;
            stamps.set(tag, performance.now());
          }
          controller.enqueue(chunk);
        },
      }),
    );
    return new Response(body, { status: response.status, headers: response.headers });
  };
}

/** Read an event stream until the first `delta` event; returns when it was complete. */
async function firstDeltaAt(response: Response): Promise<number> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let at = Number.NaN;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end;
    while (Number.isNaN(at) && (end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (/^event: delta$/m.test(block)) at = performance.now();
      if (/^event: error$/m.test(block)) throw new Error(`The stream failed: ${block}`);
    }
    // Keep reading to the end so the connection is reused cleanly.
  }
  if (Number.isNaN(at)) throw new Error("The stream ended without a delta event");
  return at;
}

function figures(values: number[]): LatencyFigures {
  return {
    samples: values.length,
    medianMs: median(values),
    p95Ms: percentile(values, 95),
    maxMs: Math.max(...values),
  };
}

const QUESTIONS = [
  "Which tent is best for a rainy weekend?",
  "How do I clean my sleeping bag?",
  "What hiking boots are waterproof?",
  "Which camping stove is the lightest?",
];

/** Run the benchmark. */
export async function runStreaming(
  options: { requests: number; concurrency: number; chunkDelayMs: number },
): Promise<StreamingResult> {
  const stamps = new Map<string, number>();
  const config = loadConfig({});
  const runtime = await createRuntime(config, {
    fetch: stampingFetch(createOfflineFetch({ chunkDelayMs: options.chunkDelayMs }), stamps),
  });
  const app = createApp(runtimeDeps(runtime, {
    config: loadConfig({ RATE_LIMIT_PER_MINUTE: "1000000" }),
    logger: createJsonLogger({ write: () => {} }),
  }));
  const server = startServer(app, { port: 0, hostname: "127.0.0.1" });
  let run = 0;
  const oneStream = async (): Promise<number> => {
    const tag = String(++run);
    const question = `${QUESTIONS[run % QUESTIONS.length]} (run ${tag})`;
    const response = await fetch(`http://127.0.0.1:${server.addr.port}/api/create_response`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify({ question, customer_id: String(1 + (run % 12)) }),
    });
    if (response.status !== 200) {
      throw new Error(`HTTP ${response.status}: ${await response.text()}`);
    }
    const at = await firstDeltaAt(response);
    const token = stamps.get(tag);
    if (token === undefined) throw new Error(`No first token was stamped for run ${tag}`);
    stamps.delete(tag);
    return at - token;
  };
  const inProcessOnce = async (): Promise<number> => {
    const tag = String(++run);
    let at = Number.NaN;
    for await (
      const event of runtime.pipeline.streamResponse({
        customerId: String(1 + (run % 12)),
        question: `${QUESTIONS[run % QUESTIONS.length]} (run ${tag})`,
      })
    ) {
      if (event.type === "delta" && Number.isNaN(at)) at = performance.now();
    }
    const token = stamps.get(tag)!;
    stamps.delete(tag);
    return at - token;
  };
  try {
    for (let i = 0; i < 3; i++) await oneStream(); // warm-up
    const sequential: number[] = [];
    for (let i = 0; i < options.requests; i++) sequential.push(await oneStream());
    const concurrent: number[] = [];
    for (let i = 0; i < options.requests; i += options.concurrency) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(options.concurrency, options.requests - i) }, oneStream),
      );
      concurrent.push(...batch);
    }
    const inProcess: number[] = [];
    for (let i = 0; i < options.requests; i++) inProcess.push(await inProcessOnce());
    return {
      chunkDelayMs: options.chunkDelayMs,
      sequential: figures(sequential),
      concurrent: { ...figures(concurrent), concurrency: options.concurrency },
      inProcess: figures(inProcess),
    };
  } finally {
    await server.shutdown();
    await runtime.close();
  }
}

function line(name: string, f: LatencyFigures): string {
  return `  ${name.padEnd(26)} median ${f.medianMs.toFixed(2).padStart(6)} ms   p95 ${
    f.p95Ms.toFixed(2).padStart(6)
  } ms   max ${f.maxMs.toFixed(2).padStart(6)} ms   (${f.samples} streams)`;
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      requests: { type: "string", default: "24" },
      concurrency: { type: "string", default: "8" },
      "chunk-delay": { type: "string", default: "25" },
      json: { type: "boolean", default: false },
    },
  });
  const result = await runStreaming({
    requests: Number(values.requests),
    concurrency: Number(values.concurrency),
    chunkDelayMs: Number(values["chunk-delay"]),
  });
  if (values.json) console.log(JSON.stringify(result));
  else {
    console.log(
      `Streaming: model's first token to the first delta event at the client (chunk delay ${result.chunkDelayMs} ms)`,
    );
    console.log(line("HTTP client, one at a time", result.sequential));
    console.log(line(`HTTP client, ${result.concurrent.concurrency} at once`, result.concurrent));
    console.log(line("in process (no HTTP)", result.inProcess));
    console.log(
      `  goal: < ${STREAMING_GOAL_MS} ms  ${
        result.sequential.p95Ms < STREAMING_GOAL_MS &&
          result.concurrent.p95Ms < STREAMING_GOAL_MS
          ? "PASS"
          : "MISS"
      }`,
    );
  }
}
