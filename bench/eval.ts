/**
 * Benchmark: the evaluation runner's wall time against its ideal critical path. Every model
 * call takes a fixed simulated latency L, so one row costs 3L of unavoidable sequential model
 * time, and with concurrency C the ideal wall time of R rows is ceil(R / C) × 3L. In the same
 * run we measure the runner at concurrency C and sequentially (C = 1), and print
 * measured / ideal (goal ≤ 1.3) and the speed-up over sequential.
 *
 * Two scenarios:
 * - `fake`: a fake pipeline making two model calls (queries, answer) and five fake AI judges
 *   of one call each, run side by side (2L + L per row), plus the text metrics;
 * - `offline`: the real embedded runtime (offline model with OFFLINE_MODEL_LATENCY_MS = L:
 *   query generation, embeddings, answer = 3L per row), text metrics, judges skipped.
 *
 * Both write a real run directory (row-by-row appends included), in a temporary folder.
 *
 * Run: deno task bench:eval [--latency 100] [--concurrency 8] [--rows N] [--only fake|offline]
 *      [--check]   (exit 1 when a ratio misses the goal)
 *
 * @module
 */
import { parseArgs } from "node:util";
import { loadConfig } from "../lib/config/mod.ts";
import { createRuntime, resolveProjectPath } from "../lib/runtime/mod.ts";
import {
  type EvalCase,
  evaluateToRunDir,
  type Evaluator,
  loadDataset,
  type RunEvaluationOptions,
  textEvaluators,
} from "../lib/evaluate/mod.ts";
import { createJudge } from "../lib/evaluate/judges.ts";
import { loadPrompty } from "../lib/prompty/mod.ts";
import { createFakePipeline } from "../lib/chat/fake_pipeline.ts";
import { createFakeModel } from "../lib/evaluate/_fakes.ts";

const GOAL = 1.3;
const { values } = parseArgs({
  args: Deno.args,
  options: {
    latency: { type: "string", default: "100" },
    concurrency: { type: "string", default: "8" },
    rows: { type: "string" },
    only: { type: "string" },
    check: { type: "boolean", default: false },
  },
});
const L = Number(values.latency);
const C = Number(values.concurrency);

let rows: EvalCase[] = await loadDataset(resolveProjectPath("data/eval/test.jsonl"));
if (values.rows) {
  const n = Number(values.rows);
  // repeat the set when more rows are asked for, with fresh ids
  rows = Array.from({ length: n }, (_, i) => ({
    ...rows[i % rows.length],
    id: `row-${i + 1}`,
    index: i,
  }));
}
const R = rows.length;
const ideal = Math.ceil(R / C) * 3 * L;

async function timeRun(
  pipeline: RunEvaluationOptions["pipeline"],
  evaluators: Evaluator[],
  concurrency: number,
): Promise<number> {
  const runsDir = await Deno.makeTempDir({ prefix: "bench-eval-" });
  try {
    const started = performance.now();
    const run = await evaluateToRunDir({
      rows,
      dataset: "data/eval/test.jsonl",
      pipeline,
      evaluators,
      runsDir,
      concurrency,
      name: "bench",
    });
    const wall = performance.now() - started;
    if (run.summary.rows.ok !== R) {
      throw new Error(`Benchmark run failed: ${run.summary.rows.failed} of ${R} rows failed`);
    }
    return wall;
  } finally {
    await Deno.remove(runsDir, { recursive: true });
  }
}

async function fakeScenario(): Promise<[number, number]> {
  const judgeModel = createFakeModel({ reply: "4", latencyMs: L });
  const judges = await Promise.all(
    ["groundedness", "relevance", "coherence", "fluency", "friendliness"].map(async (name) =>
      createJudge(
        await loadPrompty(resolveProjectPath(`prompts/evaluators/${name}.prompty`)),
        judgeModel,
        name,
      )
    ),
  );
  const evaluators = [...judges, ...textEvaluators()];
  const pipeline = () => createFakePipeline({ modelCalls: 2, latencyMs: L });
  await timeRun(pipeline(), evaluators, C); // warm-up (module and template caches)
  return [await timeRun(pipeline(), evaluators, C), await timeRun(pipeline(), evaluators, 1)];
}

async function offlineScenario(): Promise<[number, number]> {
  const runtime = await createRuntime(loadConfig({ OFFLINE_MODEL_LATENCY_MS: String(L) }));
  try {
    const evaluators = textEvaluators();
    await timeRun(runtime.pipeline, evaluators, C); // warm-up
    return [
      await timeRun(runtime.pipeline, evaluators, C),
      await timeRun(runtime.pipeline, evaluators, 1),
    ];
  } finally {
    await runtime.close();
  }
}

const scenarios: [string, string, () => Promise<[number, number]>][] = [
  ["fake", "fake pipeline (2 calls) + 5 judges side by side (1 call)", fakeScenario],
  ["offline", "embedded runtime, offline model (queries, embeddings, answer)", offlineScenario],
];

console.log(
  `bench:eval  ${R} rows, concurrency ${C}, ${L} ms per model call, 3 × ${L} ms per row\n` +
    `ideal critical path: ceil(${R}/${C}) × ${3 * L} ms = ${ideal} ms\n`,
);
let ok = true;
for (const [key, label, scenario] of scenarios) {
  if (values.only && values.only !== key) continue;
  const [measured, sequential] = await scenario();
  const ratio = measured / ideal;
  ok &&= ratio <= GOAL;
  console.log(`${key}: ${label}`);
  console.log(`  concurrent (C=${C})   ${measured.toFixed(0).padStart(6)} ms`);
  console.log(`  sequential (C=1)   ${sequential.toFixed(0).padStart(6)} ms`);
  console.log(
    `  measured/ideal      ${ratio.toFixed(3)}   ${
      ratio <= GOAL ? "ok" : "MISSED"
    } (goal ≤ ${GOAL})`,
  );
  console.log(`  sequential/ideal    ${(sequential / ideal).toFixed(3)}`);
  console.log(`  speed-up            ${(sequential / measured).toFixed(2)}× over sequential\n`);
}
if (values.check && !ok) Deno.exit(1);
