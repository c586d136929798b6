import assert from "node:assert/strict";
import { failureHints } from "./failure_hints.ts";

Deno.test("failureHints() reads the Azure error codes in azd's output", async (t) => {
  await t.step("a refused remote build, as azd deploy prints it", () => {
    const output = [
      "  (x) Failed: Deploying service api",
      "ERROR: failed deploying service 'api': POST https://management.azure.com/subscriptions/s/resourceGroups/rg-w/providers/Microsoft.ContainerRegistry/registries/crw/scheduleRun",
      "RESPONSE 400: 400 Bad Request",
      "ERROR CODE: TasksOperationsNotAllowed",
      '{ "error": { "code": "TasksOperationsNotAllowed", "message": "ACR Tasks requests for the registry crw are not permitted." } }',
    ].join("\n");
    const hints = failureHints(output);
    assert.deepEqual(hints.map((h) => h.code), ["TasksOperationsNotAllowed"]);
    assert.match(hints[0].hint, /Docker-in-Docker/);
  });
  await t.step("a soft-deleted account and a quota error in one deployment", () => {
    const output =
      'Inner Errors: {"code": "FlagMustBeSetForRestore", "message": "An existing resource ... has been soft-deleted."}\n' +
      '{"code":"InsufficientQuota","message":"This operation require 30 new capacity in quota Tokens Per Minute (thousands) - gpt-4.1"}';
    assert.deepEqual(failureHints(output).map((h) => h.code), [
      "FlagMustBeSetForRestore",
      "InsufficientQuota",
    ]);
  });
  await t.step("nothing known: no hint", () => {
    assert.deepEqual(
      failureHints("ERROR: deployment failed: Conflict\nNotTasksOperationsNotAllowedX"),
      [],
    );
  });
});
