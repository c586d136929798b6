/**
 * The runner with fakes that fail some calls: rows, retries and failures are counted exactly
 * (the fakes retry as the model client does; the runner only counts); concurrency is bounded;
 * cancellation and resume leave no row behind or run twice; the evaluators see the customer's
 * orders, the latency and the usage.
 *
 * @module
 */
import { deepEqual as assertEquals, equal, ok as assert } from "node:assert/strict";
import { ordersText, runEvaluation } from "./runner.ts";
import { createMemoryCustomerStore } from "../customers/memory_customer_store.ts";
import type { Customer } from "../customers/types.ts";
import type { EvalProgress } from "./runner.ts";
import { textEvaluators } from "./text_evaluators.ts";
import { createJudge } from "./judges.ts";
import { loadPrompty } from "../prompty/mod.ts";
import type { EvalInput, Evaluator, RowResult } from "./types.ts";
import { createFakePipeline } from "../chat/fake_pipeline.ts";
import { badRequest, createFakeModel, makeRows, rateLimited, serverError } from "./_fakes.ts";

Deno.test("runEvaluation() counts the client's retries, records failures and goes on", async () => {
  const pipeline = createFakePipeline({
    failures: {
      q2: { errors: [rateLimited(2)] }, // 429 then success
      q4: { errors: [serverError(500)], always: true }, // permanent 500
      q5: { errors: [badRequest()] }, // not retryable
    },
  });
  const { callsFor } = pipeline;
  const progress: EvalProgress[] = [];
  const written: RowResult[] = [];
  const run = await runEvaluation(makeRows(6), {
    pipeline,
    evaluators: textEvaluators(),
    concurrency: 2,
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

Deno.test("runEvaluation() never repeats a pipeline call: one call per row", async () => {
  // 4 sends for q1 inside one call (the client's budget), then the row fails: not re-run
  const pipeline = createFakePipeline({
    failures: { q1: { errors: [serverError(503)], always: true } },
  });
  const { stats, callsFor } = pipeline;
  const run = await runEvaluation(makeRows(2), { pipeline, evaluators: [] });
  equal(stats.calls, 2);
  equal(callsFor("q1"), 4);
  equal(run.results.find((r) => r.question === "q1")?.status, "failed");
});

Deno.test("runEvaluation() keeps at most `concurrency` rows in flight", async () => {
  const pipeline = createFakePipeline({ latencyMs: 5 });
  const { stats } = pipeline;
  const run = await runEvaluation(makeRows(20), { pipeline, evaluators: [], concurrency: 3 });
  equal(run.results.length, 20);
  equal(stats.maxInFlight, 3);
  const defaults = createFakePipeline({ latencyMs: 5 });
  await runEvaluation(makeRows(10), { pipeline: defaults, evaluators: [] });
  equal(defaults.stats.maxInFlight, 4); // the default
});

Deno.test("runEvaluation() judges: retries counted, unparseable kept raw, errors do not fail the row", async () => {
  const groundedness = await loadPrompty("prompts/evaluators/groundedness.prompty");
  const fluency = await loadPrompty("prompts/evaluators/fluency.prompty");
  const relevance = await loadPrompty("prompts/evaluators/relevance.prompty");
  // 429 on the first send, then "Score: 4"
  const flaky = createFakeModel({ reply: "Score: 4", errors: [rateLimited(1)], maxRetries: 2 });
  const chatty = createFakeModel({ reply: "It reads well overall." });
  const down = createFakeModel({ errors: Array(10).fill(serverError(503)), maxRetries: 2 });
  // A judge written by a learner: it passes the runner's onRetry to its model
  const direct = (name: string, prompt: Awaited<ReturnType<typeof loadPrompty>>, model = flaky) =>
    ({
      ...createJudge(prompt, model, name),
      evaluate: async (_input, options) => {
        const reply = await model.complete([{ role: "user", content: "Rate it" }], {
          signal: options?.signal,
          onRetry: options?.onRetry,
        });
        return { value: Number(reply.content.replace(/\D+/g, "")), raw: reply.content };
      },
    }) satisfies Evaluator;
  const evaluators: Evaluator[] = [
    direct("groundedness", groundedness),
    createJudge(fluency, chatty),
    direct("relevance", relevance, down),
  ];
  const pipeline = createFakePipeline();
  const run = await runEvaluation(makeRows(1), { pipeline, evaluators });
  const [row] = run.results;
  equal(row.status, "ok");
  assertEquals(row.scores.groundedness, { value: 4, raw: "Score: 4" });
  assertEquals(row.scores.fluency, {
    value: null,
    reason: "unparseable reply: no score found",
    raw: "It reads well overall.",
  });
  assertEquals(row.scores.relevance, { value: null, reason: "error: Upstream returned 503" });
  equal(row.retries, 3); // one for groundedness, two for relevance: the client's, counted once
  equal(run.retries, 3);
  equal(flaky.calls, 2);
  equal(down.calls, 3); // 1 + maxRetries sends, not multiplied by a runner retry
});

Deno.test("runEvaluation() stops on abort without recording rows in flight", async () => {
  const controller = new AbortController();
  const pipeline = createFakePipeline({ latencyMs: 20 });
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
    pipeline: first,
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
    pipeline: second,
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

Deno.test("runEvaluation() gives evaluators the customer's orders, the latency and the usage", async () => {
  const customer: Customer = {
    id: "3",
    firstName: "Noor",
    lastName: "Haddad",
    age: 33,
    email: "noor@example.org",
    phone: "555-0303",
    address: "1 Elm Row",
    membership: "Gold",
    orders: [
      {
        id: 71,
        productId: 12,
        quantity: 2,
        total: 179.9,
        date: "2024-03-09",
        name: "Alpine Explorer Tent",
        unitprice: 89.95,
        category: "Tents",
        brand: "AlpineGear",
        description: "A 3-person tent.",
      },
      {
        id: 72,
        productId: "kx-9",
        quantity: 1,
        total: 45,
        date: "2024-04-30",
        name: "TrekReady Hiking Boots",
        unitprice: 45,
        category: "Footwear",
        brand: "TrekReady",
        description: "Boots.",
      },
    ],
  };
  const store = createMemoryCustomerStore([customer]);
  let lookups = 0;
  const customers = { get: (id: string) => (lookups++, store.get(id)) };
  const seen: EvalInput[] = [];
  const spy: Evaluator = {
    name: "spy",
    kind: "text",
    description: "records its input",
    range: [0, 1],
    evaluate(input) {
      seen.push(input);
      return Promise.resolve({ value: 1 });
    },
  };
  const rows = makeRows(3).map((r, i) => ({ ...r, customerId: i < 2 ? "3" : "404" }));
  const pipeline = createFakePipeline({ latencyMs: 5 });
  const run = await runEvaluation(rows, { pipeline, customers, evaluators: [spy], concurrency: 1 });

  const orders = [
    "Orders of the customer:",
    "- Alpine Explorer Tent (product 12, quantity 2, ordered 2024-03-09, total 179.9)",
    "- TrekReady Hiking Boots (product kx-9, quantity 1, ordered 2024-04-30, total 45)",
  ].join("\n");
  const [first, , unknown] = seen.sort((a, b) => a.row.index - b.row.index);
  equal(first.orders, orders);
  equal(
    first.contextText,
    `[1] Summit Dome 2 Tent\nAnswer q1\n\n${orders}`,
    "after the documentation",
  );
  equal(unknown.orders, undefined, "an unknown customer: no orders block");
  equal(unknown.contextText, "[1] Summit Dome 2 Tent\nAnswer q3");
  equal(lookups, 2, "one lookup per customer, not per row");
  assert(first.latencyMs !== undefined && first.latencyMs >= 4, `${first.latencyMs}`);
  assertEquals(first.usage, { promptTokens: 100, completionTokens: 10 });
  for (const r of run.results) {
    assert(typeof r.latencyMs === "number");
    assertEquals(r.usage, { promptTokens: 100, completionTokens: 10 });
  }
  equal(ordersText([]), "Orders of the customer: none");
});
