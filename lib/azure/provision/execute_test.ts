import assert from "node:assert/strict";
import { azdEnvBlock, withAzdBlock } from "../azd_env.ts";
import { executePlan } from "./execute.ts";
import { planDeploy, planTeardown } from "./plan.ts";
import type { AzureTarget } from "../preflight/preflight.ts";
import { createFakeRunner } from "../runner.ts";

const target: AzureTarget = { envName: "dev", envExists: true, values: {} };

Deno.test("executePlan() runs the commands in order and stops at the first failure", async () => {
  const runner = createFakeRunner({ "azd deploy": { code: 1, stderr: "ERROR: build failed\n" } });
  const steps: string[] = [];
  const result = await executePlan(planDeploy(target), {
    runner,
    onStep: (step) => steps.push(step.kind),
  });
  assert.equal(result.ok, false);
  assert.deepEqual(steps, ["command"], "the smoke test never ran");
  assert.match(result.results[0].detail, /exited 1: ERROR: build failed/);
  assert.deepEqual(runner.calls[0].env, { CONTOSO_SMOKE_BY_TASK: "1" });
});

Deno.test("executePlan() smoke-tests the URL resolved after deploying", async () => {
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen() {} },
    () =>
      Response.json({
        question: "q",
        answer: "Hello Jane, try the Summit Dome 2 Tent [1].",
        context: [{ id: "1" }],
      }),
  );
  try {
    const result = await executePlan(planDeploy(target), {
      runner: createFakeRunner({ "azd deploy": {} }),
      resolveSmokeUrl: () => Promise.resolve(`http://127.0.0.1:${server.addr.port}`),
    });
    assert.equal(result.ok, true);
    assert.equal(result.results[1].smoke?.status, 200);
    assert.deepEqual(result.results[1].smoke?.contextIds, ["1"]);
  } finally {
    await server.shutdown();
  }
});

Deno.test("executePlan() of a teardown removes only the azd block of .env", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/.env`;
    await Deno.writeTextFile(
      path,
      withAzdBlock("MINE=1\n", azdEnvBlock("dev", { COSMOS_DATABASE: "db" })),
    );
    const runner = createFakeRunner({ "azd down": {} });
    const result = await executePlan(planTeardown(target, { dotEnvPath: path }), { runner });
    assert.equal(result.ok, true);
    assert.equal(await Deno.readTextFile(path), "MINE=1\n");
    assert.deepEqual(runner.commandLines(), [
      "azd down --environment dev --force --purge --no-prompt",
    ]);
    // Only the block left: the file goes.
    await Deno.writeTextFile(path, azdEnvBlock("dev", { COSMOS_DATABASE: "db" }));
    await executePlan(planTeardown(target, { dotEnvPath: path }), { runner });
    await assert.rejects(Deno.stat(path), Deno.errors.NotFound);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
