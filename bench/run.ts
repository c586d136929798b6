/**
 * `deno task bench`: runs every benchmark of issue 7, each in its own process, and prints one
 * table with each figure beside its goal: the pipeline's critical path, server throughput
 * (with a minimal Hono route measured in the same run), streaming first-token latency,
 * start-up time, (issue 10) search quality per catalog, and (issue 15) the scale benchmark on
 * generated catalogs (bench/scale.ts). Exits 1 when a goal is missed, so CI or an instructor can
 * gate on it.
 *
 * Run: deno task bench [--only pipeline,throughput,streaming,startup,search,scale]
 *      [--sizes 24,1000] [--json]   (--sizes: the scale benchmark's catalog sizes, default
 *      24,1000,10000)
 *
 * @module
 */
import { parseArgs } from "node:util";
import { loadAverage, ROOT } from "./_process.ts";
import { type FigureRow, formatTable, meetsGoal } from "./_stats.ts";
import { type ScaleResult, scaleRows } from "./scale.ts";
import { type SearchQualityResult, searchQualityRows } from "./search_quality.ts";
import type { StartupResult } from "./startup.ts";
import type { StreamingResult } from "./streaming.ts";
import type { ThroughputResult } from "./throughput.ts";

/** The pipeline benchmark's JSON (bench/pipeline.ts --json). */
interface PipelineResult {
  latencyMs: number;
  requests: number;
  pipelineMedianMs: number;
  sequentialMedianMs: number;
  pipelineRatio: number;
  sequentialRatio: number;
  goal: number;
}

const BENCHMARKS = ["pipeline", "throughput", "streaming", "startup", "search", "scale"] as const;
type Benchmark = typeof BENCHMARKS[number];

async function runJson<T>(script: string, args: string[] = []): Promise<T> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script, "--json", ...args],
    cwd: ROOT,
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout).trim();
  if (!out.success || !text) {
    throw new Error(`${script} failed:\n${new TextDecoder().decode(out.stderr).slice(-3000)}`);
  }
  return JSON.parse(text.split("\n").at(-1)!) as T;
}

function pipelineRows(r: PipelineResult): FigureRow[] {
  const note = `L = ${r.latencyMs} ms, median of ${r.requests}`;
  return [
    {
      benchmark: "pipeline",
      figure: "critical path ÷ 3L",
      value: r.pipelineRatio,
      unit: "",
      goal: r.goal,
      kind: "max",
      note: `${r.pipelineMedianMs.toFixed(0)} ms; ${note}`,
    },
    {
      benchmark: "pipeline",
      figure: "sequential version ÷ 3L",
      value: r.sequentialRatio,
      unit: "",
      kind: "none",
      note: `${r.sequentialMedianMs.toFixed(0)} ms, same run`,
    },
  ];
}

function throughputRows(r: ThroughputResult): FigureRow[] {
  const { chat, chatAtRate, minimal } = r;
  const where = r.pinned ? "server CPU 0, load CPU 1" : "unpinned";
  const row = (figure: string, value: number, unit: string, extra: Partial<FigureRow> = {}) => ({
    benchmark: "throughput",
    figure,
    value,
    unit,
    kind: "none" as const,
    ...extra,
  });
  return [
    row("chat capacity", chat.requestsPerSecond, "req/s", {
      goal: 500,
      kind: "min",
      note: `${chat.connections} connections, ${where}; rounds ${
        chat.roundsPerSecond.map((v) => v.toFixed(0)).join("/")
      }; p50 ${chat.p50Ms} ms, p99 ${chat.p99Ms} ms`,
    }),
    row(`chat p50 at ${chatAtRate.rate} req/s`, chatAtRate.p50Ms, "ms", {
      note: `${chatAtRate.requestsPerSecond.toFixed(0)} req/s achieved, ${
        chatAtRate.durationS.toFixed(1)
      } s, at most ${chatAtRate.connections} in flight`,
    }),
    row(`chat p99 at ${chatAtRate.rate} req/s`, chatAtRate.p99Ms, "ms", {
      goal: 100,
      kind: "below",
      note: `open loop, latency from when each request was due; rounds ${
        chatAtRate.roundsP99Ms.map((v) => v.toFixed(0)).join("/")
      } ms`,
    }),
    row("chat errors", chat.failures + chatAtRate.failures, "", {
      goal: 0,
      kind: "max",
      note: "non-2xx, socket errors, timeouts; every phase",
    }),
    row("chat server peak RSS", chat.peakRssMiB, "MiB"),
    row("chat server CPU per request", chat.cpuMsPerRequest, "ms"),
    row("minimal route capacity", minimal.requestsPerSecond, "req/s", {
      note: `same load, same run; p99 ${minimal.p99Ms} ms, ${minimal.failures} errors`,
    }),
    row("chat ÷ minimal (requests/s)", r.ratio, "", {
      note: "the minimal route's rate is bounded by the load generator",
    }),
    row("chat ÷ minimal (CPU/request)", r.cpuRatio, ""),
  ];
}

function streamingRows(r: StreamingResult): FigureRow[] {
  const row = (figure: string, f: { medianMs: number; p95Ms: number; samples: number }) => ({
    benchmark: "streaming",
    figure,
    value: f.p95Ms,
    unit: "ms",
    goal: 20,
    kind: "below" as const,
    note: `median ${
      f.medianMs.toFixed(2)
    } ms, ${f.samples} streams, chunk delay ${r.chunkDelayMs} ms`,
  });
  return [
    row("first token → first event, p95", r.sequential),
    row(`same, ${r.concurrent.concurrency} streams at once, p95`, r.concurrent),
    {
      benchmark: "streaming",
      figure: "same in process (no HTTP), p95",
      value: r.inProcess.p95Ms,
      unit: "ms",
      kind: "none",
    },
  ];
}

function startupRows(r: StartupResult): FigureRow[] {
  return [
    {
      benchmark: "startup",
      figure: "spawn → /ready, median",
      value: r.serverMedianMs,
      unit: "ms",
      goal: 1500,
      kind: "below",
      note: `${r.runs} runs: ${r.serverMs.map((v) => v.toFixed(0)).join(", ")}`,
    },
    {
      benchmark: "startup",
      figure: "minimal Hono server, median",
      value: r.minimalMedianMs,
      unit: "ms",
      kind: "none",
      note: "what starting Deno itself costs",
    },
  ];
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      only: { type: "string" },
      sizes: { type: "string" },
      json: { type: "boolean", default: false },
    },
  });
  const only = (values.only?.split(",").map((s) => s.trim()) ?? [...BENCHMARKS]) as Benchmark[];
  for (const name of only) {
    if (!BENCHMARKS.includes(name)) {
      console.error(`Unknown benchmark "${name}"; choose from ${BENCHMARKS.join(", ")}`);
      Deno.exit(2);
    }
  }
  const started = performance.now();
  const average = await loadAverage();
  const rows: FigureRow[] = [];
  const raw: Record<string, unknown> = {};
  for (const name of only) {
    if (!values.json) console.error(`running ${name}…`);
    switch (name) {
      case "pipeline": {
        const r = await runJson<PipelineResult>("bench/pipeline.ts");
        raw.pipeline = r;
        rows.push(...pipelineRows(r));
        break;
      }
      case "throughput": {
        const r = await runJson<ThroughputResult>("bench/throughput.ts");
        raw.throughput = r;
        rows.push(...throughputRows(r));
        break;
      }
      case "streaming": {
        const r = await runJson<StreamingResult>("bench/streaming.ts");
        raw.streaming = r;
        rows.push(...streamingRows(r));
        break;
      }
      case "startup": {
        const r = await runJson<StartupResult>("bench/startup.ts");
        raw.startup = r;
        rows.push(...startupRows(r));
        break;
      }
      case "search": {
        const r = await runJson<SearchQualityResult>("bench/search_quality.ts");
        raw.search = r;
        rows.push(...searchQualityRows(r));
        break;
      }
      case "scale": {
        const r = await runJson<ScaleResult>(
          "bench/scale.ts",
          values.sizes ? ["--sizes", values.sizes] : [],
        );
        raw.scale = r;
        rows.push(...scaleRows(r));
        break;
      }
    }
  }
  const missed = rows.filter((r) => !meetsGoal(r));
  if (values.json) console.log(JSON.stringify({ rows, raw }));
  else {
    console.log(
      `\nContoso Chat benchmarks — Deno ${Deno.version.deno}, ${navigator.hardwareConcurrency} CPUs, ` +
        `load average ${average} at start, ${
          ((performance.now() - started) / 1000).toFixed(0)
        } s\n`,
    );
    console.log(formatTable(rows));
    console.log(
      missed.length === 0
        ? "\nEvery goal met."
        : `\n${missed.length} goal(s) missed: ${missed.map((r) => r.figure).join("; ")}`,
    );
  }
  if (missed.length > 0) Deno.exit(1);
}
