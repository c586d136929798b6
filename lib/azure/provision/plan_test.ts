import assert from "node:assert/strict";
import { AZURE_VARIABLES } from "../../config/variables.ts";
import { INFRA_RESOURCES } from "../infra.ts";
import { shellLine } from "../runner.ts";
import { formatPlan } from "./format_plan.ts";
import { planDeploy, planProvision, planTeardown, SMOKE_BY_TASK } from "./plan.ts";
import { testTarget } from "./_test_target.ts";

function commands(plan: ReturnType<typeof planProvision>): string[] {
  return plan.steps.flatMap((s) => s.kind === "command" ? [shellLine(s.command)] : [`(${s.kind})`]);
}

Deno.test("planProvision() creates a new environment, sets region and subscription, then azd provision", () => {
  const plan = planProvision(testTarget());
  assert.deepEqual(commands(plan), [
    "azd env new dev --no-prompt",
    "azd env set AZURE_LOCATION eastus2 -e dev",
    "azd env set AZURE_SUBSCRIPTION_ID sub-1 -e dev",
    "azd provision --environment dev --no-prompt",
  ]);
  assert.equal(plan.resourceGroup, "rg-dev");
  assert.equal(plan.resources.length, INFRA_RESOURCES.length);
  assert.deepEqual(plan.environment.map((e) => e.name), [...AZURE_VARIABLES]);
  assert.equal(plan.environment.find((e) => e.name === "AZURE_CLIENT_ID")?.local, false);
  assert.equal(
    plan.environment.find((e) => e.name === "APPLICATIONINSIGHTS_CONNECTION_STRING")?.secret,
    true,
  );
});

Deno.test("planProvision() selects an existing environment", () => {
  const plan = planProvision(
    testTarget({ envExists: true, values: { AZURE_RESOURCE_GROUP: "rg-custom" } }),
  );
  assert.equal(commands(plan)[0], "azd env select dev");
  assert.equal(plan.resourceGroup, "rg-custom");
});

Deno.test("planDeploy() deploys the api service, then smoke-tests SERVICE_API_URI", () => {
  const plan = planDeploy(
    testTarget({ envExists: true, values: { SERVICE_API_URI: "https://ca.example" } }),
  );
  assert.deepEqual(commands(plan), ["azd deploy api --environment dev --no-prompt", "(smoke)"]);
  const [deploy, smoke] = plan.steps;
  assert.equal(deploy.kind === "command" && deploy.env?.[SMOKE_BY_TASK], "1");
  assert.equal(smoke.kind === "smoke" && smoke.url, "https://ca.example");
  assert.deepEqual(plan.resources.map((r) => r.type), [
    "Microsoft.ContainerRegistry/registries",
    "Microsoft.App/containerApps",
  ]);
});

Deno.test("planTeardown() purges with azd down, then removes the .env block", () => {
  const plan = planTeardown(testTarget({ envExists: true }), { dotEnvPath: "/tmp/x/.env" });
  assert.deepEqual(commands(plan), [
    "azd down --environment dev --force --purge --no-prompt",
    "(remove-env-block)",
  ]);
});

Deno.test("planProvision() shows the Foundry project: a note before it exists, portal links after", async (t) => {
  await t.step("first provision: resources and a note, no links yet", () => {
    const plan = planProvision(testTarget());
    const types = plan.resources.map((r) => r.type);
    assert.ok(types.includes("Microsoft.CognitiveServices/accounts/projects"));
    assert.deepEqual(plan.portal, []);
    assert.ok(plan.notes.some((n) => /Foundry project .*listed once it exists/.test(n)));
    assert.doesNotMatch(formatPlan(plan), /Azure AI Foundry portal:/);
  });
  await t.step("re-provision: the project's overview, evaluation and tracing pages", () => {
    const id = "/subscriptions/sub-1/resourceGroups/rg-dev/providers/" +
      "Microsoft.CognitiveServices/accounts/ai-q1/projects/contoso-chat";
    const plan = planProvision(
      testTarget({ envExists: true, values: { AZURE_AI_PROJECT_ID: id } }),
    );
    assert.deepEqual(
      plan.portal.map((l) => new URL(l.url).pathname),
      ["/foundryProject/overview", "/foundryProject/evaluation", "/foundryProject/tracing"],
    );
    const text = formatPlan(plan);
    assert.match(text, /Azure AI Foundry portal:/);
    // Each address is on a line of its own, whole, so it can be copied from the text.
    for (const link of plan.portal) {
      assert.ok(text.split("\n").some((line) => line.trim() === link.url), link.url);
    }
  });
  await t.step("the deploy plan links the tracing view too; teardown links nothing", () => {
    const values = {
      AZURE_SUBSCRIPTION_ID: "sub-1",
      AZURE_RESOURCE_GROUP: "rg-dev",
      AZURE_AI_ACCOUNT_NAME: "ai-q1",
      AZURE_AI_PROJECT_NAME: "contoso-chat",
    };
    const deploy = planDeploy(testTarget({ envExists: true, values }));
    assert.ok(deploy.portal.some((l) => l.url.includes("/foundryProject/tracing?")));
    assert.deepEqual(planTeardown(testTarget({ envExists: true, values })).portal, []);
  });
});
