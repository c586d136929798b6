import assert from "node:assert/strict";
import { parseDotEnv } from "../config/dotenv.ts";
import { AZURE_VARIABLES } from "../config/variables.ts";
import {
  azdEnvBlock,
  localVariables,
  parseAzdValues,
  readAzdValues,
  withAzdBlock,
  withoutAzdBlock,
} from "./azd_env.ts";
import { createFakeRunner } from "./runner.ts";

const VALUES = parseAzdValues(
  [
    'AZURE_ENV_NAME="dev"',
    'AZURE_LOCATION="eastus2"',
    ...AZURE_VARIABLES.map((n) => `${n}="value-of-${n}"`),
    'APPLICATIONINSIGHTS_CONNECTION_STRING="InstrumentationKey=abc;IngestionEndpoint=https://x/;LiveEndpoint=https://y/"',
    'ALLOWED_ORIGINS=""',
  ].join("\n"),
);

Deno.test("localVariables() keeps the app's azure variables except the container's identity", () => {
  const local = localVariables(VALUES);
  assert.ok(!("AZURE_CLIENT_ID" in local));
  assert.ok(!("AZURE_ENV_NAME" in local), "azd's own variables stay in azd");
  assert.equal(Object.keys(local).length, AZURE_VARIABLES.length - 1);
  assert.equal(local.ALLOWED_ORIGINS, "");
});

Deno.test("withAzdBlock() writes a block that parses back to the values and keeps the learner's lines", async (t) => {
  const block = azdEnvBlock("dev", VALUES);
  await t.step("new file", () => {
    const parsed = parseDotEnv(withAzdBlock("", block));
    assert.deepEqual(parsed, localVariables(VALUES));
  });
  await t.step("existing lines before and after survive; a second write replaces the block", () => {
    const first = withAzdBlock("OPENAI_API_KEY=mine", block);
    const withAfter = first + "MY_SETTING=1\n";
    const second = withAzdBlock(
      withAfter,
      azdEnvBlock("dev", { ...VALUES, COSMOS_DATABASE: "other" }),
    );
    const parsed = parseDotEnv(second);
    assert.equal(parsed.OPENAI_API_KEY, "mine");
    assert.equal(parsed.MY_SETTING, "1");
    assert.equal(parsed.COSMOS_DATABASE, "other");
    assert.equal(second.split("# >>> azd environment").length, 2, "one block");
  });
  await t.step("withoutAzdBlock() removes only the block", () => {
    const text = withAzdBlock("OPENAI_API_KEY=mine\n", block) + "MY_SETTING=1\n";
    const { text: rest, removed } = withoutAzdBlock(text);
    assert.ok(removed);
    assert.deepEqual(parseDotEnv(rest), { OPENAI_API_KEY: "mine", MY_SETTING: "1" });
    assert.deepEqual(withoutAzdBlock(rest), { text: rest, removed: false });
  });
  await t.step("a value with a quote cannot be written", () => {
    assert.throws(() => azdEnvBlock("dev", { COSMOS_DATABASE: 'a"b' }), TypeError);
  });
});

Deno.test("readAzdValues() reads the named (or default) azd environment, undefined when azd cannot", async (t) => {
  await t.step("a named environment, from a working directory", async () => {
    const runner = createFakeRunner({
      "azd env get-values": {
        stdout: 'AZURE_LOCATION="francecentral"\nSERVICE_API_URI="https://a.test"\n',
      },
    });
    const values = await readAzdValues(runner, { envName: "team-3", cwd: "/work/repo" });
    assert.deepEqual(values, {
      AZURE_LOCATION: "francecentral",
      SERVICE_API_URI: "https://a.test",
    });
    assert.deepEqual(runner.commandLines(), ["azd env get-values --environment team-3"]);
    assert.equal(runner.calls[0].cwd, "/work/repo");
  });
  await t.step("azd's default environment", async () => {
    const runner = createFakeRunner({ "azd env get-values": { stdout: "" } });
    assert.deepEqual(await readAzdValues(runner), {});
    assert.deepEqual(runner.commandLines(), ["azd env get-values"]);
  });
  await t.step("azd fails or is missing", async () => {
    const failing = createFakeRunner({
      "azd env get-values": { code: 1, stderr: "ERROR: no project" },
    });
    assert.equal(await readAzdValues(failing), undefined);
    assert.equal(await readAzdValues(createFakeRunner()), undefined);
  });
});
