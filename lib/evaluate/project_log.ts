/**
 * Records a finished evaluation run in the Azure AI Foundry project (`deno task eval
 * --log-to-project`), so it appears on the project's Evaluation page beside cloud evaluations.
 *
 * What the project accepts: in the current resource model the project's evaluation API is the
 * OpenAI-compatible Evals API at `{endpoint}/openai/v1/evals` (what `@azure/ai-projects` 2.x
 * hands out through `getOpenAIClient()`, scope `https://ai.azure.com/.default`). It has no
 * request that uploads scores computed elsewhere: a run's rows are graded by the service with
 * the eval's testing criteria. The nearest faithful record is therefore: the rows go up inline
 * (`data_source` `jsonl` / `file_content`) carrying our answers, our per-row scores and our
 * per-row verdicts, and every testing criterion is a deterministic `string_check` of one of
 * those verdicts. The service re-scores nothing and calls no model; the pass counts it shows
 * are ours. (The older upload route of the Python evaluation SDK, `evaluations/runs:upload`,
 * is not part of the 2.x data plane, so it is not used.)
 *
 * Runs of the same data set and criteria are grouped under one eval (found again by a key in
 * its metadata), so the portal compares them side by side.
 *
 * @module
 */
import type { TokenCredential } from "@azure/identity";
import { isRetryableStatus, UpstreamError, ValidationError } from "../errors.ts";
import { delay } from "../async/delay.ts";
import { sha256Hex } from "../text/hash.ts";
import {
  FOUNDRY_SCOPE,
  type FoundryPortalLinks,
  type FoundryProject,
  parseProjectEndpoint,
} from "../azure/foundry/project.ts";
import type { Threshold } from "./summary.ts";
import type { MetricSummary, RowResult, RunSummary } from "./types.ts";

/** One testing criterion: rows pass a metric when its score reaches `min`. */
export interface ProjectCriterion {
  metric: string;
  min: number;
  /** Why this threshold: `--min` or the judges' default. */
  source: "--min" | "judge default";
}

/**
 * The judges' row-level pass mark when no `--min` names the metric: 3 on their 1–5 scale, the
 * default threshold of Foundry's own quality evaluators.
 */
export const JUDGE_PASS_MARK = 3;

/** Metric name as an item field: letters, digits and `_` only (grader templates read it). */
function field(metric: string): string {
  return metric.replace(/[^A-Za-z0-9_]/g, "_");
}

/**
 * The per-row criteria of a run: every `--min` metric at its threshold, and every judge
 * without one at {@linkcode JUDGE_PASS_MARK}. Other metrics are recorded as scores only.
 */
export function projectCriteria(
  metrics: readonly MetricSummary[],
  thresholds: readonly Threshold[] = [],
): ProjectCriterion[] {
  const criteria: ProjectCriterion[] = [];
  for (const m of metrics) {
    const t = thresholds.find((t) => t.metric === m.name);
    if (t) criteria.push({ metric: m.name, min: t.min, source: "--min" });
    else if (m.kind === "judge") {
      criteria.push({ metric: m.name, min: JUDGE_PASS_MARK, source: "judge default" });
    }
  }
  return criteria;
}

/** A row's verdict on a criterion: `pass`, `fail`, `n/a` (does not apply) or `missing`. */
export function rowVerdict(row: RowResult, criterion: ProjectCriterion): string {
  if (row.status !== "ok") return "missing";
  const score = row.scores[criterion.metric];
  if (!score) return "missing";
  if (score.value === null) return score.applicable === false ? "n/a" : "missing";
  return score.value >= criterion.min ? "pass" : "fail";
}

function itemSchema(metrics: readonly MetricSummary[], criteria: readonly ProjectCriterion[]) {
  const text = { type: "string" };
  const optionalText = { type: ["string", "null"] };
  const properties: Record<string, unknown> = {
    id: text,
    question: text,
    customer_id: text,
    status: text,
    intent: optionalText,
    truth: optionalText,
    answer: optionalText,
    context_ids: text,
    error: optionalText,
    latency_ms: { type: ["number", "null"] },
  };
  for (const m of metrics) properties[`score_${field(m.name)}`] = { type: ["number", "null"] };
  for (const c of criteria) properties[`verdict_${field(c.metric)}`] = text;
  return {
    type: "object" as const,
    properties,
    required: ["id", "question", "status"],
  };
}

function testingCriteria(criteria: readonly ProjectCriterion[]) {
  return [
    {
      type: "string_check" as const,
      name: "answered",
      input: "{{item.status}}",
      reference: "ok",
      operation: "eq" as const,
    },
    ...criteria.map((c) => ({
      type: "string_check" as const,
      name: `${c.metric} >= ${c.min}`,
      input: `{{item.verdict_${field(c.metric)}}}`,
      reference: "pass",
      operation: "eq" as const,
    })),
  ];
}

/** Metadata key that finds the eval of a data set and criteria again. */
export const EVAL_KEY = "contoso_eval_key";

/** The body of `POST /openai/v1/evals`: the rows' schema and the verdict checks. */
export function projectEvalRequest(
  summary: Pick<RunSummary, "dataset" | "metrics">,
  criteria: readonly ProjectCriterion[],
) {
  const data_source_config = {
    type: "custom" as const,
    item_schema: itemSchema(summary.metrics, criteria),
    include_sample_schema: false,
  };
  const testing_criteria = testingCriteria(criteria);
  const key = sha256Hex(JSON.stringify([summary.dataset, data_source_config, testing_criteria]))
    .slice(0, 16);
  const dataset = summary.dataset.split(/[\\/]/).pop() ?? summary.dataset;
  return {
    name: `contoso-chat · ${dataset}`,
    metadata: { [EVAL_KEY]: key, source: "deno task eval --log-to-project" },
    data_source_config,
    testing_criteria,
  };
}

function fit(value: string, max = 512): string {
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}

/** The body of `POST /openai/v1/evals/{id}/runs`: the rows inline, with our scores. */
export function projectRunRequest(
  summary: RunSummary,
  results: readonly RowResult[],
  criteria: readonly ProjectCriterion[],
  options: { runDir?: string } = {},
) {
  const content = results.map((r) => {
    const item: Record<string, unknown> = {
      id: r.id,
      question: r.question,
      customer_id: r.customerId,
      status: r.status,
      intent: r.intent ?? null,
      truth: r.truth ?? null,
      answer: r.answer ?? null,
      context_ids: (r.context ?? []).map((c) => c.id).join(" "),
      error: r.error?.message ?? null,
      latency_ms: r.latencyMs ?? null,
    };
    for (const m of summary.metrics) {
      item[`score_${field(m.name)}`] = r.scores[m.name]?.value ?? null;
    }
    for (const c of criteria) item[`verdict_${field(c.metric)}`] = rowVerdict(r, c);
    return { item };
  });
  const means = summary.metrics
    .filter((m) => m.mean !== null)
    .map((m) => `${m.name}=${Number(m.mean!.toFixed(3))}`)
    .join(" ");
  const metadata: Record<string, string> = {
    source: "deno task eval",
    dataset: fit(summary.dataset),
    rows: `${summary.rows.ok} answered, ${summary.rows.failed} failed of ${summary.rows.total}`,
    means: fit(means || "none"),
    criteria: fit(
      criteria.map((c) => `${c.metric}>=${c.min} (${c.source})`).join("; ") || "answered only",
    ),
    started_at: summary.startedAt,
    finished_at: summary.finishedAt,
  };
  if (summary.prompt) metadata.prompt = fit(summary.prompt);
  if (summary.judgeModel) metadata.judge_model = fit(summary.judgeModel);
  if (summary.fingerprintId) metadata.fingerprint = summary.fingerprintId;
  if (options.runDir) metadata.run_dir = fit(options.runDir);
  return {
    name: summary.name,
    metadata,
    data_source: {
      type: "jsonl" as const,
      source: { type: "file_content" as const, content },
    },
  };
}

/** Options of {@linkcode logRunToProject}. */
export interface ProjectLogOptions {
  project: FoundryProject;
  /** Signs the requests (DefaultAzureCredential; the learner needs Azure AI User on the project). */
  credential: Pick<TokenCredential, "getToken">;
  /** `--min` thresholds: they become the rows' pass marks. */
  thresholds?: readonly Threshold[];
  /** The local run directory, recorded in the run's metadata. */
  runDir?: string;
  /** How long to wait for the service to finish its string checks (default 60 s; 0: not at all). */
  waitMs?: number;
  /** Poll interval while waiting (default 2 s). */
  pollMs?: number;
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

/** What the project recorded. */
export interface ProjectRunRecord {
  evalId: string;
  evalName: string;
  /** Whether the eval already existed (an earlier run of the same set and criteria). */
  reusedEval: boolean;
  runId: string;
  /** The run's status when we stopped waiting: `queued`, `in_progress`, `completed`, `failed`… */
  status: string;
  /** The portal page of the run, when the service returns one. */
  reportUrl?: string;
  resultCounts?: { total: number; passed: number; failed: number; errored: number };
}

interface WireRun {
  id: string;
  status: string;
  report_url?: string | null;
  result_counts?: ProjectRunRecord["resultCounts"];
  error?: { code?: string; message?: string } | null;
}

const FINISHED = new Set(["completed", "failed", "canceled"]);

function statusHint(status: number): string {
  if (status === 401 || status === 403) {
    return " (your identity needs the Azure AI User role on the project: `deno task provision` " +
      "grants it to AZURE_PRINCIPAL_ID; role assignments can take minutes to apply)";
  }
  if (status === 404) {
    return " (check AZURE_AI_PROJECT_ENDPOINT: the project does not answer there)";
  }
  return "";
}

/**
 * Records a finished run in the project: finds or creates its eval, creates the run with the
 * rows inline, and waits (up to `waitMs`) for the service to finish. Throws an
 * {@linkcode UpstreamError} (service `ai-project`) when the project refuses.
 *
 * @example
 * ```ts ignore
 * const project = parseProjectEndpoint(env.AZURE_AI_PROJECT_ENDPOINT);
 * const record = await logRunToProject(run, { project, credential: new DefaultAzureCredential() });
 * console.log(record.reportUrl);
 * ```
 */
export async function logRunToProject(
  run: { summary: RunSummary; results: readonly RowResult[] },
  options: ProjectLogOptions,
): Promise<ProjectRunRecord> {
  const fetchFn = options.fetch ?? fetch;
  const base = `${options.project.endpoint}/openai/v1`;
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const token = await options.credential.getToken(FOUNDRY_SCOPE);
    if (!token) {
      throw new UpstreamError(
        `Cannot sign in to the Foundry project: no token for ${FOUNDRY_SCOPE}`,
        {
          service: "ai-project",
          status: 401,
          isRetryable: false,
        },
      );
    }
    let response: Response;
    try {
      response = await fetchFn(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token.token}`,
          accept: "application/json",
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: options.signal,
      });
    } catch (cause) {
      throw new UpstreamError(
        `Cannot reach the Foundry project at ${options.project.endpoint}: ${
          (cause as Error).message
        }`,
        { service: "ai-project", status: 0, isRetryable: true, cause },
      );
    }
    const text = await response.text();
    if (!response.ok) {
      let message = text.slice(0, 300);
      try {
        message = JSON.parse(text)?.error?.message ?? message;
      } catch { /* not JSON: keep the text */ }
      throw new UpstreamError(
        `Foundry project ${method} ${path} returned ${response.status}: ${message}${
          statusHint(response.status)
        }`,
        {
          service: "ai-project",
          status: response.status,
          isRetryable: isRetryableStatus(response.status),
        },
      );
    }
    return JSON.parse(text) as T;
  }

  const criteria = projectCriteria(run.summary.metrics, options.thresholds);
  const evalBody = projectEvalRequest(run.summary, criteria);
  const key = evalBody.metadata[EVAL_KEY];
  const listed = await call<
    { data?: { id: string; name?: string; metadata?: Record<string, string> }[] }
  >(
    "GET",
    "/evals?limit=100&order=desc",
  );
  const existing = (listed.data ?? []).find((e) => e.metadata?.[EVAL_KEY] === key);
  const evaluation = existing ??
    await call<{ id: string; name?: string }>("POST", "/evals", evalBody);
  const evalPath = `/evals/${encodeURIComponent(evaluation.id)}/runs`;
  let wire = await call<WireRun>(
    "POST",
    evalPath,
    projectRunRequest(run.summary, run.results, criteria, { runDir: options.runDir }),
  );
  const deadline = Date.now() + (options.waitMs ?? 60_000);
  while (!FINISHED.has(wire.status) && Date.now() < deadline) {
    await delay(options.pollMs ?? 2_000, { signal: options.signal });
    wire = await call<WireRun>("GET", `${evalPath}/${encodeURIComponent(wire.id)}`);
  }
  if (wire.status === "failed") {
    throw new UpstreamError(
      `The Foundry project could not record run ${wire.id}: ${wire.error?.message ?? "failed"}`,
      { service: "ai-project", status: 200, isRetryable: false },
    );
  }
  return {
    evalId: evaluation.id,
    evalName: evaluation.name ?? evalBody.name,
    reusedEval: existing !== undefined,
    runId: wire.id,
    status: wire.status,
    ...(wire.report_url ? { reportUrl: wire.report_url } : {}),
    ...(wire.result_counts ? { resultCounts: wire.result_counts } : {}),
  };
}

/**
 * The project `--log-to-project` records into, from `AZURE_AI_PROJECT_ENDPOINT`. Throws a
 * `ValidationError` (exit 2) that says how to get the variable when it is missing or malformed.
 */
export function projectFromEnvironment(
  env: Readonly<Record<string, string | undefined>>,
): FoundryProject {
  const value = env.AZURE_AI_PROJECT_ENDPOINT?.trim();
  if (!value) {
    throw new ValidationError(
      "--log-to-project needs AZURE_AI_PROJECT_ENDPOINT, the Foundry project's endpoint " +
        "(https://ACCOUNT.services.ai.azure.com/api/projects/PROJECT): `deno task provision` " +
        "writes it to .env; for an existing environment run `azd env get-values > .env`, or " +
        "copy it from the project's overview page in https://ai.azure.com",
    );
  }
  return parseProjectEndpoint(value);
}

/** What the CLI prints after logging: where the run is, and the portal pages when known. */
export function projectLogLines(
  record: ProjectRunRecord,
  links?: FoundryPortalLinks,
): string[] {
  const counts = record.resultCounts;
  const lines = [
    `Recorded in the Foundry project: eval "${record.evalName}" (${record.evalId}${
      record.reusedEval ? ", with the earlier runs of this set" : ", new"
    }), run ${record.runId}, ${record.status}` +
    (counts ? ` (${counts.passed} passed, ${counts.failed} failed of ${counts.total})` : ""),
  ];
  if (record.reportUrl) lines.push(`  Run report:   ${record.reportUrl}`);
  if (links) lines.push(`  Evaluations:  ${links.evaluations}`);
  lines.push(
    "  The project shows our own scores: its checks only compare each row's recorded verdict, " +
      "so nothing is re-scored there.",
  );
  return lines;
}
