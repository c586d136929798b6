/**
 * The runner with fakes that fail some calls: rows, retries and failures are counted exactly;
 * concurrency is bounded; cancellation and resume leave no row behind or run twice.
 *
 * @module
 */
import { deepEqual as assertEquals, equal, ok as assert } from "node:assert/strict";
import { runEvaluation } from "../lib/evaluate/runner.ts";
import type { EvalProgress } from "../lib/evaluate/runner.ts";
import { textEvaluators } from "../lib/evaluate/text_evaluators.ts";
import { createJudge } from "../lib/evaluate/judges.ts";
import { loadPrompty } from "../lib/prompty/mod.ts";
import type { Evaluator, RowResult } from "../lib/evaluate/types.ts";
import {
  badRequest,
  createFakeModel,
  createFakePipeline,
  makeRows,
  rateLimited,
  serverError,
} from "./eval_fakes.ts";

/** A sleep that records the delay and returns at once. */
function recordingSleep() {
  const delays: number[] = [];
  return { delays, sleep: (ms: number) => (delays.push(ms), Promise.resolve()) };
}

Deno.test("runEvaluation() retries rate limits, records failures and goes on", async () => {
  const { pipeline, callsFor } = createFakePipeline({
    failures: {
      q2: { errors: [rateLimited(2)] }, // 429 then success
      q4: { errors: [serverError(500)], always: true }, // permanent 500
      q5: { errors: [badRequest()] }, // not retryable
    },
  });
  const { delays, sleep } = recordingSleep();
  const progress: EvalProgress[] = [];
  const written: RowResult[] = [];
  const run = await runEvaluation(makeRows(6), {
    pipeline,
    evaluators: textEvaluators(),
    concurrency: 2,
    retry: { maxRetries: 3, sleep },
    onResult: (r) => {
      written.push(r);
    },
    onProgress: (p) => progress.push(p),
  });

  equal(run.results.length, 6);
  equal(run.results.filter((r) => r.status === "ok").length, 4);
  equal(run.results.filter((r) => r.status === "failed").length, 2);
  equal(run.retries, 4); // q2 once, q4 three times
  equal(run.interrupted, false);
  const byId = Object.fromEntries(run.results.map((r) => [r.question, r]));
  equal(byId.q2.retries, 1);
  equal(byId.q2.status, "ok");
  equal(byId.q4.retries, 3);
  assertEquals(byId.q4.error, {
    name: "UpstreamError",
    message: "Upstream returned 500",
    status: 500,
    service: "chat-model",
  });
  equal(byId.q5.retries, 0);
  equal(byId.q5.error?.status, 400);
  equal(callsFor("q2"), 2);
  equal(callsFor("q4"), 4);
  equal(callsFor("q5"), 1);
  equal(delays.filter((d) => d === 2000).length, 1); // Retry-After: 2 honoured exactly
  equal(delays.length, 4);
  equal(written.length, 6);
  equal(progress.length, 7); // once at the start, then once per row
  assertEquals(progress.at(-1), {
    ...progress.at(-1)!,
    total: 6,
    done: 6,
    ok: 4,
    failed: 2,
    retries: 4,
  });
  // text metrics are scored on the rows that answered
  equal(byId.q1.scores.f1.value, 1);
  assertEquals(byId.q4.scores, {});
});

Deno.test("runEvaluation() caps a long Retry-After at maxDelayMs", async () => {
  const { pipeline } = createFakePipeline({ failures: { q1: { errors: [rateLimited(600)] } } });
  const { delays, sleep } = recordingSleep();
  const run = await runEvaluation(makeRows(1), {
    pipeline,
    evaluators: [],
    retry: { sleep, maxDelayMs: 30_000 },
  });
  assertEquals(delays, [30_000]);
  equal(run.results[0].status, "ok");
});

Deno.test("runEvaluation() keeps at most `concurrency` rows in flight", async () => {
  const { pipeline, stats } = createFakePipeline({ latencyMs: 5 });
  const run = await runEvaluation(makeRows(20), { pipeline, evaluators: [], concurrency: 3 });
  equal(run.results.length, 20);
  equal(stats.maxInFlight, 3);
  const defaults = createFakePipeline({ latencyMs: 5 });
  await runEvaluation(makeRows(10), { pipeline: defaults.pipeline, evaluators: [] });
  equal(defaults.stats.maxInFlight, 4); // the default
});

Deno.test("runEvaluation() judges: retried, unparseable kept raw, errors do not fail the row", async () => {
  const groundedness = await loadPrompty("prompts/evaluators/groundedness.prompty");
  const fluency = await loadPrompty("prompts/evaluators/fluency.prompty");
  const relevance = await loadPrompty("prompts/evaluators/relevance.prompty");
  // 429 on the first call, then "Score: 4"
  const flaky = createFakeModel({ reply: "Score: 4", errors: [rateLimited(1)] });
  const chatty = createFakeModel({ reply: "It reads well overall." });
  const down = createFakeModel({ errors: Array(10).fill(serverError(503)) });
  const evaluators: Evaluator[] = [
    createJudge(groundedness, flaky),
    createJudge(fluency, chatty),
    createJudge(relevance, down),
  ];
  const { pipeline } = createFakePipeline();
  const { sleep } = recordingSleep();
  const run = await runEvaluation(makeRows(1), {
    pipeline,
    evaluators,
    retry: { maxRetries: 2, sleep },
  });
  const [row] = run.results;
  equal(row.status, "ok");
  assertEquals(row.scores.groundedness, { value: 4, raw: "Score: 4" });
  assertEquals(row.scores.fluency, {
    value: null,
    reason: "unparseable reply: no score found",
    raw: "It reads well overall.",
  });
  assertEquals(row.scores.relevance, { value: null, reason: "error: Upstream returned 503" });
  equal(row.retries, 3); // one for groundedness, two for relevance
  equal(run.retries, 3);
  equal(flaky.calls, 2);
  equal(down.calls, 3);
});

Deno.test("runEvaluation() stops on abort without recording rows in flight", async () => {
  const controller = new AbortController();
  const { pipeline } = createFakePipeline({ latencyMs: 20 });
  const run = await runEvaluation(makeRows(10), {
    pipeline,
    evaluators: [],
    concurrency: 2,
    signal: controller.signal,
    onResult: (r) => {
      if (r.question === "q2") controller.abort();
    },
  });
  equal(run.interrupted, true);
  assert(run.results.length >= 2 && run.results.length < 10, `${run.results.length} results`);
  assert(run.results.every((r) => r.status === "ok"), "cancelled rows are not failures");
});

Deno.test("runEvaluation() resumes: skips rows done, re-runs failed and changed rows", async () => {
  const rows = makeRows(5);
  const first = createFakePipeline({ failures: { q3: { errors: [badRequest()] } } });
  const before = await runEvaluation(rows.slice(0, 4), {
    pipeline: first.pipeline,
    evaluators: [],
  });
  equal(before.results.filter((r) => r.status === "failed").length, 1);
  // q4's content changed since: its fingerprint no longer matches
  const changed = before.results.map((r) =>
    r.question === "q4" ? { ...r, fingerprint: "stale" } : r
  );

  const second = createFakePipeline();
  const progress: EvalProgress[] = [];
  const after = await runEvaluation(rows, {
    pipeline: second.pipeline,
    evaluators: [],
    completed: changed,
    onProgress: (p) => progress.push(p),
  });
  assertEquals(after.results.map((r) => r.question).sort(), ["q3", "q4", "q5"]);
  equal(second.stats.calls, 3);
  equal(progress[0].resumed, 2);
  equal(progress[0].done, 2);
  equal(progress.at(-1)!.done, 5);
  equal(progress.at(-1)!.ok, 5);
});
