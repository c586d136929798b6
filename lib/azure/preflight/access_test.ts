import assert from "node:assert/strict";
import {
  covers,
  grantingAssignment,
  parseRoleAssignments,
  registryId,
  REMOTE_BUILDERS,
  tokenObjectId,
} from "./access.ts";

const SUB = "/subscriptions/8c7b6a5d-4e3f-2a1b-0c9d-8e7f6a5b4c3d";

Deno.test("tokenObjectId() reads the oid claim of a base64url payload, and nothing of garbage", () => {
  // "?" and ">" make "/" and "+" in standard base64: the payload must be read as base64url.
  const claims = { oid: "2f1e0d9c-8b7a-4c6d-9e5f-a0b1c2d3e4f5", name: "Añna ??>>" };
  const bytes = new TextEncoder().encode(JSON.stringify(claims));
  const payload = btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_")
    .replace(/=+$/, "");
  assert.equal(tokenObjectId(`eyJhbGciOiJSUzI1NiJ9.${payload}.sig\n`), claims.oid);
  assert.equal(tokenObjectId("not-a-token"), undefined);
  assert.equal(tokenObjectId("a.%%%.c"), undefined);
  assert.equal(tokenObjectId(`a.${btoa('{"sub":"x"}')}.c`), undefined);
});

Deno.test("covers() and grantingAssignment() follow the scope hierarchy", () => {
  assert.ok(
    covers(SUB, `${SUB}/resourceGroups/rg-a/providers/Microsoft.ContainerRegistry/registries/cr1`),
  );
  assert.ok(covers(SUB.toUpperCase() + "/", SUB));
  assert.ok(!covers(`${SUB}/resourceGroups/rg-a`, `${SUB}/resourceGroups/rg-ab`));
  assert.ok(
    !covers(`${SUB}/resourceGroups/rg-a`, SUB),
    "a group role does not cover the subscription",
  );
  assert.ok(covers("/providers/Microsoft.Management/managementGroups/root", SUB));
  assert.ok(covers("/", SUB));
  const assignments = parseRoleAssignments(JSON.stringify([
    { roleDefinitionName: "AcrPush", scope: `${SUB}/resourceGroups/rg-a` },
    {
      roleDefinitionName: "Container Registry Tasks Contributor",
      scope: `${SUB}/resourceGroups/rg-b`,
    },
    { principalId: "no role name" },
  ]));
  assert.equal(assignments.length, 2);
  const reg = registryId(SUB.split("/")[2], "rg-b", "https://crabc.azurecr.io");
  assert.equal(
    reg,
    `${SUB}/resourceGroups/rg-b/providers/Microsoft.ContainerRegistry/registries/crabc`,
  );
  assert.equal(
    grantingAssignment(assignments, REMOTE_BUILDERS, reg)?.role,
    "Container Registry Tasks Contributor",
  );
  assert.equal(
    grantingAssignment(assignments, REMOTE_BUILDERS, reg.replace("rg-b", "rg-a")),
    undefined,
  );
});
