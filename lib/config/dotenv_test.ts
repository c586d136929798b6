import assert, { deepEqual, equal } from "node:assert/strict";
import { join } from "node:path";
import {
  dotEnvLine,
  findProjectRoot,
  parseDotEnv,
  readEnvironment,
  splitManagedBlock,
} from "./dotenv.ts";

Deno.test("parseDotEnv() reads NAME=value lines", async (t) => {
  await t.step("plain, exported, commented and blank lines", () => {
    deepEqual(
      parseDotEnv(
        [
          "# written by provisioning",
          "",
          "AZURE_OPENAI_ENDPOINT=https://x.openai.azure.com",
          "export COSMOS_DATABASE = contoso-outdoor ",
          "PORT=8001 # the dev port",
          "not a variable line",
          "   # indented comment",
        ].join("\n"),
      ),
      {
        AZURE_OPENAI_ENDPOINT: "https://x.openai.azure.com",
        COSMOS_DATABASE: "contoso-outdoor",
        PORT: "8001",
      },
    );
  });
  await t.step('quotes keep spaces and #; double quotes understand \\n and \\"', () => {
    deepEqual(
      parseDotEnv(
        [
          'A="x y # not a comment" # a comment',
          "B='single $quoted \\n'",
          'C="line1\\nline2 \\"q\\""',
          "D=",
        ].join("\n"),
      ),
      { A: "x y # not a comment", B: "single $quoted \\n", C: 'line1\nline2 "q"', D: "" },
    );
  });
  await t.step("CRLF line endings", () => {
    deepEqual(parseDotEnv("A=1\r\nB=2\r\n"), { A: "1", B: "2" });
  });
  await t.step("a later line wins", () => {
    equal(parseDotEnv("A=1\nA=2").A, "2");
  });
  await t.step("URLs with = and # inside values survive", () => {
    equal(
      parseDotEnv(
        "APPLICATIONINSIGHTS_CONNECTION_STRING=InstrumentationKey=abc;IngestionEndpoint=https://x/#y",
      )
        .APPLICATIONINSIGHTS_CONNECTION_STRING,
      "InstrumentationKey=abc;IngestionEndpoint=https://x/#y",
    );
  });
});

Deno.test("readEnvironment() puts the process environment over the .env file", async () => {
  const dir = await Deno.makeTempDir();
  const name = `CONTOSO_DOTENV_TEST_${crypto.randomUUID().replaceAll("-", "_")}`;
  try {
    const file = join(dir, ".env");
    await Deno.writeTextFile(file, `${name}=from-file\n${name}_ONLY_FILE=file\n`);
    equal(readEnvironment(file)[name], "from-file");
    Deno.env.set(name, "from-process");
    const env = readEnvironment(file);
    equal(env[name], "from-process");
    equal(env[`${name}_ONLY_FILE`], "file");
    // A missing file is fine: the process environment alone.
    equal(readEnvironment(join(dir, "missing.env"))[name], "from-process");
  } finally {
    Deno.env.delete(name);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("findProjectRoot() walks up to the folder holding deno.json", async () => {
  const dir = await Deno.realPath(await Deno.makeTempDir());
  try {
    await Deno.mkdir(join(dir, "a", "b"), { recursive: true });
    await Deno.writeTextFile(join(dir, "deno.json"), "{}");
    equal(findProjectRoot(join(dir, "a", "b")), dir);
    equal(findProjectRoot(dir), dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("dotEnvLine() quotes what needs it and never echoes a value it refuses", async (t) => {
  await t.step("plain values stay bare, spaces are quoted, both read back", () => {
    const text = [dotEnvLine("A", "https://x.example/v1"), dotEnvLine("B", "two words")].join("\n");
    assert.equal(text, 'A=https://x.example/v1\nB="two words"');
    assert.deepEqual(parseDotEnv(text), { A: "https://x.example/v1", B: "two words" });
  });
  await t.step("a value with a quote is refused by name, not by value", () => {
    assert.throws(
      () => dotEnvLine("GITHUB_TOKEN", 'ghp_"secret'),
      (error: Error) => error.message.includes("GITHUB_TOKEN") && !error.message.includes("ghp_"),
    );
  });
});

Deno.test("splitManagedBlock() finds a block between its marker lines", () => {
  const text = "A=1\n# >>> tool\nB=2\n# <<< tool\nC=3\n";
  assert.deepEqual(splitManagedBlock(text, "# >>> tool", "# <<< tool"), {
    before: "A=1\n",
    after: "C=3\n",
    found: true,
  });
  assert.deepEqual(splitManagedBlock("A=1\n", "# >>> tool", "# <<< tool"), {
    before: "A=1\n",
    after: "",
    found: false,
  });
});
