import assert from "node:assert/strict";
import { createCommandRunner, createFakeRunner, NOT_FOUND, shellLine } from "./runner.ts";

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

Deno.test("createCommandRunner() keeps unsetEnv variables out of the child, and the rest in", async () => {
  const name = "CONTOSO_RUNNER_TEST_CLIENT_ID";
  const kept = "CONTOSO_RUNNER_TEST_KEPT";
  Deno.env.set(name, "7d1c5a0e-managed-identity");
  Deno.env.set(kept, "stays");
  try {
    const runner = createCommandRunner();
    const script = `console.log(JSON.stringify([Deno.env.get("${name}") ?? null, ` +
      `Deno.env.get("${kept}") ?? null, Deno.env.get("EXTRA") ?? null]))`;
    const unset = await runner.run(Deno.execPath(), ["eval", script], {
      env: { EXTRA: "added" },
      unsetEnv: [name],
    });
    assert.deepEqual(JSON.parse(unset.stdout), [null, "stays", "added"]);
    const inherited = await runner.run(Deno.execPath(), ["eval", script]);
    assert.deepEqual(JSON.parse(inherited.stdout), ["7d1c5a0e-managed-identity", "stays", null]);
  } finally {
    Deno.env.delete(name);
    Deno.env.delete(kept);
  }
});

Deno.test("createFakeRunner() records unsetEnv", async () => {
  const runner = createFakeRunner({ "deno task seed": {} });
  await runner.run("deno", ["task", "seed"], { unsetEnv: ["AZURE_CLIENT_ID"] });
  assert.deepEqual(runner.calls[0].unsetEnv, ["AZURE_CLIENT_ID"]);
});

Deno.test("shellLine() quotes what a shell would split or expand", () => {
  assert.equal(
    shellLine(["azd", "env", "set", "X", "a b", "it's"]),
    `azd env set X 'a b' 'it'\\''s'`,
  );
});
