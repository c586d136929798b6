import assert from "node:assert/strict";
import { AZURE_VARIABLES } from "../../config/variables.ts";
import { DEPLOYMENT_OUTPUTS } from "../infra.ts";
import { formatPreflight, runPreflight } from "./preflight.ts";
import { createFakeRunner, type FakeAnswer } from "../runner.ts";

const SUB = "00000000-1111-2222-3333-444444444444";
const provisioned = [...AZURE_VARIABLES, ...DEPLOYMENT_OUTPUTS.map((o) => o.name)]
  .map((n) => `${n}="x"`).join("\n");

function azd(extra: Record<string, FakeAnswer> = {}) {
  return createFakeRunner({
    "azd version": { stdout: "azd version 1.20.0 (commit abc)\n" },
    "azd auth login --check-status": { stdout: "Logged in to Azure as learner@contoso.com\n" },
    "azd env list --output json": { stdout: "[]" },
    ...extra,
  });
}

function check(result: Awaited<ReturnType<typeof runPreflight>>, name: string) {
  const found = result.checks.find((c) => c.name === name);
  assert.ok(found, name);
  return found;
}

Deno.test("runPreflight() without azd: says how to install it, skips the login check", async () => {
  const result = await runPreflight("provision", { runner: createFakeRunner(), env: {} });
  assert.equal(result.ok, false);
  const installed = check(result, "azd installed");
  assert.equal(installed.ok, false);
  assert.match(installed.fix!, /install-azd/);
  assert.equal(check(result, "signed in to Azure").skipped, true);
  assert.match(
    formatPreflight(result),
    /✘ azd installed[\s\S]*fix: Install the Azure Developer CLI/,
  );
});

Deno.test("runPreflight('provision') checks sign-in, name, region and subscription, each with a fix", async (t) => {
  await t.step("not signed in", async () => {
    const result = await runPreflight("provision", {
      runner: azd({
        "azd auth login --check-status": {
          code: 1,
          stdout: "Not logged in, run `azd auth login` to login to Azure",
        },
      }),
      env: { AZURE_ENV_NAME: "dev", AZURE_LOCATION: "eastus2", AZURE_SUBSCRIPTION_ID: SUB },
    });
    assert.equal(result.ok, false);
    assert.match(check(result, "signed in to Azure").fix!, /azd auth login/);
  });
  await t.step("nothing chosen", async () => {
    const result = await runPreflight("provision", { runner: azd(), env: {} });
    assert.deepEqual(
      result.checks.filter((c) => !c.ok).map((c) => c.name),
      ["azd environment", "region", "subscription"],
    );
    assert.match(check(result, "region").fix!, /--location eastus2/);
    assert.match(check(result, "subscription").fix!, /--subscription/);
  });
  await t.step("a region without the models or the semantic ranker", async () => {
    const result = await runPreflight("provision", {
      runner: azd(),
      env: { AZURE_SUBSCRIPTION_ID: SUB },
      envName: "dev",
      location: "Brazil South",
    });
    const region = check(result, "region");
    assert.equal(region.ok, false);
    assert.match(region.detail, /brazilsouth/);
    assert.match(region.fix!, /swedencentral/);
  });
  await t.step("an invalid environment name", async () => {
    const result = await runPreflight("provision", { runner: azd(), envName: "my env!" });
    assert.match(check(result, "azd environment").detail, /not a valid name/);
  });
  await t.step("all good: flags win over the process environment", async () => {
    const result = await runPreflight("provision", {
      runner: azd(),
      env: { AZURE_ENV_NAME: "other", AZURE_LOCATION: "westus", AZURE_SUBSCRIPTION_ID: SUB },
      envName: "dev",
      location: "East US 2",
    });
    assert.equal(result.ok, true, formatPreflight(result));
    assert.deepEqual(
      {
        env: result.target.envName,
        loc: result.target.location,
        sub: result.target.subscriptionId,
      },
      { env: "dev", loc: "eastus2", sub: SUB },
    );
    assert.equal(result.target.envExists, false);
  });
});

Deno.test("runPreflight() reads an existing azd environment (azd's default when none is named)", async () => {
  const runner = azd({
    "azd env list --output json": {
      stdout: JSON.stringify([{ Name: "old", IsDefault: false }, { Name: "dev", IsDefault: true }]),
    },
    "azd env get-values --environment dev": {
      stdout: `AZURE_LOCATION="swedencentral"\nAZURE_SUBSCRIPTION_ID="${SUB}"\n`,
    },
  });
  const result = await runPreflight("provision", { runner, env: {} });
  assert.equal(result.ok, true, formatPreflight(result));
  assert.equal(result.target.envName, "dev");
  assert.equal(result.target.envExists, true);
  assert.equal(result.target.location, "swedencentral");
  assert.ok(
    runner.commandLines().every((l) => !/ (new|set|select|provision|deploy|down)\b/.test(l)),
    "read-only",
  );
});

Deno.test("runPreflight('deploy') needs a provisioned environment", async (t) => {
  const envList = { stdout: JSON.stringify([{ Name: "dev", IsDefault: true }]) };
  await t.step("not provisioned yet", async () => {
    const result = await runPreflight("deploy", {
      runner: azd({
        "azd env list --output json": envList,
        "azd env get-values --environment dev": { stdout: 'AZURE_LOCATION="eastus2"\n' },
      }),
    });
    const provisionedCheck = check(result, "provisioned");
    assert.equal(provisionedCheck.ok, false);
    assert.match(provisionedCheck.detail, /AZURE_OPENAI_ENDPOINT/);
    assert.match(provisionedCheck.detail, /SERVICE_API_URI/);
    assert.match(provisionedCheck.fix!, /deno task provision --env dev/);
  });
  await t.step("unknown environment", async () => {
    const result = await runPreflight("deploy", { runner: azd(), envName: "ghost" });
    assert.match(check(result, "azd environment").fix!, /deno task provision --env ghost/);
  });
  await t.step("provisioned", async () => {
    const result = await runPreflight("deploy", {
      runner: azd({
        "azd env list --output json": envList,
        "azd env get-values --environment dev": { stdout: provisioned },
      }),
    });
    assert.equal(result.ok, true, formatPreflight(result));
  });
});

Deno.test("runPreflight('teardown') needs only azd, sign-in and an existing environment", async () => {
  const result = await runPreflight("teardown", {
    runner: azd({
      "azd env list --output json": { stdout: JSON.stringify([{ Name: "dev", IsDefault: true }]) },
      "azd env get-values --environment dev": { stdout: 'AZURE_RESOURCE_GROUP="rg-dev"' },
    }),
  });
  assert.equal(result.ok, true, formatPreflight(result));
  assert.deepEqual(result.checks.map((c) => c.name), [
    "azd installed",
    "signed in to Azure",
    "azd environment",
  ]);
});
