/**
 * Code metrics: citations in the forms answers and reference answers use, token counts and
 * cost from the price table, and the reasons of missing values.
 *
 * @module
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { answerLength, citationMatch, citedIds, referenceIds, tokenCost } from "./code_metrics.ts";
import { codeEvaluators, costEvaluator } from "./code_evaluators.ts";
import type { EvalInput, EvalScore } from "./types.ts";
import { evalInput } from "./runner.ts";
import { loadConfig } from "../config/load.ts";
import { createChatModel } from "../models/factory.ts";

function input(overrides: Partial<EvalInput> = {}): EvalInput {
  return {
    row: {
      id: "q-7",
      index: 6,
      customerId: "c42",
      question: "Which stove for winter?",
      chatHistory: [],
      fingerprint: "f",
    },
    question: "Which stove for winter?",
    answer: "Hi Ana! The Frostline stove [st-2] works down to -20°C.",
    context: [],
    contextText: "",
    ...overrides,
  };
}

function value(score: EvalScore): number | null {
  return score.value;
}

Deno.test("citedIds() reads bracketed citations", async (t) => {
  await t.step("single, grouped and adjacent", () => {
    deepEqual(citedIds("Take [12] and [3, 4][12]; see [p-9; m-1]."), [
      "12",
      "3",
      "4",
      "p-9",
      "m-1",
    ]);
  });
  await t.step("prose in brackets and Markdown links are not citations", () => {
    deepEqual(citedIds("The [Summit Dome] is in the [manual](https://x.test/m) [see below]"), []);
  });
  await t.step("none", () => deepEqual(citedIds("No ids here (id 4)."), []));
});

Deno.test("referenceIds() reads ids in brackets and in prose", async (t) => {
  await t.step("the project's reference style", () => {
    deepEqual(
      referenceIds("The Dreamhollow 35 (id 19, comfort 6°C, 1.3 kg) and the stove (id 16)."),
      ["19", "16"],
    );
  });
  await t.step("a singular id takes no list; plural ids do", () => {
    deepEqual(referenceIds("(id 21, 850-fill down)"), ["21"]);
    deepEqual(referenceIds("Products with ids 4, 7 and 11 fit."), ["4", "7", "11"]);
    deepEqual(referenceIds("ID: kx-200 or [z9]"), ["z9", "kx-200"]);
  });
  await t.step("words after 'id' are not ids", () => {
    deepEqual(referenceIds("What did I order? Paid in full, valid id required."), []);
  });
});

Deno.test("citationMatch() is the share of the reference's ids the answer cites", async (t) => {
  const truth = "The Summit Dome (id 1) with the Bluflame stove (id 16) and table (id 14).";
  await t.step("some cited", () => equal(citationMatch("Try [16] and [14].", truth), 2 / 3));
  await t.step("all cited", () => equal(citationMatch("[1][14][16]", truth), 1));
  await t.step("none cited", () => equal(citationMatch("Try the tent.", truth), 0));
  await t.step("citing a manual passage cites its product", () => {
    const context = [{ id: "1-manual-care-2", productId: "1" }, { id: "16", productId: "16" }];
    equal(citationMatch("Dry it first [1-manual-care-2].", truth, context), 1 / 3);
  });
  await t.step("a reference without ids gives no score", () => {
    equal(citationMatch("[3]", "You ordered two tents."), undefined);
  });
});

Deno.test("answerLength() counts characters, not UTF-16 units", () => {
  equal(answerLength("  tent \n"), 4);
  equal(answerLength("🏕️ ok"), 5); // the emoji and its variation selector are two code points
  equal(answerLength("防水テント"), 5);
});

Deno.test("tokenCost() prices tokens per million", () => {
  equal(
    tokenCost({ promptTokens: 1_000_000, completionTokens: 0 }, { input: 2.5, output: 10 }),
    2.5,
  );
  ok(
    Math.abs(
      tokenCost({ promptTokens: 1200, completionTokens: 300 }, { input: 0.4, output: 1.6 }) -
        0.00096,
    ) < 1e-15,
  );
});

Deno.test("codeEvaluators() score a row", async (t) => {
  const evaluators = codeEvaluators({
    model: { name: "gpt-4.1-mini", backend: "openai-compatible" },
    prices: { "gpt-4.1-mini": { input: 0.4, output: 1.6 } },
  });
  const byName = Object.fromEntries(evaluators.map((e) => [e.name, e]));
  await t.step("names, kinds, ranges and directions", () => {
    deepEqual(Object.keys(byName), [
      "latency_ms",
      "answer_length",
      "has_citation",
      "citation_match",
      "prompt_tokens",
      "completion_tokens",
      "cost",
    ]);
    ok(evaluators.every((e) => e.kind === "code"));
    deepEqual(byName.has_citation.range, [0, 1]);
    deepEqual(byName.latency_ms.range, [0, Infinity]);
    equal(byName.cost.direction, "lower");
    equal(byName.has_citation.direction, undefined);
  });
  const row = input({
    latencyMs: 812,
    usage: { promptTokens: 1500, completionTokens: 250 },
    truth: "The Frostline stove (id st-2) and the Kettle (id k-1).",
  });
  const scores = Object.fromEntries(
    await Promise.all(evaluators.map(async (e) => [e.name, await e.evaluate(row)] as const)),
  );
  await t.step("values", () => {
    equal(value(scores.latency_ms), 812);
    equal(value(scores.answer_length), row.answer.length);
    equal(value(scores.has_citation), 1);
    equal(value(scores.citation_match), 0.5);
    equal(value(scores.prompt_tokens), 1500);
    equal(value(scores.completion_tokens), 250);
    ok(Math.abs(value(scores.cost)! - (1500 * 0.4 + 250 * 1.6) / 1e6) < 1e-15);
  });
  await t.step("an answer without citations", async () => {
    equal(value(await byName.has_citation.evaluate(input({ answer: "Try the stove." }))), 0);
  });
  await t.step("missing values say why", async () => {
    const bare = input();
    const reason = async (name: string, i = bare) => {
      const score = await byName[name].evaluate(i);
      equal(score.value, null, name);
      return score.value === null ? score.reason : "";
    };
    ok(/no latency/.test(await reason("latency_ms")));
    ok(/no token usage/.test(await reason("prompt_tokens")));
    ok(/no token usage/.test(await reason("cost")));
    ok(/no reference answer/.test(await reason("citation_match")));
    ok(/cites no ids/.test(await reason("citation_match", input({ truth: "Yes, it is." }))));
  });
});

Deno.test("costEvaluator() needs a price for the chat model", async (t) => {
  const usage = { promptTokens: 900, completionTokens: 100 };
  await t.step("a model without a price has no cost, named", async () => {
    const score = await costEvaluator({
      model: { name: "my-gpt-deployment", backend: "azure-openai" },
      prices: { "gpt-4o": { input: 2.5, output: 10 } },
    }).evaluate(input({ usage }));
    equal(score.value, null);
    ok(
      score.value === null &&
        score.reason === 'no price for model "my-gpt-deployment" in MODEL_PRICES',
    );
  });
  await t.step("the offline model is free unless priced", async () => {
    const offline = { name: "contoso-offline-chat", backend: "offline" };
    equal((await costEvaluator({ model: offline }).evaluate(input({ usage }))).value, 0);
    const priced = costEvaluator({
      model: offline,
      prices: { "contoso-offline-chat": { input: 1, output: 1 } },
    });
    equal((await priced.evaluate(input({ usage }))).value, 1000 / 1e6);
  });
  await t.step("no model known", async () => {
    const score = await costEvaluator().evaluate(input({ usage }));
    ok(score.value === null && /not known/.test(score.reason));
  });
});

Deno.test("codeEvaluators() count the offline model's reported tokens, at no cost", async () => {
  const config = loadConfig({});
  const model = createChatModel(config.chat);
  const completion = await model.complete([
    {
      role: "system",
      content: "# Documentation\n- id: 5\n  title: Fjell Stove\n  content: Boils 1 l in 3 minutes.",
    },
    { role: "user", content: "How fast does the Fjell stove boil water?" },
  ]);
  ok(completion.usage && completion.usage.promptTokens > 0, "the offline model reports usage");
  const row = input().row;
  const scored = evalInput(row, {
    answer: completion.content,
    context: [],
    usage: completion.usage,
  });
  const evaluators = codeEvaluators({ model, prices: config.modelPrices });
  const scores = Object.fromEntries(
    await Promise.all(evaluators.map(async (e) => [e.name, (await e.evaluate(scored)).value])),
  );
  equal(scores.prompt_tokens, completion.usage.promptTokens);
  equal(scores.completion_tokens, completion.usage.completionTokens);
  equal(scores.cost, 0);
});
