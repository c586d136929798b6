import assert from "node:assert/strict";
import type { DeletedAccount } from "../preflight/deleted.ts";
import { withDeletedAccountSteps } from "./deleted_account.ts";
import { planDeploy, planProvision } from "./plan.ts";

const SUB = "3d0e9b7a-1c2f-4a5b-8e6d-7f9a0b1c2d3e";
const ACCOUNT: DeletedAccount = {
  name: "ai-k2j4h6g8f0d1s",
  location: "eastus2",
  resourceGroup: "rg-demo",
  kind: "AIServices",
};
const TARGET = {
  envName: "demo",
  envExists: true,
  location: "eastus2",
  subscriptionId: SUB,
  values: {},
};

Deno.test("withDeletedAccountSteps() puts the steps right before azd provision", async (t) => {
  const plan = planProvision(TARGET);
  const lines = (p: typeof plan) =>
    p.steps.map((s) => s.kind === "command" ? s.command.slice(0, 4).join(" ") : s.kind);
  await t.step("purge: one step", () => {
    const purged = lines(withDeletedAccountSteps(plan, ACCOUNT, "purge", SUB));
    const at = purged.findIndex((l) => l.startsWith("azd provision"));
    assert.equal(purged[at - 1], "az cognitiveservices account purge");
    assert.equal(purged.length, plan.steps.length + 1);
  });
  await t.step("restore: the resource group again, then the recovery", () => {
    const restored = lines(withDeletedAccountSteps(plan, ACCOUNT, "restore", SUB));
    const r = restored.findIndex((l) => l.startsWith("azd provision"));
    assert.deepEqual(restored.slice(r - 2, r), [
      "az group create --name",
      "az cognitiveservices account recover",
    ]);
    assert.equal(restored.length, plan.steps.length + 2);
  });
  await t.step("the plan it was given is left as it was", () => {
    const before = JSON.stringify(plan);
    withDeletedAccountSteps(plan, ACCOUNT, "purge", SUB);
    assert.equal(JSON.stringify(plan), before);
  });
  await t.step("a plan without azd provision gets them at the end", () => {
    const deploy = planDeploy(TARGET);
    const steps = withDeletedAccountSteps(deploy, ACCOUNT, "purge").steps;
    assert.equal(steps.length, deploy.steps.length + 1);
    const last = steps.at(-1);
    assert.ok(last?.kind === "command" && last.command.join(" ").includes("purge"));
  });
});
