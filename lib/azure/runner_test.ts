import assert from "node:assert/strict";
import { createCommandRunner, createFakeRunner, NOT_FOUND } from "./runner.ts";

Deno.test("createCommandRunner() runs a process, streams its output and reports a missing one as 127", async () => {
  const runner = createCommandRunner();
  const seen: string[] = [];
  const ok = await runner.run(
    Deno.execPath(),
    ["eval", "console.log('hi'); console.error('oops')"],
    {
      onOutput: (text, stream) => seen.push(`${stream}:${text.trim()}`),
      env: { NO_COLOR: "1" },
    },
  );
  assert.equal(ok.code, 0);
  assert.equal(ok.stdout.trim(), "hi");
  assert.equal(ok.stderr.trim(), "oops");
  assert.deepEqual(seen.sort(), ["stderr:oops", "stdout:hi"]);
  const failed = await runner.run(Deno.execPath(), ["eval", "Deno.exit(3)"]);
  assert.equal(failed.code, 3);
  const missing = await runner.run("contoso-no-such-tool", ["version"]);
  assert.equal(missing.code, NOT_FOUND);
  assert.match(missing.stderr, /not found/);
});

Deno.test("createFakeRunner() answers by the longest command prefix and records calls", async () => {
  const runner = createFakeRunner({
    "azd": { code: 9 },
    "azd env": { stdout: "env" },
    "azd env get-values": (call) => ({ stdout: `values for ${call.args.at(-1)}` }),
  });
  assert.equal(
    (await runner.run("azd", ["env", "get-values", "-e", "dev"])).stdout,
    "values for dev",
  );
  assert.equal((await runner.run("azd", ["env", "list"])).stdout, "env");
  assert.equal((await runner.run("azd", ["version"])).code, 9);
  assert.equal((await runner.run("az", ["login"])).code, NOT_FOUND);
  // "azd envx" is not a word-prefix match of "azd env".
  assert.equal((await runner.run("azd", ["envx"])).code, 9);
  assert.deepEqual(runner.commandLines(), [
    "azd env get-values -e dev",
    "azd env list",
    "azd version",
    "az login",
    "azd envx",
  ]);
});
