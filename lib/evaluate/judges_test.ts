/**
 * The shipped judges against a fake OpenAI-compatible server on loopback: a reasoning model
 * that rejects `max_tokens` and `temperature` still yields scores; judges ask for room for
 * their reply; retries under 429 are the model client's only, bounded and passed to the
 * caller's `onRetry`; the groundedness judge sees the customer's orders block and is told that
 * answers may use it.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { createChatModel } from "../models/factory.ts";
import { startFakeOpenAIServer } from "../models/_fake_openai_server.ts";
import type { RetryInfo } from "../models/retry.ts";
import type { ModelConfig } from "../config/types.ts";
import { loadPrompty } from "../prompty/mod.ts";
import { BUILT_IN_JUDGES, JUDGE_SCORE_TOKENS, judgeMaxTokens, loadJudges } from "./judges.ts";
import type { EvalCase, EvalInput } from "./types.ts";

const ROW = {
  id: "q-orders-1",
  customerId: "4",
  question: "Will the boots I bought keep my feet dry?",
  chatHistory: [],
} as unknown as EvalCase;

const ORDERS =
  "Orders of the customer:\n- Alpine Trek Boots (product 3, quantity 1, ordered 2023-11-02)";

const INPUT: EvalInput = {
  row: ROW,
  question: ROW.question,
  answer: "Hi Jo! The Alpine Trek Boots [3] you bought in November have a waterproof membrane.",
  context: [],
  contextText:
    `[3] Alpine Trek Boots\nLeather hiking boots with a waterproof membrane.\n\n${ORDERS}`,
  orders: ORDERS,
};

function judgeConfig(baseURL: string): ModelConfig {
  return { backend: "openai-compatible", baseURL, model: "o-judge", apiKey: "sk-test" };
}

/** Replies the way real judges do, varying by call. */
const STYLES = [
  "4.",
  "Score: **5**/5",
  "I'd give this a 4.",
  "Four",
  '{"score": 3, "reason": "ok"}',
];

Deno.test("loadJudges() on a reasoning model that rejects max_tokens still yields scores", async () => {
  const server = startFakeOpenAIServer({
    reasoning: true,
    reply: (_, i) => STYLES[i % STYLES.length],
  });
  try {
    const model = createChatModel(judgeConfig(server.baseURL), { service: "eval-model" });
    const { evaluators, skipped } = await loadJudges({ model, names: [...BUILT_IN_JUDGES] });
    deepEqual(skipped, []);
    const scores = [];
    for (const judge of evaluators) scores.push(await judge.evaluate(INPUT));
    ok(scores.every((s) => s.value !== null), JSON.stringify(scores));
    const first = server.requests[0].body;
    equal(first.max_tokens, JUDGE_SCORE_TOKENS, "the judge asked for room, not 5 tokens");
    equal(first.temperature, 0);
    // max_tokens rejected, then temperature: two resends for the first judge, none after.
    equal(server.requests.length, evaluators.length + 2);
    for (const { body } of server.requests.slice(3)) {
      equal(body.max_tokens, undefined);
      equal(body.temperature, undefined);
      ok(Number(body.max_completion_tokens) >= JUDGE_SCORE_TOKENS);
    }
  } finally {
    await server.close();
  }
});

Deno.test("a judge's model retries are bounded and reported to evaluate()'s onRetry", async (t) => {
  const prompty = await loadPrompty("prompts/evaluators/fluency.prompty");
  await t.step("persistent 429: 1 + maxRetries sends, maxRetries callbacks", async () => {
    const server = startFakeOpenAIServer({ rateLimited: Infinity, retryAfter: "0" });
    try {
      const model = createChatModel(judgeConfig(server.baseURL), { maxRetries: 3 });
      const { evaluators: [judge] } = await loadJudges({ model, names: ["fluency"] });
      equal(judge.name, "fluency");
      const retries: RetryInfo[] = [];
      let failed = false;
      try {
        await judge.evaluate(INPUT, { onRetry: (i) => retries.push(i) });
      } catch {
        failed = true;
      }
      ok(failed, "the judge call fails after the client's retries");
      equal(server.requests.length, 4);
      deepEqual(retries.map((r) => [r.attempt, r.delayMs]), [[1, 0], [2, 0], [3, 0]]);
    } finally {
      await server.close();
    }
  });
  await t.step("recovering 429: the score arrives, the retry is counted", async () => {
    const server = startFakeOpenAIServer({ rateLimited: 1, reply: () => "5" });
    try {
      const model = createChatModel(judgeConfig(server.baseURL), { maxRetries: 3 });
      const { evaluators: [judge] } = await loadJudges({ model, names: ["fluency"] });
      let retries = 0;
      const score = await judge.evaluate(INPUT, { onRetry: () => retries++ });
      equal(score.value, 5);
      equal(retries, 1);
      equal(server.requests.length, 2);
    } finally {
      await server.close();
    }
  });
  await t.step("the budget follows the prompt: a score alone, or JSON with a reason", () => {
    equal(judgeMaxTokens(prompty), JUDGE_SCORE_TOKENS);
    equal(judgeMaxTokens({ parameters: { maxTokens: 5 } }), JUDGE_SCORE_TOKENS);
    ok(judgeMaxTokens({ parameters: { json: true } }) > JUDGE_SCORE_TOKENS);
    equal(judgeMaxTokens({ parameters: { maxTokens: 800 } }), 800);
  });
});

Deno.test("the groundedness judge sees the orders block and is told answers may use it", async () => {
  const server = startFakeOpenAIServer({ reply: () => "5" });
  try {
    const model = createChatModel(judgeConfig(server.baseURL), {});
    const { evaluators: [judge] } = await loadJudges({ model, names: ["groundedness"] });
    equal((await judge.evaluate(INPUT)).value, 5);
    const messages = server.requests[0].body.messages as { role: string; content: string }[];
    ok(messages[0].content.includes("customer's orders"), messages[0].content);
    ok(messages.at(-1)!.content.includes(ORDERS), messages.at(-1)!.content);
  } finally {
    await server.close();
  }
});

Deno.test("createJudge() says when a missing score's reply was cut at the token limit", async () => {
  const model = {
    name: "o-judge",
    backend: "openai-compatible",
    complete: () => Promise.resolve({ content: "", finishReason: "length" }),
    stream: () => (async function* () {})(),
  };
  const { evaluators: [judge] } = await loadJudges({ model, names: ["coherence"] });
  const score = await judge.evaluate(INPUT);
  equal(score.value, null);
  ok(
    score.value === null && score.reason.includes("cut at the token limit"),
    JSON.stringify(score),
  );
});
