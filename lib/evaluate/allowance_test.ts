import assert from "node:assert/strict";
import { join } from "node:path";
import {
  AllowanceExhaustedError,
  createRateLimitTracker,
  type RateAllowance,
  type RateLimitTracker,
} from "../models/rate_limits.ts";
import { UpstreamError } from "../errors.ts";
import {
  allowanceExhaustedIn,
  allowanceLines,
  allowanceRows,
  planAllowance,
  rowCalls,
  spreadRows,
} from "./allowance.ts";
import { forRows } from "./decline.ts";
import { createFakePipeline } from "../chat/fake_pipeline.ts";
import { makeRows } from "./_fakes.ts";
import { evaluateToRunDir } from "./run.ts";
import { readManifest } from "./run_dir.ts";
import type { Evaluator } from "./types.ts";

function judge(name: string): Evaluator {
  return {
    name,
    kind: "judge",
    description: name,
    range: [1, 5],
    evaluate: () => Promise.resolve({ value: 4 }),
  };
}

const textMetric: Evaluator = {
  name: "length",
  kind: "text",
  description: "length",
  range: [0, 1],
  evaluate: () => Promise.resolve({ value: 1 }),
};

/** A tracker that reports a fixed allowance. */
function fixed(allowance: Partial<RateAllowance>): RateLimitTracker {
  return {
    current: () => ({ exhausted: false, source: "headers", ...allowance }),
    observe() {},
    waitMs: () => 0,
  };
}

Deno.test("spreadRows() takes evenly spaced rows, not the first ones", async (t) => {
  const ten = Array.from({ length: 10 }, (_, i) => i);
  await t.step("the middle of each slice", () => {
    assert.deepEqual(spreadRows(ten, 2), [2, 7]);
    assert.deepEqual(spreadRows(ten, 5), [1, 3, 5, 7, 9]);
  });
  await t.step("no duplicates and set order for every n", () => {
    for (let n = 0; n <= 10; n++) {
      const picked = spreadRows(ten, n);
      assert.equal(new Set(picked).size, n);
      assert.deepEqual(picked, [...picked].sort((a, b) => a - b));
    }
  });
  await t.step("more than the set is the whole set; zero or less is none", () => {
    assert.deepEqual(spreadRows(ten, 25), ten);
    assert.deepEqual(spreadRows(ten, 0), []);
    assert.deepEqual(spreadRows(ten, -3), []);
  });
  await t.step("every part of a set grouped by intent is represented", () => {
    const rows = [
      ...Array(12).fill("advice"),
      ...Array(4).fill("orders"),
      ...Array(12).fill("support"),
    ];
    assert.deepEqual(new Set(spreadRows(rows, 7)), new Set(["advice", "orders", "support"]));
  });
});

Deno.test("rowCalls() counts the pipeline's calls and the judges that apply", () => {
  const rows = makeRows(2);
  const onlyFirst = forRows(judge("scoped"), (r) => r.id === rows[0].id, "first row only");
  const evaluators = [judge("a"), judge("b"), onlyFirst, textMetric];
  assert.deepEqual(rowCalls(rows[0], evaluators), { chat: 2, embedding: 1, evaluation: 3 });
  assert.deepEqual(rowCalls(rows[1], evaluators), { chat: 2, embedding: 1, evaluation: 2 });
  assert.deepEqual(rowCalls(rows[1], [textMetric]), { chat: 2, embedding: 1, evaluation: 0 });
});

Deno.test("planAllowance() fits the set into what each tracker allows", async (t) => {
  const rows = makeRows(30);
  const judges = [judge("groundedness"), judge("relevance"), judge("fluency")];

  await t.step("without rate limits every row", () => {
    const plan = planAllowance(rows, { evaluators: judges });
    assert.equal(plan.rows.length, 30);
    assert.equal(plan.limited, false);
    assert.deepEqual(plan.budgets, []);
    assert.equal(plan.reason, "All 30 rows");
  });

  await t.step("a judge that is the chat model shares its allowance", () => {
    // Chat + judge: 2 + 3 = 5 requests a row; 150 left -> 30 rows fit exactly.
    const shared = fixed({ remainingRequests: 150, limitRequests: 150 });
    const plan = planAllowance(rows, {
      rateLimits: {
        chat: shared,
        embedding: fixed({ remainingRequests: 150 }),
        evaluation: shared,
      },
      evaluators: judges,
      modelNames: { chat: "openai/gpt-4.1-mini", evaluation: "openai/gpt-4.1-mini" },
    });
    assert.equal(plan.rows.length, 30);
    assert.equal(plan.budgets.length, 2);
    assert.deepEqual(plan.budgets[0].roles, ["chat", "evaluation"]);
    assert.deepEqual(plan.budgets[0].models, ["openai/gpt-4.1-mini"]);
    assert.equal(plan.budgets[0].neededAll, 150);
    assert.equal(plan.budgets[1].neededAll, 30);
  });

  await t.step("the tightest tracker decides, and the rows are spread", () => {
    const plan = planAllowance(rows, {
      rateLimits: {
        chat: fixed({ remainingRequests: 100 }),
        embedding: fixed({ remainingRequests: 1000 }),
        evaluation: fixed({ remainingRequests: 25 }), // 3 judges a row -> 8 rows
      },
      evaluators: judges,
    });
    assert.equal(plan.rows.length, 8);
    assert.equal(plan.limited, true);
    assert.deepEqual(plan.rows, spreadRows(rows, 8));
    assert.notDeepEqual(plan.rows, rows.slice(0, 8));
    assert.equal(plan.budgets.find((b) => b.roles.includes("evaluation"))?.needed, 24);
    assert.match(plan.reason, /^8 of 30 rows, spread over the set, fit the allowance/);
    assert.match(plan.reason, /judge needs 90 requests for all 30 rows, 25 left/);
    assert.match(plan.reason, /--all/);
  });

  await t.step("the same allowance gives the same rows", () => {
    const options = {
      rateLimits: { chat: fixed({ remainingRequests: 37 }), embedding: fixed({}) },
      evaluators: judges,
    };
    assert.deepEqual(planAllowance(rows, options).rows, planAllowance(rows, options).rows);
    assert.equal(planAllowance(rows, options).rows.length, 18); // 2 chat calls a row
  });

  await t.step("a tracker that reports nothing does not limit", () => {
    const plan = planAllowance(rows, {
      rateLimits: { chat: fixed({}), embedding: fixed({}) },
      evaluators: judges,
    });
    assert.equal(plan.rows.length, 30);
    assert.equal(plan.reason, "All 30 rows fit the allowance");
  });

  await t.step("an exhausted allowance fits no row", () => {
    const resetAt = new Date("2026-12-02T00:00:00Z");
    const plan = planAllowance(rows, {
      rateLimits: {
        chat: fixed({ remainingRequests: 40, exhausted: true, resetAt }),
        embedding: fixed({}),
      },
      evaluators: judges,
    });
    assert.equal(plan.rows.length, 0);
    assert.match(plan.reason, /^No row fits the allowance: chat needs 60 requests/);
    const [line] = allowanceLines(plan, Date.parse("2026-12-01T22:00:00Z"));
    assert.match(line, /exhausted, back 2026-12-02T00:00:00.000Z \(in 2 h 0 min\)/);
  });

  await t.step("--all takes every row and says it does not fit", () => {
    const plan = planAllowance(rows, {
      rateLimits: { chat: fixed({ remainingRequests: 10 }), embedding: fixed({}) },
      evaluators: judges,
      all: true,
    });
    assert.equal(plan.rows.length, 30);
    assert.equal(plan.overBudget, true);
    assert.match(plan.reason, /^All 30 rows \(--all\), more than the allowance covers/);
    assert.match(plan.reason, /--resume/);
  });

  await t.step("two runs of the same rows (a comparison) cost twice", () => {
    const shared = fixed({ remainingRequests: 100 });
    const options = {
      rateLimits: { chat: shared, embedding: fixed({}), evaluation: shared },
      evaluators: judges,
    };
    assert.equal(planAllowance(rows, options).rows.length, 20); // 5 requests a row
    const twice = planAllowance(rows, { ...options, runs: 2 });
    assert.equal(twice.rows.length, 10);
    assert.equal(twice.budgets[0].needed, 100);
    assert.equal(twice.budgets[0].neededAll, 300);
  });

  await t.step("--rows N caps the subset, spread the same way", () => {
    const plan = planAllowance(rows, { evaluators: judges, maxRows: 6 });
    assert.deepEqual(plan.rows, spreadRows(rows, 6));
    assert.equal(plan.reason, "6 of 30 rows, spread over the set (--rows 6)");
  });

  await t.step("the documented tier limits count before any call", () => {
    const tracker = createRateLimitTracker({ documented: { requestsPerDay: 50 } });
    const plan = planAllowance(rows, {
      rateLimits: { chat: tracker, embedding: fixed({}), evaluation: tracker },
      evaluators: judges,
    });
    assert.equal(plan.rows.length, 10); // 5 requests a row
    const [table] = allowanceRows(plan);
    assert.equal(table.source, "documented tier limit");
    assert.equal(table["requests left"], 50);
    assert.equal(table["this run needs"], 50);
    assert.match(allowanceLines(plan)[0], /50 of 50 requests left \(documented tier limit/);
  });
});

Deno.test("allowanceExhaustedIn() finds the error through causes", () => {
  const exhausted = new AllowanceExhaustedError("Daily allowance used up", {
    resetAt: new Date(0),
  });
  assert.equal(allowanceExhaustedIn(exhausted), exhausted);
  const wrapped = new UpstreamError("Chat model failed", {
    service: "chat-model",
    status: 429,
    isRetryable: false,
    cause: new Error("client", { cause: exhausted }),
  });
  assert.equal(allowanceExhaustedIn(wrapped), exhausted);
  assert.equal(allowanceExhaustedIn(new Error("other")), undefined);
  assert.equal(allowanceExhaustedIn("text"), undefined);
});

Deno.test("evaluateToRunDir() stops on an exhausted allowance and resumes the same subset", async () => {
  const root = await Deno.makeTempDir();
  try {
    const all = makeRows(12);
    const subset = spreadRows(all, 6);
    const exhausted = new AllowanceExhaustedError("Daily allowance used up", {
      resetAt: new Date("2026-12-02T00:00:00Z"),
    });
    // The fourth question of the subset finds the allowance gone, and so does every later one.
    const gone = new Set(subset.slice(3).map((r) => r.question));
    let open = false;
    const fake = createFakePipeline();
    const pipeline = {
      getResponse(request: Parameters<typeof fake.getResponse>[0]) {
        if (!open && gone.has(request.question)) return Promise.reject(exhausted);
        return fake.getResponse(request);
      },
    };
    const stopOn = (e: unknown) => allowanceExhaustedIn(e) !== undefined;
    const judged: string[] = [];
    const evaluators: Evaluator[] = [{
      ...judge("groundedness"),
      evaluate(input) {
        judged.push(input.row.id);
        return Promise.resolve({ value: 4 });
      },
    }];
    const ids = (rows: readonly { id: string }[]) => rows.map((r) => r.id);
    const first = await evaluateToRunDir({
      rows: subset,
      dataset: "fake.jsonl",
      pipeline,
      evaluators,
      runsDir: root,
      concurrency: 1,
      stopOn,
      subset: { ids: ids(subset), of: all.length, reason: "6 of 12 rows" },
    });
    assert.equal(first.interrupted, true);
    assert.equal(first.stoppedBy, exhausted);
    // Only the rows answered before the stop are recorded: none is recorded as failed.
    assert.deepEqual(ids(first.results), ids(subset.slice(0, 3)));
    assert.equal(first.summary.rows.failed, 0);
    const manifest = await readManifest(first.dir);
    assert.deepEqual(manifest.subset?.ids, ids(subset));
    assert.equal(manifest.subset?.of, 12);
    assert.deepEqual(first.summary.subset, { of: 12, reason: "6 of 12 rows" });
    assert.match(
      await Deno.readTextFile(join(first.dir, "report.md")),
      /\| subset +\| 6 of 12 rows +\|/,
    );

    open = true; // the allowance came back
    const second = await evaluateToRunDir({
      rows: all.filter((r) => manifest.subset!.ids.includes(r.id)),
      dataset: "fake.jsonl",
      pipeline,
      evaluators,
      resumeDir: first.dir,
      concurrency: 1,
      stopOn,
    });
    assert.equal(second.interrupted, false);
    assert.equal(second.stoppedBy, undefined);
    assert.deepEqual(ids(second.results), ids(subset));
    assert.equal(second.summary.rows.ok, 6);
    assert.deepEqual(second.summary.subset, { of: 12, reason: "6 of 12 rows" }); // from run.json
    assert.deepEqual(judged, ids(subset)); // each row judged once
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("evaluateToRunDir() stops when a judge finds the allowance exhausted", async () => {
  const root = await Deno.makeTempDir();
  try {
    const rows = makeRows(4);
    const exhausted = new AllowanceExhaustedError("Daily allowance used up");
    let judgeCalls = 0;
    const evaluators: Evaluator[] = [{
      ...judge("relevance"),
      evaluate() {
        judgeCalls++;
        return judgeCalls >= 2 ? Promise.reject(exhausted) : Promise.resolve({ value: 5 });
      },
    }];
    const run = await evaluateToRunDir({
      rows,
      dataset: "fake.jsonl",
      pipeline: createFakePipeline(),
      evaluators,
      runsDir: root,
      concurrency: 1,
      stopOn: (e) => allowanceExhaustedIn(e) !== undefined,
    });
    assert.equal(run.stoppedBy, exhausted);
    // The judged row is kept; the row whose judge hit the limit is not recorded with a hole.
    assert.deepEqual(run.results.map((r) => r.id), [rows[0].id]);
    assert.equal(run.results[0].scores.relevance.value, 5);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
