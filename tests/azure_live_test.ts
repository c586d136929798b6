/**
 * Live tests against Azure. They run only when Azure configuration is present, and never in CI
 * by default:
 *
 * - seed and data: with AZURE_OPENAI_ENDPOINT, COSMOS_ENDPOINT and AZURE_SEARCH_ENDPOINT set
 *   (e.g. the `.env` written after `deno task provision`), seeding twice leaves the same counts
 *   and the data checks of the first notebook pass;
 * - the hosted endpoint: with SERVICE_API_URI set, the smoke test passes;
 * - the Azure AI Foundry project: with AZURE_AI_PROJECT_ENDPOINT set, its data plane (api-version
 *   v1, as `@azure/ai-projects` 2.x calls it) lists the Application Insights and Azure AI Search
 *   connections and the three model deployments, and `deno task eval --log-to-project` records
 *   a two-row run there;
 * - the whole life cycle: with CONTOSO_LIVE_AZD_ENV (a throw-away azd environment name),
 *   AZURE_LOCATION and AZURE_SUBSCRIPTION_ID set, provision, deploy and teardown run for real
 *   (about 15 minutes; it creates and deletes billable resources).
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { DefaultAzureCredential } from "@azure/identity";
import {
  createRuntime,
  FOUNDRY_SCOPE,
  loadConfig,
  loadDataSet,
  parseProjectEndpoint,
  readEnvironment,
  resolveProjectPath,
  smokeTest,
  verifyData,
} from "../lib/mod.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const env = readEnvironment(`${ROOT}.env`);
const hasAzureData =
  !!(env.AZURE_OPENAI_ENDPOINT && env.COSMOS_ENDPOINT && env.AZURE_SEARCH_ENDPOINT);
const liveEnv = Deno.env.get("CONTOSO_LIVE_AZD_ENV");

async function task(name: string, args: string[]): Promise<{ code: number; output: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["task", name, ...args],
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, output: decode(out.stdout) + decode(out.stderr) };
}

Deno.test({
  name: "live: deno task seed is idempotent against Cosmos DB and Azure AI Search",
  ignore: !hasAzureData,
  async fn() {
    const first = await task("seed", []);
    assert.equal(first.code, 0, first.output);
    const second = await task("seed", []);
    assert.equal(second.code, 0, second.output);
    const counts = (text: string) => text.match(/Store counts now: .*/)?.[0];
    assert.equal(counts(second.output), counts(first.output));
    const runtime = await createRuntime(loadConfig(env), { seed: false });
    try {
      const checks = await verifyData(runtime, await loadDataSet(resolveProjectPath("data")));
      assert.deepEqual(checks.filter((c) => !c.ok), []);
    } finally {
      await runtime.close();
    }
  },
});

Deno.test({
  name: "live: the hosted endpoint answers the smoke test",
  ignore: !env.SERVICE_API_URI,
  async fn() {
    const result = await smokeTest(env.SERVICE_API_URI!, { apiKey: env.CONTOSO_API_KEY });
    assert.ok(result.ok, JSON.stringify(result));
  },
});

/** GET on the project's data plane with the learner's (or the pipeline's) Entra ID token. */
async function projectGet<T>(path: string): Promise<T> {
  const project = parseProjectEndpoint(env.AZURE_AI_PROJECT_ENDPOINT!);
  const token = await new DefaultAzureCredential().getToken(FOUNDRY_SCOPE);
  const res = await fetch(`${project.endpoint}${path}`, {
    headers: { authorization: `Bearer ${token.token}`, accept: "application/json" },
  });
  const text = await res.text();
  assert.equal(res.status, 200, `GET ${path}: ${text}`);
  return JSON.parse(text) as T;
}

Deno.test({
  name: "live: the Foundry project has its connections and the app's model deployments",
  ignore: !env.AZURE_AI_PROJECT_ENDPOINT,
  async fn() {
    const connections = await projectGet<
      { value: { name: string; type: string; target: string }[] }
    >(
      "/connections?api-version=v1",
    );
    const types = connections.value.map((c) => c.type);
    assert.ok(types.includes("AppInsights"), `connections: ${JSON.stringify(connections.value)}`);
    assert.ok(
      types.includes("CognitiveSearch"),
      `connections: ${JSON.stringify(connections.value)}`,
    );
    if (env.AZURE_SEARCH_ENDPOINT) {
      const host = new URL(env.AZURE_SEARCH_ENDPOINT).host;
      assert.ok(
        connections.value.some((c) => c.type === "CognitiveSearch" && c.target.includes(host)),
        `no connection targets ${host}`,
      );
    }
    const deployments = await projectGet<{ value: { name: string }[] }>(
      "/deployments?api-version=v1",
    );
    const names = deployments.value.map((d) => d.name);
    for (
      const wanted of [
        env.AZURE_OPENAI_CHAT_DEPLOYMENT,
        env.AZURE_OPENAI_EMBEDDING_DEPLOYMENT,
        env.AZURE_OPENAI_EVAL_DEPLOYMENT,
      ].filter((n): n is string => !!n)
    ) assert.ok(names.includes(wanted), `${wanted} not among ${names.join(", ")}`);
  },
});

Deno.test({
  name: "live: deno task eval --log-to-project records a run in the Foundry project",
  ignore: !env.AZURE_AI_PROJECT_ENDPOINT || !hasAzureData,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "live-eval-" });
    try {
      const rows = (await Deno.readTextFile(`${ROOT}data/eval/test.jsonl`)).split("\n")
        .filter((l) => l.trim()).slice(0, 2).join("\n");
      await Deno.writeTextFile(`${dir}/two.jsonl`, rows);
      const run = await task("eval", [
        "--data",
        `${dir}/two.jsonl`,
        "--runs-dir",
        `${dir}/runs`,
        "--max-failed",
        "2",
        "--log-to-project",
      ]);
      assert.notEqual(run.code, 3, run.output);
      assert.match(
        run.output,
        /Recorded in the Foundry project: eval .*run \S+, (completed|queued|in_progress)/,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "live: provision, deploy and teardown of a throw-away azd environment",
  ignore: !liveEnv || !Deno.env.get("AZURE_LOCATION") || !Deno.env.get("AZURE_SUBSCRIPTION_ID"),
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const common = ["--env", liveEnv!];
    try {
      await t.step("provision", async () => {
        const run = await task("provision", [
          ...common,
          "--location",
          Deno.env.get("AZURE_LOCATION")!,
          "--subscription",
          Deno.env.get("AZURE_SUBSCRIPTION_ID")!,
        ]);
        assert.equal(run.code, 0, run.output);
      });
      await t.step("deploy (ends with the smoke test)", async () => {
        const run = await task("deploy", common);
        assert.equal(run.code, 0, run.output);
        assert.match(run.output, /Smoke test passed/);
      });
    } finally {
      await t.step("teardown", async () => {
        const run = await task("teardown", [...common, "--yes"]);
        assert.equal(run.code, 0, run.output);
      });
    }
  },
});
