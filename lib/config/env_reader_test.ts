import { deepEqual, equal } from "node:assert/strict";
import { envReader } from "./env_reader.ts";

Deno.test("envReader() reads typed settings and collects one problem per bad value", async (t) => {
  const problems: string[] = [];
  const env = envReader({
    BLANK: "   ",
    PORT: " 8080 ",
    BAD_PORT: "80.5",
    HIGH: "70000",
    ENDPOINT: "https://models.example/inference//",
    NOT_HTTP: "ftp://files.example",
    ON: "YES",
    OFF: "0",
    MAYBE: "perhaps",
    KEYS: " a, ,b ,",
  }, problems);
  await t.step("blank is unset", () => {
    equal(env.read("BLANK"), undefined);
    equal(env.int("BLANK", 7), 7);
    deepEqual(env.list("BLANK"), []);
  });
  await t.step("integers are trimmed, range-checked, else the fallback", () => {
    equal(env.int("PORT", 1), 8080);
    equal(env.int("BAD_PORT", 1), 1);
    equal(env.int("HIGH", 1, 1, 65_535), 1);
  });
  await t.step("urls lose trailing slashes; other schemes are refused", () => {
    equal(env.url("ENDPOINT"), "https://models.example/inference");
    equal(env.url("NOT_HTTP"), undefined);
  });
  await t.step("flags in any case; lists without blanks", () => {
    equal(env.flag("ON"), true);
    equal(env.flag("OFF"), false);
    equal(env.flag("MAYBE"), undefined);
    deepEqual(env.list("KEYS"), ["a", "b"]);
  });
  await t.step("each bad value is one sentence naming the variable and the value", () => {
    deepEqual(problems, [
      'BAD_PORT must be an integer between 0 and 9007199254740991, got "80.5"',
      'HIGH must be an integer between 1 and 65535, got "70000"',
      'NOT_HTTP must be an http(s) URL, got "ftp://files.example"',
      'MAYBE must be true or false, got "perhaps"',
    ]);
  });
});
