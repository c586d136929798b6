import assert from "node:assert/strict";
import { parseProjectEndpoint } from "../azure/foundry/project.ts";
import { UpstreamError, ValidationError } from "../errors.ts";
import {
  logRunToProject,
  projectCriteria,
  projectEvalRequest,
  projectFromEnvironment,
  projectLogLines,
  projectRunRequest,
  rowVerdict,
} from "./project_log.ts";
import type { MetricSummary, RowResult, RunSummary } from "./types.ts";
import type { EvalCreateParams } from "openai/resources/evals/evals.mjs";
import type { RunCreateParams } from "openai/resources/evals/runs/runs.mjs";

const metric = (name: string, kind: MetricSummary["kind"], mean: number | null): MetricSummary => ({
  name,
  kind,
  range: kind === "judge" ? [1, 5] : [0, 1],
  mean,
  count: 2,
  missing: 0,
  min: null,
  max: null,
});

const SUMMARY: RunSummary = {
  name: "smoke-set-chat",
  startedAt: "2026-11-30T09:00:00.000Z",
  finishedAt: "2026-11-30T09:02:10.000Z",
  complete: true,
  dataset: "data/eval/smoke-set.jsonl",
  judgeModel: "gpt-4.1",
  concurrency: 4,
  rows: { total: 3, ok: 2, failed: 1, pending: 0 },
  retries: 0,
  fingerprintId: "f00dcafe",
  metrics: [
    metric("relevance", "judge", 3.5),
    metric("f1", "text", 0.42),
    metric("lexical-groundedness", "text", null),
  ],
  skipped: [],
  wallMs: 130_000,
};

const RESULTS: RowResult[] = [
  {
    id: "q-17",
    index: 0,
    fingerprint: "a1",
    status: "ok",
    customerId: "c-3",
    question: "Does the trail tent fit two people?",
    truth: "Yes, it sleeps two.",
    answer: "Hi Ana! Yes, the TrailMaster sleeps two [1].",
    context: [{
      id: "p-1",
      kind: "product",
      productId: "1",
      title: "TrailMaster",
      url: "",
      content: "…",
    }],
    scores: {
      relevance: { value: 5 },
      f1: { value: 0.5 },
      "lexical-groundedness": { value: null, reason: "no context", applicable: false },
    },
    retries: 0,
    durationMs: 900,
    latencyMs: 812,
  },
  {
    id: "q-18",
    index: 1,
    fingerprint: "a2",
    status: "ok",
    customerId: "c-9",
    question: "What did I order last spring?",
    answer: "You ordered hiking boots.",
    scores: {
      relevance: { value: 2 },
      f1: { value: null, reason: "no reference answer", applicable: false },
      "lexical-groundedness": { value: null, reason: "judge error" },
    },
    retries: 1,
    durationMs: 1500,
  },
  {
    id: "q-19",
    index: 2,
    fingerprint: "a3",
    status: "failed",
    customerId: "c-404",
    question: "Hello?",
    scores: {},
    retries: 0,
    durationMs: 20,
    error: { name: "NotFoundError", message: 'Cannot find customer "c-404"' },
  },
];

Deno.test("projectCriteria() gives each --min metric its threshold and each judge the default mark", () => {
  assert.deepEqual(projectCriteria(SUMMARY.metrics, [{ metric: "f1", min: 0.3 }]), [
    { metric: "relevance", min: 3, source: "judge default" },
    { metric: "f1", min: 0.3, source: "--min" },
  ]);
  assert.deepEqual(projectCriteria(SUMMARY.metrics, [{ metric: "relevance", min: 4 }]), [
    { metric: "relevance", min: 4, source: "--min" },
  ]);
});

Deno.test("rowVerdict() tells pass, fail, not applicable and missing apart", () => {
  const f1 = { metric: "f1", min: 0.3, source: "--min" as const };
  const lexical = { metric: "lexical-groundedness", min: 0.5, source: "--min" as const };
  assert.equal(rowVerdict(RESULTS[0], f1), "pass");
  assert.equal(rowVerdict(RESULTS[1], f1), "n/a");
  assert.equal(rowVerdict(RESULTS[1], lexical), "missing");
  assert.equal(rowVerdict(RESULTS[2], f1), "missing");
  assert.equal(
    rowVerdict(RESULTS[1], { metric: "relevance", min: 3, source: "judge default" }),
    "fail",
  );
});

Deno.test("projectEvalRequest() and projectRunRequest() carry our scores and verdict checks", async (t) => {
  const criteria = projectCriteria(SUMMARY.metrics, [{ metric: "lexical-groundedness", min: 0.5 }]);
  const evalBody = projectEvalRequest(SUMMARY, criteria);
  const runBody = projectRunRequest(SUMMARY, RESULTS, criteria, { runDir: ".runs/eval/x" });
  await t.step("the schema names every score and verdict field as a template can read it", () => {
    const props = evalBody.data_source_config.item_schema.properties;
    for (const name of ["score_relevance", "score_f1", "score_lexical_groundedness"]) {
      assert.ok(name in props, name);
    }
    assert.ok("verdict_lexical_groundedness" in props);
    assert.equal(evalBody.data_source_config.type, "custom");
  });
  await t.step("every criterion is a deterministic string check (no model grades anything)", () => {
    assert.deepEqual(evalBody.testing_criteria.map((c) => [c.type, c.name, c.input]), [
      ["string_check", "answered", "{{item.status}}"],
      ["string_check", "relevance >= 3", "{{item.verdict_relevance}}"],
      ["string_check", "lexical-groundedness >= 0.5", "{{item.verdict_lexical_groundedness}}"],
    ]);
    // Each template names a field of the schema.
    const props = evalBody.data_source_config.item_schema.properties;
    for (const c of evalBody.testing_criteria) {
      assert.ok(c.input.slice("{{item.".length, -2) in props, c.input);
    }
  });
  await t.step("each row is an item with our scores; null where none", () => {
    const items = runBody.data_source.source.content.map((c) => c.item);
    assert.equal(items.length, 3);
    assert.equal(items[0].score_relevance, 5);
    assert.equal(items[0].context_ids, "p-1");
    assert.equal(items[1].score_f1, null);
    assert.equal(items[1].verdict_relevance, "fail");
    assert.equal(items[2].status, "failed");
    assert.equal(items[2].error, 'Cannot find customer "c-404"');
    assert.equal(items[2].verdict_lexical_groundedness, "missing");
  });
  await t.step("metadata fits the API's limits (16 keys, 512-character values)", () => {
    const entries = Object.entries(runBody.metadata);
    assert.ok(entries.length <= 16);
    for (const [k, v] of entries) assert.ok(k.length <= 64 && v.length <= 512, k);
    assert.equal(runBody.metadata.means, "relevance=3.5 f1=0.42");
    assert.equal(runBody.metadata.fingerprint, "f00dcafe");
  });
  await t.step("the eval key changes with the criteria, not with the run", () => {
    const again = projectEvalRequest({ ...SUMMARY, metrics: SUMMARY.metrics }, criteria);
    assert.equal(again.metadata.contoso_eval_key, evalBody.metadata.contoso_eval_key);
    const other = projectEvalRequest(SUMMARY, projectCriteria(SUMMARY.metrics));
    assert.notEqual(other.metadata.contoso_eval_key, evalBody.metadata.contoso_eval_key);
  });
});

interface Seen {
  method: string;
  path: string;
  auth: string | null;
  body?: unknown;
}

/** A loopback stand-in of the project's OpenAI-compatible Evals API. */
function fakeProject(options: { existing?: Record<string, string>; fail?: number } = {}) {
  const seen: Seen[] = [];
  let polls = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const url = new URL(req.url);
    const body = req.method === "POST" ? await req.json() : undefined;
    seen.push({
      method: req.method,
      path: url.pathname + url.search,
      auth: req.headers.get("authorization"),
      body,
    });
    const json = (value: unknown, status = 200) => Response.json(value, { status });
    if (options.fail) {
      return json({ error: { message: "Principal lacks data action" } }, options.fail);
    }
    const prefix = "/api/projects/workshop/openai/v1";
    if (req.method === "GET" && url.pathname === `${prefix}/evals`) {
      return json({
        data: options.existing
          ? [{ id: "eval_old", name: "earlier", metadata: options.existing }]
          : [{ id: "eval_other", metadata: { contoso_eval_key: "something-else" } }],
      });
    }
    if (req.method === "POST" && url.pathname === `${prefix}/evals`) {
      return json({ id: "eval_new", name: (body as { name: string }).name });
    }
    const run = url.pathname.match(/\/evals\/([^/]+)\/runs(?:\/([^/]+))?$/);
    if (run && req.method === "POST") return json({ id: "evalrun_1", status: "queued" });
    if (run && req.method === "GET") {
      polls++;
      return json(
        polls < 2 ? { id: run[2], status: "in_progress" } : {
          id: run[2],
          status: "completed",
          report_url: "https://ai.azure.com/report/evalrun_1",
          result_counts: { total: 3, passed: 1, failed: 2, errored: 0 },
        },
      );
    }
    return json({ error: { message: "no route" } }, 404);
  });
  const port = (server.addr as Deno.NetAddr).port;
  return {
    seen,
    project: parseProjectEndpoint(`http://127.0.0.1:${port}/api/projects/workshop`),
    close: () => server.shutdown(),
  };
}

function fakeCredential() {
  const scopes: (string | string[])[] = [];
  return {
    scopes,
    getToken(scope: string | string[]) {
      scopes.push(scope);
      return Promise.resolve({
        token: "fake-token-42",
        expiresOnTimestamp: Date.now() + 3_600_000,
      });
    },
  };
}

Deno.test("logRunToProject() creates the eval and the run in the project over HTTP", async (t) => {
  const fake = fakeProject();
  const credential = fakeCredential();
  try {
    const record = await logRunToProject({ summary: SUMMARY, results: RESULTS }, {
      project: fake.project,
      credential,
      thresholds: [{ metric: "f1", min: 0.3 }],
      runDir: ".runs/eval/20261130T090000Z-smoke",
      pollMs: 5,
    });
    await t.step("list, create eval, create run, then poll until completed", () => {
      assert.deepEqual(fake.seen.map((s) => `${s.method} ${s.path}`), [
        "GET /api/projects/workshop/openai/v1/evals?limit=100&order=desc",
        "POST /api/projects/workshop/openai/v1/evals",
        "POST /api/projects/workshop/openai/v1/evals/eval_new/runs",
        "GET /api/projects/workshop/openai/v1/evals/eval_new/runs/evalrun_1",
        "GET /api/projects/workshop/openai/v1/evals/eval_new/runs/evalrun_1",
      ]);
    });
    await t.step("every request is signed with a token for the Foundry scope", () => {
      assert.ok(fake.seen.every((s) => s.auth === "Bearer fake-token-42"));
      assert.ok(credential.scopes.every((s) => s === "https://ai.azure.com/.default"));
    });
    await t.step("the bodies are the documented eval and run shapes", () => {
      const evalBody = fake.seen[1].body as {
        data_source_config: { type: string };
        testing_criteria: unknown[];
      };
      assert.equal(evalBody.data_source_config.type, "custom");
      assert.equal(evalBody.testing_criteria.length, 3);
      const runBody = fake.seen[2].body as {
        name: string;
        metadata: Record<string, string>;
        data_source: {
          type: string;
          source: { type: string; content: { item: Record<string, unknown> }[] };
        };
      };
      assert.equal(runBody.name, "smoke-set-chat");
      assert.equal(runBody.data_source.type, "jsonl");
      assert.equal(runBody.data_source.source.type, "file_content");
      assert.equal(runBody.data_source.source.content[0].item.verdict_f1, "pass");
      assert.equal(runBody.metadata.run_dir, ".runs/eval/20261130T090000Z-smoke");
    });
    await t.step("the record says what the project holds", () => {
      assert.deepEqual(record, {
        evalId: "eval_new",
        evalName: "contoso-chat · smoke-set.jsonl",
        reusedEval: false,
        runId: "evalrun_1",
        status: "completed",
        reportUrl: "https://ai.azure.com/report/evalrun_1",
        resultCounts: { total: 3, passed: 1, failed: 2, errored: 0 },
      });
    });
  } finally {
    await fake.close();
  }
});

Deno.test("logRunToProject() adds a run to the eval of an earlier run with the same criteria", async () => {
  const key = projectEvalRequest(SUMMARY, projectCriteria(SUMMARY.metrics)).metadata
    .contoso_eval_key;
  const fake = fakeProject({ existing: { contoso_eval_key: key } });
  try {
    const record = await logRunToProject({ summary: SUMMARY, results: RESULTS }, {
      project: fake.project,
      credential: fakeCredential(),
      waitMs: 0,
    });
    assert.equal(record.reusedEval, true);
    assert.equal(record.evalId, "eval_old");
    assert.equal(record.status, "queued");
    assert.deepEqual(fake.seen.map((s) => s.method), ["GET", "POST"]);
    assert.match(fake.seen[1].path, /\/evals\/eval_old\/runs$/);
  } finally {
    await fake.close();
  }
});

Deno.test("logRunToProject() turns a refusal into an UpstreamError that says which role is needed", async () => {
  const fake = fakeProject({ fail: 403 });
  try {
    await assert.rejects(
      logRunToProject({ summary: SUMMARY, results: RESULTS }, {
        project: fake.project,
        credential: fakeCredential(),
      }),
      (e: unknown) => {
        assert.ok(e instanceof UpstreamError);
        assert.equal(e.service, "ai-project");
        assert.equal(e.status, 403);
        assert.equal(e.isRetryable, false);
        assert.match(e.message, /returned 403: Principal lacks data action/);
        assert.match(e.message, /Azure AI User/);
        return true;
      },
    );
  } finally {
    await fake.close();
  }
});

Deno.test("logRunToProject() reports an unreachable project as a retryable network failure", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  await assert.rejects(
    logRunToProject({ summary: SUMMARY, results: RESULTS }, {
      project: parseProjectEndpoint(`http://127.0.0.1:${port}/api/projects/gone`),
      credential: fakeCredential(),
    }),
    (e: unknown) => e instanceof UpstreamError && e.status === 0 && e.isRetryable,
  );
});

Deno.test("projectEvalRequest() and projectRunRequest() type-check as the openai package's Evals parameters", () => {
  // The project's Evals API is OpenAI's; the SDK's parameter types are the reference shape.
  const criteria = projectCriteria(SUMMARY.metrics);
  const evalBody: EvalCreateParams = projectEvalRequest(SUMMARY, criteria);
  const runBody: RunCreateParams = projectRunRequest(SUMMARY, RESULTS, criteria);
  const checks = evalBody.testing_criteria as { type: string; operation?: string }[];
  assert.ok(checks.every((c) => c.type === "string_check" && c.operation === "eq"));
  assert.equal(runBody.data_source.type, "jsonl");
});

Deno.test("projectFromEnvironment() names the variable and how to get it", async (t) => {
  await t.step("missing or blank", () => {
    for (const env of [{}, { AZURE_AI_PROJECT_ENDPOINT: "  " }]) {
      assert.throws(() => projectFromEnvironment(env), (e: Error) => {
        assert.ok(e instanceof ValidationError);
        assert.match(e.message, /--log-to-project needs AZURE_AI_PROJECT_ENDPOINT/);
        assert.match(e.message, /deno task provision/);
        assert.match(e.message, /azd env get-values/);
        return true;
      });
    }
  });
  await t.step("malformed", () => {
    assert.throws(
      () => projectFromEnvironment({ AZURE_AI_PROJECT_ENDPOINT: "https://x.openai.azure.com/" }),
      /Cannot use AZURE_AI_PROJECT_ENDPOINT/,
    );
  });
  await t.step("present", () => {
    const env = { AZURE_AI_PROJECT_ENDPOINT: "https://acct.services.ai.azure.com/api/projects/p" };
    assert.equal(projectFromEnvironment(env).project, "p");
  });
});

Deno.test("projectLogLines() says where the run is and that the scores are ours", () => {
  const lines = projectLogLines({
    evalId: "eval_1",
    evalName: "contoso-chat · test.jsonl",
    reusedEval: true,
    runId: "evalrun_9",
    status: "completed",
    reportUrl: "https://ai.azure.com/x",
    resultCounts: { total: 5, passed: 4, failed: 1, errored: 0 },
  });
  assert.match(lines[0], /eval "contoso-chat · test\.jsonl" \(eval_1, with the earlier runs/);
  assert.match(lines[0], /run evalrun_9, completed \(4 passed, 1 failed of 5\)/);
  assert.ok(lines.some((l) => l.includes("https://ai.azure.com/x")));
  assert.match(lines.at(-1)!, /nothing is re-scored/);
});
