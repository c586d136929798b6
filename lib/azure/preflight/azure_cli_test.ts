import assert from "node:assert/strict";
import { formatPreflight, type PreflightResult, runPreflight } from "./preflight.ts";
import { createFakeRunner, type FakeAnswer } from "../runner.ts";

const SUB = "6a1f3c2e-0d4b-4e8a-9c71-2b5d8e0f4a13";
const OID = "9e2b7c41-5a0d-4f36-8b1e-c3d4a5f60718";
// A token as az prints it: header.payload.signature, the payload carrying the oid claim.
const TOKEN = `eyJ0eXAiOiJKV1QifQ.${
  btoa(JSON.stringify({ oid: OID, upn: "learner@fabrikam.example" })).replace(/=+$/, "")
}.c2lnbmF0dXJl`;

/** Usages of a region as `az cognitiveservices usage list -o json` prints them. */
function usages(used: Record<string, [number, number]>) {
  return JSON.stringify(
    Object.entries(used).map(([name, [current, limit]]) => ({
      currentValue: current,
      limit,
      name: { localizedValue: `Tokens Per Minute (thousands) - ${name}`, value: name },
      quotaPeriod: null,
      unit: "Count",
    })),
  );
}

const ROOMY = usages({
  "OpenAI.GlobalStandard.gpt4.1-mini": [0, 2000],
  "OpenAI.GlobalStandard.gpt4.1": [120, 1000],
  "OpenAI.GlobalStandard.text-embedding-3-small": [0, 1000],
  "OpenAI.Standard.gpt-4o": [0, 50],
});

function roles(...rows: [string, string][]) {
  return {
    stdout: JSON.stringify(rows.map(([role, scope]) => ({
      principalId: OID,
      principalType: "User",
      roleDefinitionName: role,
      scope,
    }))),
  };
}

const signedIn: Record<string, FakeAnswer> = {
  "azd version": { stdout: "azd version 1.21.0 (commit 1111111)" },
  "azd auth login --check-status": { stdout: "Logged in to Azure as learner@fabrikam.example" },
  "azd env list --output json": { stdout: "[]" },
  "az account show": { stdout: JSON.stringify({ id: SUB, user: { type: "user" } }) },
  "az account get-access-token": { stdout: `${TOKEN}\n` },
  "az cognitiveservices account list-deleted": { stdout: "[]" },
  "az cognitiveservices usage list": { stdout: ROOMY },
  "az role assignment list": roles(["Owner", `/subscriptions/${SUB}`]),
};

function provision(answers: Record<string, FakeAnswer>, extra = {}) {
  const runner = createFakeRunner({ ...signedIn, ...answers });
  return {
    runner,
    result: runPreflight("provision", {
      runner,
      envName: "wks-07",
      location: "swedencentral",
      subscriptionId: SUB,
      ...extra,
    }),
  };
}

function row(result: PreflightResult, name: string) {
  const found = result.checks.find((c) => c.name === name);
  assert.ok(found, `${name} in ${formatPreflight(result)}`);
  return found;
}

Deno.test("runPreflight('provision') with az: deleted account, quota and permissions all pass", async () => {
  const { runner, result } = provision({});
  const got = await result;
  assert.equal(got.ok, true, formatPreflight(got));
  assert.match(row(got, "model quota").detail, /gpt-4\.1-mini 30K of 2000K TPM free/);
  assert.match(row(got, "model quota").detail, /gpt-4\.1 30K of 880K TPM free/);
  assert.match(row(got, "permissions").detail, /Owner on the subscription/);
  assert.match(
    row(got, "deleted AI account").detail,
    /none in the way \(rg-wks-07, swedencentral\)/,
  );
  const az = runner.commandLines().filter((l) => l.startsWith("az "));
  assert.ok(az.every((l) => l.endsWith(`--subscription ${SUB}`)), az.join("\n"));
  assert.ok(
    az.includes(
      `az cognitiveservices usage list --location swedencentral --output json --subscription ${SUB}`,
    ),
  );
  assert.ok(
    az.some((l) =>
      l.includes(
        `role assignment list --assignee ${OID} --scope /subscriptions/${SUB} --include-inherited --include-groups`,
      )
    ),
  );
  assert.ok(az.every((l) => !/ (create|delete|purge|recover|set)\b/.test(l)), "read-only");
});

Deno.test("runPreflight('provision') finds the soft-deleted AI Services account in the way and offers purge or restore", async (t) => {
  const deleted = {
    stdout: JSON.stringify([
      {
        id:
          `/subscriptions/${SUB}/providers/Microsoft.CognitiveServices/locations/swedencentral/resourceGroups/rg-other/deletedAccounts/ai-zzz`,
        name: "ai-zzz",
        location: "swedencentral",
        kind: "AIServices",
        properties: { deletionDate: "2026-11-30T09:12:44Z" },
      },
      {
        id:
          `/subscriptions/${SUB}/providers/Microsoft.CognitiveServices/locations/swedencentral/resourceGroups/RG-WKS-07/deletedAccounts/ai-q3kd8x2mvo7ta`,
        name: "ai-q3kd8x2mvo7ta",
        location: "swedencentral",
        kind: "AIServices",
        properties: {
          deletionDate: "2026-12-01T08:03:10.2Z",
          scheduledPurgeDate: "2026-12-03T08:03:10.2Z",
        },
      },
    ]),
  };
  await t.step("without a flag: a failure with both ways out", async () => {
    const got = await provision({ "az cognitiveservices account list-deleted": deleted }).result;
    assert.equal(got.ok, false);
    const check = row(got, "deleted AI account");
    assert.match(
      check.detail,
      /ai-q3kd8x2mvo7ta in RG-WKS-07 \(deleted 2026-12-01 08:03 UTC\) is soft-deleted/,
    );
    assert.match(check.fix!, /deno task provision --env wks-07 --purge-deleted/);
    assert.match(check.fix!, /--restore-deleted/);
    assert.match(
      check.fix!,
      new RegExp(
        `az cognitiveservices account purge --location swedencentral --resource-group RG-WKS-07 --name ai-q3kd8x2mvo7ta --subscription ${SUB}`,
      ),
    );
    assert.match(check.fix!, /az group create --name RG-WKS-07 --location swedencentral/);
    assert.equal(got.target.deletedAiAccount?.name, "ai-q3kd8x2mvo7ta");
  });
  await t.step("with --purge-deleted: passes, and says what will happen", async () => {
    const got = await provision({ "az cognitiveservices account list-deleted": deleted }, {
      deletedAccount: "purge",
    }).result;
    assert.equal(got.ok, true, formatPreflight(got));
    assert.match(
      row(got, "deleted AI account").detail,
      /ai-q3kd8x2mvo7ta.*purged before provisioning/,
    );
  });
  await t.step("by the name an earlier provision output, for the same region only", async () => {
    const earlier = {
      "azd env list --output json": {
        stdout: JSON.stringify([{ Name: "wks-07", IsDefault: true }]),
      },
      "azd env get-values": {
        stdout: [
          'AZURE_LOCATION="swedencentral"',
          // A resource group renamed by hand in the azd environment: the name still matches.
          'AZURE_RESOURCE_GROUP="rg-moved"',
          'AZURE_OPENAI_ENDPOINT="https://ai-zzz.openai.azure.com"',
        ].join("\n"),
      },
      "az cognitiveservices account list-deleted": deleted,
    };
    const same = await provision(earlier).result;
    assert.match(row(same, "deleted AI account").detail, /^ai-zzz in rg-other/);
    const moved = await provision(earlier, { location: "eastus2" }).result;
    assert.equal(row(moved, "deleted AI account").ok, true, "another region hashes another name");
  });
  await t.step("another region's account of the same group is not in the way", async () => {
    const got = await provision({ "az cognitiveservices account list-deleted": deleted }, {
      location: "eastus2",
    }).result;
    assert.equal(row(got, "deleted AI account").ok, true);
  });
});

Deno.test("runPreflight('provision') stops when a model's regional quota is short", async () => {
  const got = await provision({
    "az cognitiveservices usage list": {
      stdout: usages({
        "OpenAI.GlobalStandard.gpt4.1-mini": [0, 1000],
        "OpenAI.GlobalStandard.gpt4.1": [995, 1000],
        "OpenAI.GlobalStandard.text-embedding-3-small": [0, 1000],
      }),
    },
  }).result;
  assert.equal(got.ok, false);
  const quota = row(got, "model quota");
  assert.equal(quota.warn, undefined);
  assert.match(quota.detail, /gpt-4\.1 needs 30K TPM, 5K free of 1000K/);
  assert.doesNotMatch(quota.detail, /gpt-4\.1-mini needs/);
  assert.match(quota.fix!, /aka\.ms\/oai\/quotaincrease/);

  // Re-running an unfinished provision: its own deployments may be part of the usage.
  const again = await provision({
    "azd env list --output json": {
      stdout: JSON.stringify([{ Name: "wks-07", IsDefault: false }]),
    },
    "azd env get-values": { stdout: 'AZURE_LOCATION="swedencentral"\n' },
    "az cognitiveservices usage list": {
      stdout: usages({
        "OpenAI.GlobalStandard.gpt4.1-mini": [30, 40],
        "OpenAI.GlobalStandard.gpt4.1": [0, 1000],
        "OpenAI.GlobalStandard.text-embedding-3-small": [0, 1000],
      }),
    },
  }).result;
  const partly = row(again, "model quota");
  assert.equal(partly.warn, true);
  assert.match(partly.detail, /unfinished provision may hold part of it/);
  assert.equal(again.ok, true);
});

Deno.test("runPreflight('provision') warns when roles are missing or az cannot answer", async (t) => {
  await t.step("Contributor only: no role assignments", async () => {
    const got = await provision({
      "az role assignment list": roles(
        ["Contributor", `/subscriptions/${SUB}`],
        ["Reader", "/providers/Microsoft.Management/managementGroups/fabrikam"],
      ),
    }).result;
    const perms = row(got, "permissions");
    assert.equal(perms.ok, false);
    assert.equal(perms.warn, true);
    assert.equal(got.ok, true, "a warning does not stop the task");
    assert.match(perms.detail, /User Access Administrator or Owner/);
    assert.doesNotMatch(perms.detail, /Contributor \(create/);
    assert.match(
      perms.fix!,
      new RegExp(`--assignee ${OID} --role Owner --scope /subscriptions/${SUB}`),
    );
    assert.match(formatPreflight(got), /! permissions/);
  });
  await t.step("roles through a management group and a group count", async () => {
    const got = await provision({
      "az role assignment list": roles(
        ["contributor", "/providers/Microsoft.Management/managementGroups/fabrikam"],
        ["User Access Administrator", `/subscriptions/${SUB.toUpperCase()}`],
      ),
    }).result;
    assert.equal(row(got, "permissions").ok, true, formatPreflight(got));
  });
  await t.step("a role on another subscription does not", async () => {
    const got = await provision({
      "az role assignment list": roles([
        "Owner",
        "/subscriptions/00000000-0000-0000-0000-000000000000",
      ]),
    }).result;
    assert.equal(row(got, "permissions").ok, false);
  });
  await t.step("az signed out: one warning row, nothing else asked", async () => {
    const { runner, result } = provision({
      "az account show": { code: 1, stderr: "ERROR: Please run 'az login' to setup account.\n" },
    });
    const got = await result;
    assert.equal(got.ok, true);
    const cli = row(got, "Azure CLI");
    assert.equal(cli.warn, true);
    assert.match(cli.detail, /Please run 'az login'/);
    assert.match(cli.fix!, /az login --use-device-code/);
    assert.equal(runner.commandLines().filter((l) => l.startsWith("az ")).length, 1);
  });
  await t.step("the region lists no quota for a model: a warning", async () => {
    const got = await provision({
      "az cognitiveservices usage list": {
        stdout: usages({ "OpenAI.GlobalStandard.gpt4.1-mini": [0, 1000] }),
      },
    }).result;
    const quota = row(got, "model quota");
    assert.equal(quota.warn, true);
    assert.match(quota.detail, /text-embedding-3-small 30K TPM \(no quota listed\)/);
  });
});

const DEPLOYED = [
  'AZURE_RESOURCE_GROUP="rg-wks-07"',
  `AZURE_SUBSCRIPTION_ID="${SUB}"`,
  'AZURE_CONTAINER_REGISTRY_ENDPOINT="crq3kd8x2mvo7ta.azurecr.io"',
].join("\n");

function deploy(answers: Record<string, FakeAnswer>) {
  const runner = createFakeRunner({
    ...signedIn,
    "azd env list --output json": { stdout: JSON.stringify([{ Name: "wks-07", IsDefault: true }]) },
    "azd env get-values": { stdout: DEPLOYED },
    ...answers,
  });
  // Only the Azure CLI rows: the "provisioned" row needs every output, which is not the point here.
  return runPreflight("deploy", { runner }).then((r) => ({ r, runner }));
}

const subscription = (quotaId: string) => ({
  stdout: JSON.stringify({
    id: `/subscriptions/${SUB}`,
    subscriptionId: SUB,
    state: "Enabled",
    subscriptionPolicies: {
      locationPlacementId: "Public_2014-09-01",
      quotaId,
      spendingLimit: "On",
    },
  }),
});

Deno.test("azureCliChecks('deploy'): a Free Trial subscription needs Docker for the local build", async (t) => {
  const { azureCliChecks } = await import("./azure_cli.ts");
  const target = {
    envName: "wks-07",
    envExists: true,
    subscriptionId: SUB,
    values: Object.fromEntries(DEPLOYED.split("\n").map((l) => l.replaceAll('"', "").split("="))),
  };
  const check = async (answers: Record<string, FakeAnswer>) => {
    const runner = createFakeRunner({ ...signedIn, ...answers });
    const { checks } = await azureCliChecks("deploy", target, { runner });
    return { checks, runner, build: checks.find((c) => c.name === "image build")! };
  };
  await t.step("Free Trial and no Docker: fails with what to do", async () => {
    const { build, runner, checks } = await check({
      "az rest": subscription("FreeTrial_2014-09-01"),
    });
    assert.equal(build.ok, false);
    assert.ok(
      !checks.some((c) => c.name === "remote-build permission"),
      "no remote build to permit",
    );
    assert.equal(build.warn, undefined);
    assert.match(build.detail, /TasksOperationsNotAllowed/);
    assert.match(build.detail, /no Docker on the PATH/);
    assert.match(build.fix!, /dev container or Codespace \(Docker-in-Docker\)/);
    assert.ok(
      runner.commandLines().includes(
        `az rest --method get --url https://management.azure.com/subscriptions/${SUB}?api-version=2022-12-01 --output json --subscription ${SUB}`,
      ),
    );
  });
  await t.step("Free Trial with Docker running: passes, building locally", async () => {
    const { build } = await check({
      "az rest": subscription("FreeTrial_2014-09-01"),
      "docker info": { stdout: "27.3.1\n" },
    });
    assert.equal(build.ok, true);
    assert.match(build.detail, /builds locally with Docker 27\.3\.1/);
  });
  await t.step("pay-as-you-go without Docker: remote build, fine", async () => {
    const { build } = await check({ "az rest": subscription("PayAsYouGo_2014-09-01") });
    assert.equal(build.ok, true);
    assert.match(build.detail, /remote build in the registry/);
  });
  await t.step("Docker installed but its daemon down, offer unknown: a warning", async () => {
    const { build } = await check({
      "az rest": { code: 1, stderr: "ERROR: AuthorizationFailed" },
      "docker info": { code: 1, stderr: "Cannot connect to the Docker daemon" },
    });
    assert.equal(build.warn, true);
    assert.match(build.detail, /Docker is not running/);
  });
  await t.step("remote-build permission is read over the registry", async () => {
    const registry =
      `/subscriptions/${SUB}/resourceGroups/rg-wks-07/providers/Microsoft.ContainerRegistry/registries/crq3kd8x2mvo7ta`;
    const pushOnly = await check({
      "az rest": subscription("PayAsYouGo_2014-09-01"),
      "az role assignment list": roles(["AcrPush", registry], ["Reader", `/subscriptions/${SUB}`]),
    });
    const perm = pushOnly.checks.find((c) => c.name === "remote-build permission")!;
    assert.equal(perm.warn, true);
    assert.match(perm.detail, /AcrPush is not enough/);
    assert.match(perm.fix!, new RegExp(`--role Contributor --scope ${registry}`));
    assert.ok(
      pushOnly.runner.commandLines().some((l) =>
        l.includes(`--scope ${registry} --include-inherited`)
      ),
    );
    const rgContributor = await check({
      "az role assignment list": roles([
        "Contributor",
        `/subscriptions/${SUB}/resourceGroups/rg-wks-07`,
      ]),
    });
    assert.equal(rgContributor.checks.find((c) => c.name === "remote-build permission")!.ok, true);
  });
});

Deno.test("runPreflight('deploy') runs the build check only for a provisioned environment", async () => {
  const { r } = await deploy({});
  assert.ok(!r.checks.some((c) => c.name === "image build"), formatPreflight(r));
});
