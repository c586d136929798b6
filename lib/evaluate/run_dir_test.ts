/**
 * Run directories end to end with fakes: the files a run writes, runs that never overwrite
 * each other, resuming an interrupted run (torn last line included), and offline honesty.
 *
 * @module
 */
import { deepEqual as assertEquals, equal, ok as assert } from "node:assert/strict";
import { join } from "node:path";
import {
  createRunDir,
  evaluateToRunDir,
  loadJudges,
  NO_JUDGE_MODEL_REASON,
  readResults,
  readSummary,
  textEvaluators,
} from "./mod.ts";
import { createFakePipeline } from "../chat/fake_pipeline.ts";
import { createFakeModel, makeRows } from "./_fakes.ts";

async function lines(path: string): Promise<string[]> {
  return (await Deno.readTextFile(path)).split("\n").filter(Boolean);
}

Deno.test("createRunDir() never reuses a directory", async () => {
  const root = await Deno.makeTempDir();
  const now = new Date("2026-03-04T05:06:07.890Z");
  const a = await createRunDir("test set", { root, now });
  const b = await createRunDir("test set", { root, now });
  const c = await createRunDir("test set", { root, now });
  equal(a, join(root, "20260304T050607Z-test-set"));
  equal(b, `${a}-2`);
  equal(c, `${a}-3`);
  await Deno.remove(root, { recursive: true });
});

Deno.test("evaluateToRunDir() writes results row by row, summary, report and chart", async () => {
  const root = await Deno.makeTempDir();
  const pipeline = createFakePipeline();
  const run = await evaluateToRunDir({
    rows: makeRows(5),
    dataset: "fake.jsonl",
    pipeline,
    evaluators: textEvaluators(),
    runsDir: root,
  });
  for (const file of ["run.json", "results.jsonl", "summary.json", "report.md", "chart.svg"]) {
    await Deno.stat(join(run.dir, file));
  }
  equal((await lines(join(run.dir, "results.jsonl"))).length, 5);
  const summary = await readSummary(run.dir);
  assertEquals(summary.rows, { total: 5, ok: 5, failed: 0, pending: 0 });
  equal(summary.complete, true);
  assertEquals(summary.metrics.map((m) => m.name), [
    "f1",
    "rouge_l",
    "bleu",
    "lexical_groundedness",
  ]);
  equal(summary.metrics[0].mean, 1);
  assert((await Deno.readTextFile(join(run.dir, "chart.svg"))).startsWith("<svg"));
  const second = await evaluateToRunDir({
    rows: makeRows(5),
    dataset: "fake.jsonl",
    pipeline,
    evaluators: textEvaluators(),
    runsDir: root,
  });
  assert(second.dir !== run.dir, "a second run gets its own directory");
  await Deno.remove(root, { recursive: true });
});

Deno.test("evaluateToRunDir() resumes an interrupted run where it stopped", async () => {
  const root = await Deno.makeTempDir();
  const rows = makeRows(8);
  const controller = new AbortController();
  const first = createFakePipeline({ latencyMs: 10 });
  const partial = await evaluateToRunDir({
    rows,
    dataset: "fake.jsonl",
    pipeline: first,
    evaluators: textEvaluators(),
    runsDir: root,
    concurrency: 2,
    signal: controller.signal,
    onProgress: (p) => {
      if (p.done >= 3) controller.abort();
    },
  });
  equal(partial.interrupted, true);
  equal(partial.summary.complete, false);
  const done = partial.results.length;
  assert(done >= 3 && done < 8, `${done} rows done`);
  assert((await Deno.readTextFile(join(partial.dir, "report.md"))).includes("Incomplete run"));
  // the process died mid-write: a torn line at the end of results.jsonl
  await Deno.writeTextFile(join(partial.dir, "results.jsonl"), '{"id":"row-0008","ind', {
    append: true,
  });

  const second = createFakePipeline();
  const resumed = await evaluateToRunDir({
    rows,
    dataset: "fake.jsonl",
    pipeline: second,
    evaluators: textEvaluators(),
    resumeDir: partial.dir,
  });
  equal(resumed.dir, partial.dir);
  equal(second.stats.calls, 8 - done); // only the rows without a result
  equal(resumed.summary.complete, true);
  equal(resumed.summary.rows.ok, 8);
  const fileLines = await lines(join(partial.dir, "results.jsonl"));
  equal(fileLines.length, 8);
  fileLines.forEach((line) => JSON.parse(line)); // every line is whole
  equal((await readResults(partial.dir)).length, 8);
  await Deno.remove(root, { recursive: true });
});

Deno.test("offline: judges are skipped with the reason, text metrics still run", async () => {
  const root = await Deno.makeTempDir();
  const judges = await loadJudges({ model: undefined });
  equal(judges.evaluators.length, 0);
  assertEquals(judges.skipped.map((s) => s.name), [
    "groundedness",
    "relevance",
    "coherence",
    "fluency",
    "friendliness",
    "dontknowness",
  ]);
  const offline = await loadJudges({
    model: { ...createFakeModel(), backend: "offline", name: "contoso-offline-chat" },
  });
  equal(offline.evaluators.length, 0);
  assert(offline.skipped[0].reason.includes("offline model"));

  const pipeline = createFakePipeline();
  const run = await evaluateToRunDir({
    rows: makeRows(2),
    dataset: "fake.jsonl",
    pipeline,
    evaluators: [...judges.evaluators, ...textEvaluators()],
    skipped: judges.skipped,
    runsDir: root,
  });
  equal(run.summary.skipped.length, 6);
  assert(run.summary.metrics.every((m) => m.kind === "text" && m.count === 2));
  const report = await Deno.readTextFile(join(run.dir, "report.md"));
  assert(report.includes("## Skipped evaluators"));
  assert(report.includes(
    `- **groundedness**, **relevance**, **coherence**, **fluency**, **friendliness**, **dontknowness**: ${NO_JUDGE_MODEL_REASON}`,
  ));
  assert(report.includes("| rouge_l | text |"));
  for (const result of run.results) {
    assertEquals(Object.keys(result.scores), ["f1", "rouge_l", "bleu", "lexical_groundedness"]);
  }
  await Deno.remove(root, { recursive: true });
});
