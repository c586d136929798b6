/**
 * Benchmark: scale (issue 15). For each catalog size (24, 1,000 and 10,000 products by default)
 * a deterministic catalog is generated (bench/_catalog.ts: data/'s 24 products, manuals,
 * customers and labelled query sets unchanged among generated ones) in a temporary folder, and
 * the real server (`server/main.ts --dev`, embedded defaults, offline model latency 0) is
 * started on it with its index cache in the same folder:
 *
 * - cold start: spawn to the first `GET /ready` answering 200 with an empty cache (the index
 *   is built and persisted), then the process's peak RSS (VmHWM);
 * - warm start: the same with the cache in place, several runs, the median;
 * - requests: on the last warm server, `POST /api/create_response` at a fixed rate on an
 *   open-loop schedule (bench/_load_client.ts, on the other CPU), p50 and p99 from when each
 *   request was due, after an untimed warm-up, in rounds (the median-p99 round is kept, errors
 *   count in all); then the server's peak RSS;
 * - search quality: in a child process, the runtime on the same folder and cache, every
 *   labelled set of `search/` scored by lib/products/search_eval.ts, with the shipped search and
 *   with exact vectors.
 *
 * Prints one table with a column per size, ratios of the largest to the smallest, and the goals
 * of issue 15 (which hold at every size). Exits 1 when a goal is missed.
 *
 * Run: deno run -A bench/scale.ts [--sizes 24,1000,10000] [--rate 50] [--seconds 10]
 *      [--rounds 3] [--warmup 3] [--warm-runs 3] [--seed 15] [--keep] [--markdown] [--json]
 *
 * @module
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { VARIABLES } from "../lib/config/variables.ts";
import { DEFAULT_SEED, writeCatalog } from "./_catalog.ts";
import type { LoadResult } from "./_load_client.ts";
import { loadAverage, pinned, ROOT, spawnServer } from "./_process.ts";
import type { QualityFigures, QualityResult } from "./_scale_quality.ts";
import { type FigureRow, formatNumber, median, meetsGoal } from "./_stats.ts";
import { runLoadClient } from "./throughput.ts";

/** The goals of issue 15 (at 10,000 products; they hold at every size). */
export const SCALE_GOALS = {
  warmMs: 2_000,
  coldMs: 60_000,
  p50Ms: 10,
  p99Ms: 50,
  peakRssMiB: 500,
} as const;

/** The sizes measured when none are given. */
export const DEFAULT_SIZES = [24, 1_000, 10_000] as const;

/**
 * The environment that points the server at its index cache folder, and the one that asks for
 * exact vector search (issue 15, S's settings).
 */
export const INDEX_CACHE_ENV = "CONTOSO_INDEX_CACHE_DIR";
export const EXACT_ENV: Record<string, string> = { CONTOSO_EXACT_VECTORS: "true" };

/** One size's figures. */
export interface SizeFigures {
  products: number;
  customers: number;
  /** Search documents (products and manual passages) the runtime indexed. */
  documents: number;
  coldMs: number;
  warmMs: number;
  warmRunsMs: number[];
  /** The round with the median p99; failures count over every round and the warm-up. */
  load: LoadResult & { failures: number; roundsP99Ms: number[] };
  peakRssColdMiB: number;
  peakRssWarmMiB: number;
  /** Server CPU time (user + system) per request over the measured rounds, ms. */
  cpuMsPerRequest: number;
  /** The machine's 1-minute load average when this size started. */
  loadAverage: number;
  quality: { shipped: QualityResult; exact?: QualityResult; exactError?: string };
  /** Seconds this size took in all (generation included). */
  seconds: number;
}

export type { QualityFigures, QualityResult };

/** What the benchmark reports. */
export interface ScaleResult {
  sizes: SizeFigures[];
  rate: number;
  seconds: number;
  loadAverage: number;
  pinned: boolean;
}

/** Options of {@link runScale}. */
export interface ScaleOptions {
  sizes: number[];
  rate: number;
  seconds: number;
  warmup: number;
  warmRuns: number;
  /** Measured rounds of `seconds` each at the rate; the median-p99 round is kept. */
  rounds: number;
  seed: number;
  /** Keep the temporary folders (their paths are printed on stderr). */
  keep?: boolean;
  log?: (line: string) => void;
}

const MiB = 2 ** 20;

/** Names of `env` that lib/config does not know (so setting them would change nothing). */
function unknownVariables(env: Record<string, string>): string[] {
  return Object.keys(env).filter((name) => !VARIABLES.some((v) => v.name === name));
}
const failuresOf = (r: LoadResult) => r.non2xx + r.errors + r.timeouts;

async function qualityChild(dir: string, env: Record<string, string>): Promise<QualityResult> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "bench/_scale_quality.ts", dir],
    cwd: ROOT,
    env: { ...env, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout).trim();
  if (!out.success || !text) {
    throw new Error(
      `The search quality run failed: ${new TextDecoder().decode(out.stderr).slice(-2000)}`,
    );
  }
  return JSON.parse(text.split("\n").at(-1)!) as QualityResult;
}

async function measureSize(products: number, options: ScaleOptions): Promise<SizeFigures> {
  const log = options.log ?? (() => {});
  const started = performance.now();
  const average = await loadAverage();
  const tmp = await Deno.makeTempDir({ prefix: `contoso-scale-${products}-` });
  try {
    const dir = join(tmp, "data");
    const catalog = await writeCatalog(dir, { products, seed: options.seed });
    log(
      `  ${products}: catalog written (${catalog.manuals} manuals, ${catalog.customers} customers)`,
    );
    const env = {
      CONTOSO_DATA_DIR: dir,
      [INDEX_CACHE_ENV]: join(tmp, "cache"),
      OFFLINE_MODEL_LATENCY_MS: "0",
      RATE_LIMIT_PER_MINUTE: "1000000",
    };
    const spawn = () => spawnServer({ env, timeoutMs: 300_000, pollMs: 10 });

    const cold = await spawn();
    const peakRssColdMiB = (await cold.peakRssBytes()) / MiB;
    await cold.stop();
    log(
      `  ${products}: cold start ${cold.readyMs.toFixed(0)} ms, ${peakRssColdMiB.toFixed(0)} MiB`,
    );

    const warmRunsMs: number[] = [];
    let server = await spawn();
    warmRunsMs.push(server.readyMs);
    for (let i = 1; i < options.warmRuns; i++) {
      await server.stop();
      server = await spawn();
      warmRunsMs.push(server.readyMs);
    }
    log(`  ${products}: warm starts ${warmRunsMs.map((v) => v.toFixed(0)).join(", ")} ms`);

    let load: SizeFigures["load"];
    let peakRssWarmMiB: number;
    let cpuMsPerRequest = Number.NaN;
    try {
      const request = { connections: 16, rate: options.rate };
      let failures = 0;
      if (options.warmup > 0) {
        const warm = await runLoadClient(server.url, {
          ...request,
          seconds: options.warmup,
          seed: 1,
        });
        failures += failuresOf(warm);
      }
      // Rounds, as bench/throughput.ts: on a shared machine another user's burst shows up as
      // one bad round rather than as the figure.
      const rounds: LoadResult[] = [];
      const cpuBefore = await server.cpuMs();
      for (let i = 0; i < Math.max(1, options.rounds); i++) {
        const round = await runLoadClient(server.url, {
          ...request,
          seconds: options.seconds,
          seed: 7 + i,
        });
        failures += failuresOf(round);
        rounds.push(round);
      }
      cpuMsPerRequest = (await server.cpuMs() - cpuBefore) /
        Math.max(1, rounds.reduce((n, r) => n + r.requests, 0));
      const byP99 = [...rounds].sort((a, b) => a.p99Ms - b.p99Ms);
      load = {
        ...byP99[Math.floor((byP99.length - 1) / 2)],
        failures,
        roundsP99Ms: rounds.map((r) => r.p99Ms),
      };
      peakRssWarmMiB = (await server.peakRssBytes()) / MiB;
    } finally {
      await server.stop();
    }
    log(
      `  ${products}: p50 ${load.p50Ms.toFixed(1)} ms, p99 ${load.p99Ms.toFixed(1)} ms (rounds ${
        load.roundsP99Ms.map((v) => v.toFixed(0)).join("/")
      } ms)`,
    );

    const shipped = await qualityChild(dir, env);
    let exact: QualityResult | undefined;
    let exactError: string | undefined;
    const unknown = unknownVariables(EXACT_ENV);
    if (unknown.length > 0) exactError = `${unknown.join(", ")} is not a setting of lib/config yet`;
    else {
      try {
        exact = await qualityChild(dir, { ...env, ...EXACT_ENV });
      } catch (error) {
        exactError = (error as Error).message.split("\n").slice(0, 3).join(" ");
      }
    }
    log(`  ${products}: quality measured`);
    return {
      products: catalog.products,
      customers: catalog.customers,
      documents: shipped.documents,
      coldMs: cold.readyMs,
      warmMs: median(warmRunsMs),
      warmRunsMs,
      load,
      peakRssColdMiB,
      peakRssWarmMiB,
      cpuMsPerRequest,
      loadAverage: average,
      quality: { shipped, ...(exact ? { exact } : {}), ...(exactError ? { exactError } : {}) },
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    if (options.keep) console.error(`kept ${tmp}`);
    else await Deno.remove(tmp, { recursive: true }).catch(() => {});
  }
}

/** Run the benchmark, one size after another (smallest first). */
export async function runScale(options: ScaleOptions): Promise<ScaleResult> {
  const average = await loadAverage();
  // One untimed start on data/ without a cache, so Deno's own module cache is warm and the
  // first cold start measures the index, not the type-stripping of the server's modules.
  const untimed = await spawnServer({
    env: { CONTOSO_DATA_DIR: join(ROOT, "data"), [INDEX_CACHE_ENV]: "off" },
  });
  await untimed.stop();
  const sizes: SizeFigures[] = [];
  for (const products of [...options.sizes].sort((a, b) => a - b)) {
    sizes.push(await measureSize(products, options));
  }
  return {
    sizes,
    rate: options.rate,
    seconds: options.seconds,
    loadAverage: average,
    pinned: (await pinned("server", ["x"]))[0] === "taskset",
  };
}

/** A figure of every size, with its goal. */
interface Figure {
  name: string;
  unit: string;
  value: (s: SizeFigures) => number;
  goal?: number;
  kind: FigureRow["kind"];
  /** Whether the ratio to the smallest size is worth printing. */
  ratio?: boolean;
}

function setOf(q: QualityResult | undefined, file: string): QualityFigures | undefined {
  return q?.sets.find((s) => s.file === file);
}

function figures(result: ScaleResult): Figure[] {
  const files = result.sizes[0]?.quality.shipped.sets.map((s) => s.file) ?? [];
  const list: Figure[] = [
    { name: "search documents", unit: "", value: (s) => s.documents, kind: "none", ratio: true },
    {
      name: "cold start → /ready",
      unit: "ms",
      value: (s) => s.coldMs,
      goal: SCALE_GOALS.coldMs,
      kind: "max",
      ratio: true,
    },
    {
      name: "warm start → /ready (median)",
      unit: "ms",
      value: (s) => s.warmMs,
      goal: SCALE_GOALS.warmMs,
      kind: "max",
      ratio: true,
    },
    {
      name: `chat p50 at ${result.rate} req/s`,
      unit: "ms",
      value: (s) => s.load.p50Ms,
      goal: SCALE_GOALS.p50Ms,
      kind: "max",
      ratio: true,
    },
    {
      name: `chat p99 at ${result.rate} req/s`,
      unit: "ms",
      value: (s) => s.load.p99Ms,
      goal: SCALE_GOALS.p99Ms,
      kind: "max",
      ratio: true,
    },
    { name: "chat errors", unit: "", value: (s) => s.load.failures, goal: 0, kind: "max" },
    {
      name: "server CPU per request",
      unit: "ms",
      value: (s) => s.cpuMsPerRequest,
      kind: "none",
      ratio: true,
    },
    { name: "load average at start", unit: "", value: (s) => s.loadAverage, kind: "none" },
    {
      name: "peak RSS, cold start",
      unit: "MiB",
      value: (s) => s.peakRssColdMiB,
      goal: SCALE_GOALS.peakRssMiB,
      kind: "max",
      ratio: true,
    },
    {
      name: "peak RSS, warm start + load",
      unit: "MiB",
      value: (s) => s.peakRssWarmMiB,
      goal: SCALE_GOALS.peakRssMiB,
      kind: "max",
      ratio: true,
    },
  ];
  for (const file of files) {
    const stem = file.replace(/\.jsonl$/, "");
    for (const metric of ["top1", "mrr"] as const) {
      const label = metric === "top1" ? "top-1" : "MRR@10";
      list.push(
        {
          name: `${stem}: ${label}`,
          unit: "",
          value: (s) => setOf(s.quality.shipped, file)?.[metric] ?? Number.NaN,
          kind: "none",
        },
        {
          name: `${stem}: ${label}, exact vectors`,
          unit: "",
          value: (s) => setOf(s.quality.exact, file)?.[metric] ?? Number.NaN,
          kind: "none",
        },
        {
          name: `${stem}: ${label}, shipped − exact`,
          unit: "",
          value: (s) => {
            const shipped = setOf(s.quality.shipped, file)?.[metric];
            const exact = setOf(s.quality.exact, file)?.[metric];
            return shipped === undefined || exact === undefined ? Number.NaN : shipped - exact;
          },
          goal: 0,
          kind: "min",
        },
      );
    }
  }
  return list;
}

const passes = (f: Figure, s: SizeFigures) =>
  Number.isNaN(f.value(s)) ||
  meetsGoal({ benchmark: "", figure: "", unit: "", value: f.value(s), goal: f.goal, kind: f.kind });

/**
 * The rows of `deno task bench`'s table, per size: each figure with a goal, and the shipped
 * search's own top-1 and MRR for context.
 */
export function scaleRows(result: ScaleResult): FigureRow[] {
  const wanted = (f: Figure) => f.goal !== undefined || /: (top-1|MRR@10)$/.test(f.name);
  return figures(result).filter(wanted).flatMap((f) =>
    result.sizes.map((s) => ({
      benchmark: "scale",
      figure: `${s.products.toLocaleString("en-US")}: ${f.name}`,
      value: f.value(s),
      unit: f.unit,
      goal: f.goal,
      kind: f.kind,
    })).filter((row) => !Number.isNaN(row.value))
  );
}

const SYMBOL: Record<FigureRow["kind"], string> = { max: "≤", below: "<", min: "≥", none: "" };

/** The table: a column per size, the ratio of the largest to the smallest, the goal, a verdict. */
export function formatScaleTable(result: ScaleResult, options: { markdown?: boolean } = {}) {
  const sizes = result.sizes;
  const first = sizes[0];
  const last = sizes.at(-1)!;
  const header = [
    "figure",
    ...sizes.map((s) => `${s.products.toLocaleString("en-US")} products`),
    ...(sizes.length > 1 ? [`× (${last.products} ÷ ${first.products})`] : []),
    "goal",
    "",
  ];
  const fmt = (v: number) => Number.isNaN(v) ? "n/a" : formatNumber(v);
  const rows = figures(result).map((f) => [
    `${f.name}${f.unit ? ` (${f.unit})` : ""}`,
    ...sizes.map((s) => fmt(f.value(s))),
    ...(sizes.length > 1 ? [f.ratio ? fmt(f.value(last) / f.value(first)) : ""] : []),
    f.goal === undefined ? "" : `${SYMBOL[f.kind]} ${formatNumber(f.goal)}`,
    f.goal === undefined || sizes.every((s) => Number.isNaN(f.value(s)))
      ? ""
      : sizes.every((s) => passes(f, s))
      ? "PASS"
      : "MISS",
  ]);
  if (options.markdown) {
    const line = (c: string[]) => `| ${c.join(" | ")} |`;
    return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (c: string[]) =>
    c.map((v, i) => i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i])).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

function parseSizes(text: string): number[] {
  const sizes = text.split(",").map((s) => Number(s.trim().replace(/[_,]/g, "")));
  for (const s of sizes) {
    if (!Number.isInteger(s) || s < 1) throw new TypeError(`Invalid size "${text}"`);
  }
  return sizes;
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      sizes: { type: "string", default: DEFAULT_SIZES.join(",") },
      rate: { type: "string", default: "50" },
      seconds: { type: "string", default: "10" },
      rounds: { type: "string", default: "3" },
      warmup: { type: "string", default: "3" },
      "warm-runs": { type: "string", default: "3" },
      seed: { type: "string", default: String(DEFAULT_SEED) },
      keep: { type: "boolean", default: false },
      markdown: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
    },
  });
  const result = await runScale({
    sizes: parseSizes(values.sizes),
    rate: Number(values.rate),
    seconds: Number(values.seconds),
    warmup: Number(values.warmup),
    warmRuns: Math.max(1, Number(values["warm-runs"])),
    rounds: Math.max(1, Number(values.rounds)),
    seed: Number(values.seed),
    keep: values.keep,
    log: values.json ? undefined : (line) => console.error(line),
  });
  const missed = scaleRows(result).filter((r) => !meetsGoal(r));
  if (values.json) console.log(JSON.stringify(result));
  else {
    console.log(
      `\nScale — Deno ${Deno.version.deno}, ${navigator.hardwareConcurrency} CPUs, load average ` +
        `${result.loadAverage} at start; ${result.rate} req/s open loop, rounds of ${result.seconds} s ` +
        `(median-p99 round); ` +
        `OFFLINE_MODEL_LATENCY_MS=0; ${result.pinned ? "server CPU 0, load CPU 1" : "unpinned"}\n`,
    );
    console.log(formatScaleTable(result, { markdown: values.markdown }));
    const notes = new Set(result.sizes.flatMap((s) => s.quality.exactError ?? []));
    for (const note of notes) console.log(`\nexact vectors not measured: ${note}`);
    if (unknownVariables({ [INDEX_CACHE_ENV]: "" }).length > 0) {
      console.log(
        `\n${INDEX_CACHE_ENV} is not a setting of lib/config yet: the cache is the default`,
      );
    }
    console.log(
      missed.length === 0
        ? "\nEvery goal met."
        : `\n${missed.length} goal(s) missed: ${missed.map((r) => r.figure).join("; ")}`,
    );
  }
  if (missed.length > 0) Deno.exit(1);
}
