/**
 * `deno task provision | deploy | teardown` offline: in process with a fake runner (preflight
 * stops, dry runs touch nothing, real runs execute the printed plan, teardown confirmation), and
 * as real subprocesses with a fake `azd` on the PATH that logs every call.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import {
  AZURE_VARIABLES,
  createFakeRunner,
  DEPLOYMENT_OUTPUTS,
  type FakeAnswer,
} from "../lib/mod.ts";
import { runTask, type TaskIo } from "../tools/azure/_cli.ts";
import { postdeploy, postprovision, seedEnvironment } from "../tools/azure/hooks.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SUB = "00000000-1111-2222-3333-444444444444";
const MUTATING = / (new|set|select|provision|deploy|down)\b/;

function io(answers: Record<string, FakeAnswer>, over: Partial<TaskIo> = {}) {
  const runner = createFakeRunner({
    "azd version": { stdout: "azd version 1.20.0\n" },
    "azd auth login --check-status": { stdout: "Logged in to Azure\n" },
    "azd env list --output json": { stdout: "[]" },
    ...answers,
  });
  let out = "";
  let err = "";
  const taskIo: TaskIo = {
    runner,
    env: {},
    out: (t) => void (out += t),
    err: (t) => void (err += t),
    interactive: () => false,
    ask: () => null,
    ...over,
  };
  return { runner, io: taskIo, out: () => out, err: () => err };
}

function provisionedValues(uri: string): string {
  return [
    ...AZURE_VARIABLES.map((n) => `${n}="x"`),
    ...DEPLOYMENT_OUTPUTS.map((o) =>
      `${o.name}="${o.name === "SERVICE_API_URI" ? uri : "rg-dev"}"`
    ),
  ].join("\n");
}

const existing = { stdout: JSON.stringify([{ Name: "dev", IsDefault: true }]) };

Deno.test("provision: a failed preflight stops before any change, with the fixes", async () => {
  const t = io({}, { runner: createFakeRunner() });
  assert.equal(await runTask("provision", ["--env", "dev"], t.io), 1);
  assert.match(t.out(), /✘ azd installed[\s\S]*fix: Install the Azure Developer CLI/);
  assert.match(t.err(), /Stopped before changing anything/);
});

Deno.test("provision --dry-run prints the exact plan and runs only read-only commands", async () => {
  const t = io({});
  const code = await runTask(
    "provision",
    ["--dry-run", "--env", "dev", "--location", "swedencentral", "--subscription", SUB],
    t.io,
  );
  assert.equal(code, 0, t.err());
  assert.match(t.out(), /✔ region\s+swedencentral/);
  assert.match(t.out(), /\$ azd provision --environment dev --no-prompt/);
  assert.match(t.out(), /Microsoft\.Search\/searchServices@2025-05-01/);
  assert.match(t.out(), /Dry run: nothing was changed/);
  assert.deepEqual(t.runner.commandLines().filter((l) => MUTATING.test(l)), []);
});

Deno.test("provision runs the plan it prints, in order", async () => {
  const t = io({ "azd env": {}, "azd provision": { stdout: "SUCCESS\n" } });
  const code = await runTask(
    "provision",
    ["--env", "dev", "--location", "eastus2", "--subscription", SUB],
    t.io,
  );
  assert.equal(code, 0, t.err());
  assert.deepEqual(t.runner.commandLines().filter((l) => MUTATING.test(l)), [
    "azd env new dev --no-prompt",
    "azd env set AZURE_LOCATION eastus2 -e dev",
    `azd env set AZURE_SUBSCRIPTION_ID ${SUB} -e dev`,
    "azd provision --environment dev --no-prompt",
  ]);
  assert.match(t.out(), /==> \[4\/4\][\s\S]*SUCCESS[\s\S]*provision done/);
});

Deno.test("deploy ends with a smoke test of the hosted endpoint: URL, status, latency", async () => {
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen() {} },
    () =>
      Response.json({
        question: "q",
        answer: "Hello! Try the Summit Dome 2 Tent [1].",
        context: [{ id: "1" }],
      }),
  );
  const uri = `http://127.0.0.1:${server.addr.port}`;
  try {
    const t = io({
      "azd env list --output json": existing,
      "azd env get-values --environment dev": { stdout: provisionedValues(uri) },
      "azd deploy": { stdout: "Deploying service api\n" },
    });
    assert.equal(await runTask("deploy", [], t.io), 0, t.err());
    assert.match(t.out(), /Smoke test passed/);
    assert.match(t.out(), new RegExp(`POST ${uri}/api/create_response`));
    assert.match(t.out(), /status\s+200/);
    assert.match(t.out(), /latency\s+\d+ ms/);
    const deploy = t.runner.calls.find((c) => c.args[0] === "deploy");
    assert.deepEqual(
      deploy?.env,
      { CONTOSO_SMOKE_BY_TASK: "1" },
      "the postdeploy hook skips its test",
    );
  } finally {
    await server.shutdown();
  }
});

Deno.test("deploy's smoke test sends the API key of the azd environment (the API requires one)", async () => {
  const key = "azd-env-key-5f0c2b9e7d1a3c48";
  const seen: (string | null)[] = [];
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, (request) => {
    seen.push(request.headers.get("x-api-key"));
    return request.headers.get("x-api-key") === key
      ? Response.json({ question: "q", answer: "Hello!", context: [{ id: "1" }] })
      : Response.json({ error: { code: "unauthorized", message: "no" } }, { status: 401 });
  });
  const uri = `http://127.0.0.1:${server.addr.port}`;
  try {
    const t = io({
      "azd env list --output json": existing,
      "azd env get-values --environment dev": {
        stdout: `${provisionedValues(uri)}\nCONTOSO_API_KEYS="${key},an-older-key-0123456789"`,
      },
      "azd deploy": { stdout: "Deploying service api\n" },
    });
    assert.equal(await runTask("deploy", [], t.io), 0, t.err());
    assert.deepEqual(seen, [key]);
    assert.ok(!t.out().includes(key) && !t.err().includes(key), "the key is never printed");
  } finally {
    await server.shutdown();
  }
});

Deno.test("deploy refused by ACR Tasks: the failure names what to do", async () => {
  const t = io({
    "azd env list --output json": existing,
    "azd env get-values --environment dev": { stdout: provisionedValues("https://x") },
    "azd deploy": {
      code: 1,
      stdout: "Deploying service api\n",
      stderr: "RESPONSE 400: 400 Bad Request\nERROR CODE: TasksOperationsNotAllowed\n",
    },
  });
  assert.equal(await runTask("deploy", [], t.io), 1);
  assert.match(t.err(), /deploy failed: azd deploy .* exited 1/);
  assert.match(t.err(), /TasksOperationsNotAllowed: The subscription refuses remote builds/);
});

Deno.test("deploy before provisioning stops at the preflight", async () => {
  const t = io({
    "azd env list --output json": existing,
    "azd env get-values --environment dev": { stdout: "AZURE_LOCATION=eastus2\n" },
  });
  assert.equal(await runTask("deploy", [], t.io), 1);
  assert.match(t.out(), /✘ provisioned\s+missing AZURE_OPENAI_ENDPOINT/);
  assert.ok(!t.runner.commandLines().some((l) => l.startsWith("azd deploy")));
});

Deno.test("teardown asks first: refuses on a non-interactive stdin, needs the environment name typed", async (t) => {
  const answers = {
    "azd env list --output json": existing,
    "azd env get-values --environment dev": { stdout: 'AZURE_RESOURCE_GROUP="rg-dev"' },
    "azd down": {},
  };
  await t.step("non-interactive without --yes", async () => {
    const run = io(answers);
    assert.equal(await runTask("teardown", [], run.io), 2);
    assert.match(run.err(), /Refusing to delete the resource group rg-dev[\s\S]*--yes/);
    assert.ok(!run.runner.commandLines().some((l) => l.startsWith("azd down")));
  });
  await t.step("interactive, wrong answer", async () => {
    const run = io(answers, { interactive: () => true, ask: () => "yes" });
    assert.equal(await runTask("teardown", [], run.io), 2);
    assert.match(run.err(), /Not confirmed/);
    assert.ok(!run.runner.commandLines().some((l) => l.startsWith("azd down")));
  });
  await t.step("interactive, confirmed by name", async () => {
    const dir = await Deno.makeTempDir();
    try {
      await Deno.writeTextFile(
        `${dir}/.env`,
        'MINE=1\n# >>> azd environment "dev"\nCOSMOS_DATABASE=db\n# <<< azd environment\n',
      );
      const run = io(answers, { interactive: () => true, ask: () => "dev", cwd: dir });
      assert.equal(await runTask("teardown", [], run.io), 0, run.err());
      assert.equal(await Deno.readTextFile(`${dir}/.env`), "MINE=1\n", "only the azd block goes");
      assert.ok(
        run.runner.commandLines().includes(
          "azd down --environment dev --force --purge --no-prompt",
        ),
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
});

const DELETED_AI = JSON.stringify([{
  id:
    `/subscriptions/${SUB}/providers/Microsoft.CognitiveServices/locations/eastus2/resourceGroups/rg-dev/deletedAccounts/ai-7hq2xk4tn3vbe`,
  name: "ai-7hq2xk4tn3vbe",
  location: "eastus2",
  kind: "AIServices",
  properties: { deletionDate: "2026-12-01T07:55:00Z" },
}]);

Deno.test("provision with a soft-deleted AI Services account in the way: stops, or purges / restores it first", async (t) => {
  const answers = {
    "azd env": {},
    "azd provision": { stdout: "SUCCESS\n" },
    "az account show": { stdout: "{}" },
    "az cognitiveservices account list-deleted": { stdout: DELETED_AI },
    "az cognitiveservices account purge": {},
    "az cognitiveservices account recover": {},
    "az group create": {},
  };
  const args = ["--env", "dev", "--location", "eastus2", "--subscription", SUB];
  const changes = (lines: string[]) =>
    lines.filter((l) => MUTATING.test(l) || / (purge|recover|create)\b/.test(l));
  await t.step("no flag: the preflight stops with both flags named", async () => {
    const run = io(answers);
    assert.equal(await runTask("provision", args, run.io), 1);
    assert.match(run.out(), /✘ deleted AI account\s+ai-7hq2xk4tn3vbe in rg-dev/);
    assert.match(run.out(), /--purge-deleted[\s\S]*--restore-deleted/);
    assert.deepEqual(changes(run.runner.commandLines()), []);
  });
  await t.step("--purge-deleted: purge, then provision", async () => {
    const run = io(answers);
    assert.equal(await runTask("provision", [...args, "--purge-deleted"], run.io), 0, run.err());
    const done = changes(run.runner.commandLines());
    assert.deepEqual(done.slice(-2), [
      `az cognitiveservices account purge --location eastus2 --resource-group rg-dev --name ai-7hq2xk4tn3vbe --subscription ${SUB}`,
      "azd provision --environment dev --no-prompt",
    ]);
  });
  await t.step(
    "--restore-deleted --dry-run: the group and the recovery in the plan, nothing run",
    async () => {
      const run = io(answers);
      assert.equal(
        await runTask("provision", [...args, "--restore-deleted", "--dry-run"], run.io),
        0,
        run.err(),
      );
      assert.match(
        run.out(),
        /\$ az group create --name rg-dev --location eastus2[\s\S]*\$ az cognitiveservices account recover[\s\S]*\$ azd provision/,
      );
      assert.deepEqual(changes(run.runner.commandLines()), []);
    },
  );
});

Deno.test("bad usage exits 2 with the usage", async () => {
  for (
    const [action, args] of [
      ["deploy", ["--location", "eastus"]],
      ["provision", ["--yes"]],
      ["teardown", ["--what"]],
      ["deploy", ["--purge-deleted"]],
      ["provision", ["--purge-deleted", "--restore-deleted"]],
    ] as const
  ) {
    const t = io({});
    assert.equal(await runTask(action, [...args], t.io), 2);
    assert.match(t.err(), /Usage: deno task/);
  }
});

Deno.test("postprovision hook writes .env from azd env get-values and retries the seed", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/.env`;
    await Deno.writeTextFile(path, "OPENAI_API_KEY=mine\n");
    let seeds = 0;
    const runner = createFakeRunner({
      "azd env get-values --environment dev": { stdout: provisionedValues("https://x") },
      "deno task seed": () => ({ code: ++seeds < 2 ? 1 : 0 }),
    });
    const logs: string[] = [];
    const code = await postprovision({
      runner,
      env: { AZURE_ENV_NAME: "dev" },
      dotEnvPath: path,
      seedRetryDelayMs: 1,
      log: (t) => logs.push(t),
    });
    assert.equal(code, 0, logs.join("\n"));
    assert.equal(seeds, 2);
    const text = await Deno.readTextFile(path);
    assert.match(text, /^OPENAI_API_KEY=mine\n# >>> azd environment "dev"/);
    assert.match(text, /\nCOSMOS_ENDPOINT=x\n/);
    assert.doesNotMatch(text, /AZURE_CLIENT_ID|SERVICE_API_URI/);
    assert.equal(runner.calls.find((c) => c.command === "deno")?.env?.COSMOS_ENDPOINT, "x");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("postprovision hook keeps seeding for the 30-minute budget with backoff, then exits 1 with the re-run command", async () => {
  const dir = await Deno.makeTempDir();
  try {
    let clock = 1_000_000;
    const waits: number[] = [];
    let seeds = 0;
    const runner = createFakeRunner({
      "azd env get-values": { stdout: provisionedValues("https://x") },
      "deno task seed": () => {
        seeds++;
        clock += 20_000; // each attempt takes 20 s before the 403
        return { code: 1, stderr: "The customers store answered HTTP 403" };
      },
    });
    const logs: string[] = [];
    const warnings: string[] = [];
    const code = await postprovision({
      runner,
      env: { AZURE_ENV_NAME: "dev" },
      dotEnvPath: `${dir}/.env`,
      log: (t) => logs.push(t),
      warn: (t) => warnings.push(t),
      now: () => clock,
      sleep: (ms) => {
        waits.push(ms);
        clock += ms;
        return Promise.resolve();
      },
    });
    assert.equal(code, 1);
    assert.deepEqual(waits.slice(0, 5), [15_000, 30_000, 60_000, 120_000, 120_000]);
    assert.ok(waits.every((w) => w <= 120_000));
    const spent = waits.reduce((a, b) => a + b, 0) + seeds * 20_000;
    assert.ok(spent >= 30 * 60_000 && spent <= 30 * 60_000 + 20_000, `spent ${spent} ms`);
    assert.equal(seeds, waits.length + 1, "a last attempt after the last wait");
    const text = logs.join("\n");
    assert.match(text, /attempt 2, 35 s of the 30 min budget used/);
    assert.match(text, /Retrying in 2 min \(\d+ min( \d+ s)? of the budget left\)/);
    assert.match(warnings.join("\n"), /resources ARE provisioned[\s\S]*deno task seed/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("postprovision hook does not retry a configuration error (seed exit 2)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    let seeds = 0;
    const warnings: string[] = [];
    const code = await postprovision({
      runner: createFakeRunner({
        "azd env get-values": { stdout: provisionedValues("https://x") },
        "deno task seed": () => ({ code: ++seeds && 2 }),
      }),
      env: {},
      dotEnvPath: `${dir}/.env`,
      log: () => {},
      warn: (t) => warnings.push(t),
      sleep: () => Promise.reject(new Error("must not wait")),
    });
    assert.equal(code, 1);
    assert.equal(seeds, 1);
    assert.match(warnings.join(), /exited 2: a configuration error/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("seedEnvironment() keeps the app's managed-identity AZURE_CLIENT_ID away from seeding", async (t) => {
  const values = { AZURE_CLIENT_ID: "mi-5b1e", COSMOS_ENDPOINT: "https://c" };
  await t.step("azd put the app's identity in the hook's environment", () => {
    const got = seedEnvironment(values, { AZURE_CLIENT_ID: "mi-5b1e", PATH: "/bin" });
    assert.deepEqual(got, {
      env: { COSMOS_ENDPOINT: "https://c", AZURE_TOKEN_CREDENTIALS: "dev" },
      unsetEnv: ["AZURE_CLIENT_ID"],
    });
  });
  await t.step("a learner's own service principal id stays", () => {
    const got = seedEnvironment(values, {
      AZURE_CLIENT_ID: "sp-of-the-learner",
      AZURE_CLIENT_SECRET: "s3cr3t",
      AZURE_TENANT_ID: "t",
    });
    assert.deepEqual(got.unsetEnv, []);
    assert.equal("AZURE_CLIENT_ID" in got.env, false);
    assert.equal(
      got.env.AZURE_TOKEN_CREDENTIALS,
      undefined,
      "the environment credential stays in the chain",
    );
  });
  await t.step("nothing to remove", () => {
    assert.deepEqual(seedEnvironment({ COSMOS_ENDPOINT: "x" }, {}).unsetEnv, []);
    const chosen = seedEnvironment({}, { AZURE_TOKEN_CREDENTIALS: "AzureCliCredential" });
    assert.equal(chosen.env.AZURE_TOKEN_CREDENTIALS, undefined, "the learner's own choice stands");
  });
});

Deno.test("azure.yaml: a failed postprovision (seeding) does not fail azd provision; postdeploy does", async () => {
  const { parse } = await import("yaml");
  const project = parse(await Deno.readTextFile(new URL("azure.yaml", `file://${ROOT}`)));
  for (const os of ["posix", "windows"]) {
    assert.equal(project.hooks.postprovision[os].continueOnError, true, os);
    assert.equal(project.hooks.postdeploy[os].continueOnError, false, os);
  }
});

Deno.test("postdeploy hook leaves the smoke test to deno task deploy when it started azd", async () => {
  const logs: string[] = [];
  const code = await postdeploy({
    env: { CONTOSO_SMOKE_BY_TASK: "1" },
    runner: createFakeRunner(),
    log: (t) => logs.push(t),
  });
  assert.equal(code, 0);
  assert.match(logs.join(), /run by `deno task deploy`/);
});

// ---- Real subprocesses with a fake azd on the PATH -------------------------------------------

/** Run a tools/azure script as azd would: from `dir`, only the fake tools in `dir` and the system on the PATH. */
async function runToolScript(
  dir: string,
  script: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--config", `${ROOT}deno.json`, `${ROOT}tools/azure/${script}.ts`, ...args],
    cwd: dir,
    clearEnv: true,
    env: {
      PATH: `${dir}:/usr/bin:/bin`,
      HOME: Deno.env.get("HOME") ?? dir,
      NO_COLOR: "1",
      ...(Deno.env.get("DENO_DIR") ? { DENO_DIR: Deno.env.get("DENO_DIR")! } : {}),
      ...env,
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

const FAKE_AZD = `#!/bin/sh
echo "$*" >> "$FAKE_AZD_LOG"
case "$*" in
  "version") echo "azd version 1.20.0 (commit fake)" ;;
  "auth login --check-status") echo "Logged in to Azure as learner@contoso.com" ;;
  "env list --output json") echo '[{"Name":"dev","IsDefault":true}]' ;;
  "env get-values --environment dev") echo 'AZURE_RESOURCE_GROUP="rg-dev"'; echo 'AZURE_LOCATION="eastus2"' ;;
  *) echo "fake azd: $*" ;;
esac
`;

async function withFakeAzd(
  fn: (
    dir: string,
    run: (
      task: string,
      args: string[],
    ) => Promise<{ code: number; stdout: string; stderr: string; log: string[] }>,
  ) => Promise<void>,
) {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/azd`, FAKE_AZD, { mode: 0o755 });
    const log = `${dir}/calls.log`;
    const run = async (task: string, args: string[]) => {
      const out = await runToolScript(dir, task, args, { FAKE_AZD_LOG: log });
      let calls: string[] = [];
      try {
        calls = (await Deno.readTextFile(log)).trim().split("\n");
      } catch { /* no call */ }
      return { ...out, log: calls };
    };
    await fn(dir, run);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("the task scripts with a fake azd: dry runs only read, teardown refuses without a terminal", async () => {
  await withFakeAzd(async (_dir, run) => {
    const dry = await run("teardown", ["--dry-run"]);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /\$ azd down --environment dev --force --purge --no-prompt/);
    assert.deepEqual(dry.log.filter((l) => MUTATING.test(` ${l}`)), [], dry.log.join("\n"));

    const refused = await run("teardown", []);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /Refusing to delete[\s\S]*standard input is not a terminal/);
    assert.ok(!refused.log.some((l) => l.startsWith("down")));

    const done = await run("teardown", ["--yes"]);
    assert.equal(done.code, 0, done.stderr);
    assert.ok(done.log.includes("down --environment dev --force --purge --no-prompt"));
  });
});

Deno.test("the task scripts without azd on the PATH stop with the install fix", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${ROOT}tools/azure/provision.ts`, "--env", "dev"],
    cwd: ROOT,
    clearEnv: true,
    env: { PATH: "/nonexistent", NO_COLOR: "1", HOME: Deno.env.get("HOME") ?? "/tmp" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 1);
  assert.match(new TextDecoder().decode(out.stdout), /fix: Install the Azure Developer CLI/);
});

Deno.test("the postprovision hook script seeds without the app's AZURE_CLIENT_ID (fake azd and deno on the PATH)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    // azd runs hooks with the environment's values in the process environment, AZURE_CLIENT_ID
    // (the Container App's managed identity) among them.
    await Deno.writeTextFile(
      `${dir}/azd`,
      `#!/bin/sh
echo 'AZURE_CLIENT_ID="3f9c0a51-mi-of-the-app"'
echo 'COSMOS_ENDPOINT="https://cosmos-x.documents.azure.com:443/"'
echo 'AZURE_ENV_NAME="dev"'
`,
      { mode: 0o755 },
    );
    // The seed: records the environment it was given.
    await Deno.writeTextFile(
      `${dir}/deno`,
      `#!/bin/sh
env > "${dir}/seed.env"
echo "seeded"
`,
      { mode: 0o755 },
    );
    const out = await runToolScript(dir, "hooks", ["postprovision"], {
      AZURE_ENV_NAME: "dev",
      AZURE_CLIENT_ID: "3f9c0a51-mi-of-the-app",
    });
    assert.equal(out.code, 0, out.stderr);
    const seedEnv = await Deno.readTextFile(`${dir}/seed.env`);
    assert.match(seedEnv, /^COSMOS_ENDPOINT=https:\/\/cosmos-x/m);
    assert.doesNotMatch(seedEnv, /^AZURE_CLIENT_ID=/m);
    assert.match(seedEnv, /^AZURE_ENV_NAME=dev$/m);
    assert.match(seedEnv, /^AZURE_TOKEN_CREDENTIALS=dev$/m);
    assert.doesNotMatch(await Deno.readTextFile(`${dir}/.env`), /AZURE_CLIENT_ID/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the task scripts with fake azd, az and docker on the PATH: a Free Trial deploy without Docker stops; a dry-run provision shows the purge", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const values = provisionedValues("https://ca-api.example").replaceAll('"', "'");
    const script = (name: string, body: string) =>
      Deno.writeTextFile(
        `${dir}/${name}`,
        `#!/bin/sh\necho "${name} $*" >> "${dir}/calls.log"\n${body}`,
        {
          mode: 0o755,
        },
      );
    await script(
      "azd",
      `case "$*" in
  "version") echo "azd version 1.21.0 (commit fake)" ;;
  "auth login --check-status") echo "Logged in to Azure as learner@contoso.example" ;;
  "env list --output json") echo '[{"Name":"dev","IsDefault":true}]' ;;
  "env get-values --environment dev") cat <<'EOF_VALUES'
${values}
AZURE_SUBSCRIPTION_ID='${SUB}'
AZURE_LOCATION='eastus2'
EOF_VALUES
  ;;
  *) echo "fake azd: $*" ;;
esac
`,
    );
    await script(
      "az",
      `case "$1 $2" in
  "account show") echo '{"id":"${SUB}"}' ;;
  "account get-access-token") echo 'h.eyJvaWQiOiJvYmotMSJ9.s' ;;
  "rest --method") echo '{"subscriptionPolicies":{"quotaId":"FreeTrial_2014-09-01","spendingLimit":"On"}}' ;;
  "cognitiveservices account") echo '${DELETED_AI}' ;;
  "cognitiveservices usage") echo '[]' ;;
  "role assignment") echo '[{"roleDefinitionName":"Owner","scope":"/subscriptions/${SUB}"}]' ;;
  *) echo "fake az: $*" >&2; exit 1 ;;
esac
`,
    );
    await script("docker", `echo "Cannot connect to the Docker daemon" >&2\nexit 1\n`);
    const run = (task: string, args: string[]) => runToolScript(dir, task, args);

    const deploy = await run("deploy", []);
    assert.equal(deploy.code, 1, deploy.stdout + deploy.stderr);
    assert.match(
      deploy.stdout,
      /✘ image build\s+Free Trial subscription refuses remote builds[\s\S]*Docker is not running/,
    );
    assert.match(deploy.stdout, /fix: Build locally: open the repository in its dev container/);

    const dry = await run("provision", ["--dry-run", "--purge-deleted"]);
    assert.equal(dry.code, 0, dry.stdout + dry.stderr);
    assert.match(
      dry.stdout,
      /✔ deleted AI account\s+ai-7hq2xk4tn3vbe \(deleted 2026-12-01 07:55 UTC\): purged before provisioning/,
    );
    assert.match(
      dry.stdout,
      /\$ az cognitiveservices account purge --location eastus2 \\\n[\s\S]*--name ai-7hq2xk4tn3vbe[\s\S]*\$ azd provision/,
    );
    const calls = (await Deno.readTextFile(`${dir}/calls.log`)).trim().split("\n");
    assert.deepEqual(
      calls.filter((l) => / (purge|recover|create|new|set|provision|deploy)\b/.test(l)),
      [],
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("seedEnvironment(): DefaultAzureCredential in the seed's environment never tries the app's managed identity", async () => {
  // The real @azure/identity chain, in a subprocess with only the environment the hook gives the
  // seed (no az or azd on the PATH, so every developer credential is unavailable at once).
  const values = { AZURE_CLIENT_ID: "3f9c0a51-mi-of-the-app", COSMOS_ENDPOINT: "https://c" };
  const attempt = async (env: Record<string, string>) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "eval",
        "--config",
        `${ROOT}deno.json`,
        `import { DefaultAzureCredential } from "@azure/identity";
         try { await new DefaultAzureCredential().getToken("https://cosmos.azure.com/.default"); }
         catch (e) { console.log(e.message); }`,
      ],
      cwd: ROOT,
      clearEnv: true,
      env: {
        PATH: "/nonexistent",
        HOME: Deno.env.get("HOME") ?? "/tmp",
        ...(Deno.env.get("DENO_DIR") ? { DENO_DIR: Deno.env.get("DENO_DIR")! } : {}),
        ...env,
      },
      stdout: "piped",
      stderr: "piped",
    }).output();
    return new TextDecoder().decode(out.stdout);
  };
  const { env } = seedEnvironment(values, { AZURE_CLIENT_ID: values.AZURE_CLIENT_ID });
  const seeded = await attempt(env);
  assert.match(seeded, /Azure Developer CLI/);
  assert.doesNotMatch(seeded, /ManagedIdentityCredential|EnvironmentCredential/);
  // The reference: with the app's AZURE_CLIENT_ID left in, the chain starts with the managed
  // identity (here it cannot reach an identity endpoint, which is the point of the fix).
  const unfixed = await attempt({ AZURE_CLIENT_ID: values.AZURE_CLIENT_ID });
  assert.match(unfixed, /ManagedIdentityCredential/);
});
