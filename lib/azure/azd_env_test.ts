import assert from "node:assert/strict";
import { parseDotEnv } from "../config/dotenv.ts";
import { AZURE_VARIABLES } from "../config/variables.ts";
import {
  azdEnvBlock,
  localVariables,
  parseAzdValues,
  withAzdBlock,
  withoutAzdBlock,
} from "./azd_env.ts";

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
