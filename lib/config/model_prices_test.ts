/**
 * `MODEL_PRICES`: parsing, the errors that name the variable, and the summary row.
 *
 * @module
 */
import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { ConfigError, loadConfig } from "./load.ts";
import { parseModelPrices } from "./model_prices.ts";
import { describeConfig } from "./summary.ts";
import { VARIABLES } from "./variables.ts";

Deno.test("loadConfig() reads the MODEL_PRICES table", async (t) => {
  await t.step("unset is an empty table", () => deepEqual(loadConfig({}).modelPrices, {}));
  await t.step("a table of models", () => {
    const config = loadConfig({
      MODEL_PRICES:
        '{"gpt-4.1-mini": {"input": 0.4, "output": 1.6}, "my-deploy": {"input": 0, "output": 0}}',
    });
    deepEqual(config.modelPrices, {
      "gpt-4.1-mini": { input: 0.4, output: 1.6 },
      "my-deploy": { input: 0, output: 0 },
    });
  });
  await t.step("bad JSON is a ConfigError naming the variable, with the other problems", () => {
    throws(
      () => loadConfig({ MODEL_PRICES: "{gpt-4o: 1}", PORT: "http" }),
      (error: unknown) => {
        ok(error instanceof ConfigError);
        equal(error.problems.length, 2);
        ok(error.problems.some((p) => /^MODEL_PRICES is not valid JSON/.test(p)), error.message);
        return true;
      },
    );
  });
  await t.step("MODEL_PRICES is a declared, non-Azure variable", () => {
    const variable = VARIABLES.find((v) => v.name === "MODEL_PRICES");
    ok(variable && !variable.azure);
  });
});

Deno.test("parseModelPrices() rejects what is not a price table", async (t) => {
  const cases: [string, RegExp][] = [
    ["[1, 2]", /must be a JSON object/],
    ['"cheap"', /must be a JSON object/],
    ['{"gpt-4o": 2.5}', /gives "gpt-4o" no \{"input", "output"\} object/],
    ['{"gpt-4o": {"input": 2.5}}', /"gpt-4o"\.output, got undefined/],
    ['{"gpt-4o": {"input": "2.5", "output": 10}}', /"gpt-4o"\.input, got "2\.5"/],
    ['{"gpt-4o": {"input": -1, "output": 10}}', /non-negative number for "gpt-4o"\.input/],
  ];
  for (const [text, expected] of cases) {
    await t.step(text, () => {
      const parsed = parseModelPrices(text);
      ok("problem" in parsed, "accepted");
      ok(parsed.problem.startsWith("MODEL_PRICES "), parsed.problem);
      ok(expected.test(parsed.problem), parsed.problem);
    });
  }
});

Deno.test("describeConfig() lists the priced models only when MODEL_PRICES is set", () => {
  equal(describeConfig(loadConfig({})).some((r) => r.part === "model prices"), false);
  const row = describeConfig(
    loadConfig({
      MODEL_PRICES: '{"b": {"input": 1, "output": 2}, "a": {"input": 1, "output": 2}}',
    }),
  ).find((r) => r.part === "model prices");
  equal(row?.target, "USD per million tokens for a, b");
});
