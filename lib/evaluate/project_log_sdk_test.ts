/**
 * Differential test of the project log against Microsoft's own client: `@azure/ai-projects`
 * 2.x (`AIProjectClient.getOpenAIClient()`) sends the same eval and run bodies to the same
 * fake project, and the requests must match ours: method, path, query, bearer token, the scope
 * the token was asked for, and the JSON bodies. So the endpoint layout (`/openai/v1`), the
 * scope and the shapes are the SDK's, not our reading of the docs.
 */
import assert from "node:assert/strict";
import { AIProjectClient } from "@azure/ai-projects";
import { parseProjectEndpoint } from "../azure/foundry/project.ts";
import {
  logRunToProject,
  projectCriteria,
  projectEvalRequest,
  projectRunRequest,
} from "./project_log.ts";
import type { RowResult, RunSummary } from "./types.ts";

const SUMMARY: RunSummary = {
  name: "weekend-set-final",
  startedAt: "2026-12-01T08:00:00.000Z",
  finishedAt: "2026-12-01T08:01:00.000Z",
  complete: true,
  dataset: "sets/weekend.jsonl",
  concurrency: 2,
  rows: { total: 1, ok: 1, failed: 0, pending: 0 },
  retries: 0,
  metrics: [{
    name: "coherence",
    kind: "judge",
    range: [1, 5],
    mean: 4,
    count: 1,
    missing: 0,
    min: 4,
    max: 4,
  }],
  skipped: [],
  wallMs: 60_000,
};

const RESULTS: RowResult[] = [{
  id: "w-1",
  index: 0,
  fingerprint: "x",
  status: "ok",
  customerId: "5",
  question: "Can I wash my rain jacket?",
  answer: "Yes, on a cold cycle [14].",
  scores: { coherence: { value: 4 } },
  retries: 0,
  durationMs: 700,
}];

interface Request {
  line: string;
  auth: string | null;
  body: unknown;
}

/** One fake project; `requests` are what reached it, in order. */
function fakeProject() {
  const requests: Request[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const url = new URL(req.url);
    const text = await req.text();
    requests.push({
      line: `${req.method} ${url.pathname}${url.search}`,
      auth: req.headers.get("authorization"),
      body: text ? JSON.parse(text) : undefined,
    });
    if (url.pathname.endsWith("/evals") && req.method === "GET") {
      return Response.json({ object: "list", data: [], has_more: false });
    }
    if (url.pathname.endsWith("/evals")) {
      return Response.json({ object: "eval", id: "eval_d1", name: "n", created_at: 1 });
    }
    return Response.json({ object: "eval.run", id: "evalrun_d1", status: "completed" });
  });
  const endpoint = `http://127.0.0.1:${(server.addr as Deno.NetAddr).port}/api/projects/diff`;
  return { requests, endpoint, close: () => server.shutdown() };
}

function credential(scopes: unknown[]) {
  return {
    getToken(scope: string | string[]) {
      scopes.push([scope].flat());
      return Promise.resolve({ token: "same-token", expiresOnTimestamp: Date.now() + 3_600_000 });
    },
  };
}

Deno.test("logRunToProject() sends what @azure/ai-projects' OpenAI client sends for the same calls", async () => {
  const ours = fakeProject();
  const sdk = fakeProject();
  const ourScopes: unknown[] = [];
  const sdkScopes: unknown[] = [];
  try {
    await logRunToProject({ summary: SUMMARY, results: RESULTS }, {
      project: parseProjectEndpoint(ours.endpoint),
      credential: credential(ourScopes),
      waitMs: 0,
    });

    const client = new AIProjectClient(sdk.endpoint, credential(sdkScopes));
    const openai = client.getOpenAIClient();
    const criteria = projectCriteria(SUMMARY.metrics);
    await openai.evals.list({ limit: 100, order: "desc" });
    const created = await openai.evals.create(projectEvalRequest(SUMMARY, criteria));
    await openai.evals.runs.create(created.id, projectRunRequest(SUMMARY, RESULTS, criteria));

    assert.deepEqual(ours.requests.map((r) => r.line), sdk.requests.map((r) => r.line));
    assert.deepEqual(ours.requests.map((r) => r.body), sdk.requests.map((r) => r.body));
    assert.deepEqual(ours.requests.map((r) => r.auth), sdk.requests.map((r) => r.auth));
    assert.deepEqual([...new Set(ourScopes.map(String))], [...new Set(sdkScopes.map(String))]);
    assert.deepEqual(ours.requests.map((r) => r.line), [
      "GET /api/projects/diff/openai/v1/evals?limit=100&order=desc",
      "POST /api/projects/diff/openai/v1/evals",
      "POST /api/projects/diff/openai/v1/evals/eval_d1/runs",
    ]);
  } finally {
    await ours.close();
    await sdk.close();
  }
});
