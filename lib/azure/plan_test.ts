import assert from "node:assert/strict";
import { AZURE_VARIABLES } from "../config/variables.ts";
import { INFRA_RESOURCES } from "./infra.ts";
import {
  formatPlan,
  planDeploy,
  planProvision,
  planTeardown,
  shellLine,
  SMOKE_BY_TASK,
} from "./plan.ts";
import type { AzureTarget } from "./preflight.ts";

const target = (over: Partial<AzureTarget> = {}): AzureTarget => ({
  envName: "dev",
  envExists: false,
  location: "eastus2",
  subscriptionId: "sub-1",
  values: {},
  ...over,
});

function commands(plan: ReturnType<typeof planProvision>): string[] {
  return plan.steps.flatMap((s) => s.kind === "command" ? [shellLine(s.command)] : [`(${s.kind})`]);
}

Deno.test("planProvision() creates a new environment, sets region and subscription, then azd provision", () => {
  const plan = planProvision(target());
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
    target({ envExists: true, values: { AZURE_RESOURCE_GROUP: "rg-custom" } }),
  );
  assert.equal(commands(plan)[0], "azd env select dev");
  assert.equal(plan.resourceGroup, "rg-custom");
});

Deno.test("planDeploy() deploys the api service, then smoke-tests SERVICE_API_URI", () => {
  const plan = planDeploy(
    target({ envExists: true, values: { SERVICE_API_URI: "https://ca.example" } }),
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
  const plan = planTeardown(target({ envExists: true }), { dotEnvPath: "/tmp/x/.env" });
  assert.deepEqual(commands(plan), [
    "azd down --environment dev --force --purge --no-prompt",
    "(remove-env-block)",
  ]);
});

Deno.test("formatPlan() prints each command, resource with its API version, the environment and notes", () => {
  const text = formatPlan(planProvision(target()));
  assert.match(
    text,
    /Plan for provision of azd environment "dev" in eastus2 \(subscription sub-1\)/,
  );
  assert.match(text, /\$ azd provision --environment dev --no-prompt/);
  assert.match(text, /Microsoft\.App\/containerApps@2025-01-01/);
  assert.match(text, /APPLICATIONINSIGHTS_CONNECTION_STRING \(secret\)/);
  assert.match(formatPlan(planDeploy(target())), /\$ CONTOSO_SMOKE_BY_TASK=1 azd deploy api/);
  assert.match(formatPlan(planDeploy(target())), /POST <SERVICE_API_URI>\/api\/create_response/);
  assert.match(formatPlan(planTeardown(target())), /Deleted resources/);
});

Deno.test("shellLine() quotes what a shell would split or expand", () => {
  assert.equal(
    shellLine(["azd", "env", "set", "X", "a b", "it's"]),
    `azd env set X 'a b' 'it'\\''s'`,
  );
});
