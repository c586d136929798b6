import assert from "node:assert/strict";
import { blockingAccount, parseDeletedAccounts, purgeCommand, restoreCommands } from "./deleted.ts";

const SUB = "3d0e9b7a-1c2f-4a5b-8e6d-7f9a0b1c2d3e";
const LISTED = JSON.stringify([
  {
    id:
      `/subscriptions/${SUB}/providers/Microsoft.CognitiveServices/locations/eastus2/resourceGroups/rg-demo/deletedAccounts/ai-k2j4h6g8f0d1s`,
    name: "ai-k2j4h6g8f0d1s",
    location: "eastus2",
    kind: "AIServices",
    properties: {
      deletionDate: "2026-11-29T17:40:00Z",
      scheduledPurgeDate: "2026-12-01T17:40:00Z",
    },
  },
  // The shape of the REST reference's example: an accounts id, no location segment.
  {
    id:
      `/subscriptions/${SUB}/resourceGroups/rg-demo/providers/Microsoft.CognitiveServices/accounts/speech-old`,
    name: "speech-old",
    location: "East US 2",
    kind: "SpeechServices",
  },
  { name: "no-id", location: "westus" },
]);

Deno.test("parseDeletedAccounts() reads name, region and resource group from either id shape", () => {
  const accounts = parseDeletedAccounts(LISTED);
  assert.deepEqual(accounts.map((a) => [a.name, a.resourceGroup, a.location]), [
    ["ai-k2j4h6g8f0d1s", "rg-demo", "eastus2"],
    ["speech-old", "rg-demo", "East US 2"],
  ]);
  assert.equal(accounts[0].scheduledPurgeDate, "2026-12-01T17:40:00Z");
  assert.deepEqual(parseDeletedAccounts(JSON.stringify({ value: [] })), []);
});

Deno.test("blockingAccount() finds the account the next provision would name", async (t) => {
  const accounts = parseDeletedAccounts(LISTED);
  await t.step("by resource group and region, an ai- account only", () => {
    assert.equal(
      blockingAccount(accounts, { resourceGroup: "RG-Demo", location: "eastus2" })?.name,
      "ai-k2j4h6g8f0d1s",
    );
    assert.equal(
      blockingAccount(accounts, { resourceGroup: "rg-demo", location: "westus3" }),
      undefined,
    );
    assert.equal(
      blockingAccount(accounts, { resourceGroup: "rg-other", location: "eastus2" }),
      undefined,
    );
  });
  await t.step("by the name an earlier provision output", () => {
    assert.equal(
      blockingAccount(accounts, {
        resourceGroup: "rg-x",
        location: "eastus2",
        name: "AI-K2J4H6G8F0D1S",
      })?.name,
      "ai-k2j4h6g8f0d1s",
    );
  });
});

Deno.test("purgeCommand() and restoreCommands() are the az commands, the group made again before recovering", () => {
  const [account] = parseDeletedAccounts(LISTED);
  assert.deepEqual(purgeCommand(account, SUB), [
    ..."az cognitiveservices account purge --location eastus2 --resource-group rg-demo --name ai-k2j4h6g8f0d1s"
      .split(" "),
    "--subscription",
    SUB,
  ]);
  assert.deepEqual(restoreCommands(account).map((c) => c.join(" ")), [
    "az group create --name rg-demo --location eastus2",
    "az cognitiveservices account recover --location eastus2 --resource-group rg-demo --name ai-k2j4h6g8f0d1s",
  ]);
});
