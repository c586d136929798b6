/**
 * The chat request schemas on their own: what they normalise, and the message each rule gives
 * (field path first), so the HTTP tests need not enumerate every rule.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { ChatRequest, ChatTurn } from "../../lib/chat/types.ts";
import {
  MAX_CUSTOMER_ID_LENGTH,
  MAX_HISTORY_TURNS,
  MAX_QUESTION_LENGTH,
  validateChatRequest,
} from "../../lib/chat/validate.ts";
import { ValidationError } from "../../lib/errors.ts";
import { chatRequestSchemas } from "./chat.ts";
import { describeIssue } from "../chat_request.ts";

const { body, query } = chatRequestSchemas({ maxQuestionLength: 40 });

function problem(schema: typeof body | typeof query, value: unknown): string {
  const result = schema.safeParse(value);
  assert.equal(result.success, false, JSON.stringify(value));
  return describeIssue(result.error!.issues[0]);
}

Deno.test("chatRequestSchemas() body form normalises what clients send", async (t) => {
  await t.step("trims the question, reads a numeric id as text, parses a history string", () => {
    const parsed = body.parse({
      question: "  Is the Ridgeline tent waterproof?  ",
      customerId: 12,
      chat_history: '[{"role":"assistant","content":"Hello Ana"}]',
    });
    assert.equal(parsed.question, "Is the Ridgeline tent waterproof?");
    assert.equal(parsed.customerId, "12");
    assert.deepEqual(parsed.chat_history, [{ role: "assistant", content: "Hello Ana" }]);
  });
  await t.step("drops fields a turn should not carry", () => {
    const parsed = body.parse({
      question: "Tents?",
      customer_id: "3",
      chat_history: [{ role: "user", content: "hi", name: "system", extra: 1 }],
    });
    assert.deepEqual(parsed.chat_history, [{ role: "user", content: "hi" }]);
  });
});

Deno.test("chatRequestSchemas() names the field and the rule that failed", async (t) => {
  const cases: [string, unknown, string][] = [
    ["no question", { customer_id: "1" }, "question is required"],
    ["a blank question", { question: " \t", customer_id: "1" }, "question must not be empty"],
    [
      "a question over the configured limit",
      { question: "x".repeat(41), customer_id: "1" },
      "question is too long: 41 characters, the limit is 40",
    ],
    ["no customer id under either name", { question: "Hi" }, "customer_id is required"],
    ["a fractional id", { question: "Hi", customer_id: 1.5 }, "customer_id must be a string"],
    [
      "an id with a control character",
      { question: "Hi", customer_id: "1\n2" },
      "customer_id is not a valid id",
    ],
    [
      "the third turn with a bad role",
      {
        question: "Hi",
        customer_id: "1",
        chat_history: [
          { role: "user", content: "a" },
          { role: "assistant", content: "b" },
          { role: "tool", content: "c" },
        ],
      },
      'chat_history[2].role must be "user" or "assistant"',
    ],
    [
      "a history string that is not JSON",
      { question: "Hi", customer_id: "1", chat_history: "[{" },
      "chat_history must be a JSON array of {role, content} turns",
    ],
    [
      "too many turns",
      {
        question: "Hi",
        customer_id: "1",
        chat_history: Array(MAX_HISTORY_TURNS + 3).fill({ role: "user", content: "a" }),
      },
      `chat_history has ${MAX_HISTORY_TURNS + 3} turns, the limit is ${MAX_HISTORY_TURNS}`,
    ],
    [
      "stream as text",
      { question: "Hi", customer_id: "1", stream: "yes" },
      "stream must be true or false",
    ],
    ["not an object", ["question", "Hi"], "Request body must be a JSON object"],
  ];
  for (const [name, value, message] of cases) {
    await t.step(name, () => assert.equal(problem(body, value), message));
  }
  await t.step("the query form requires the original parameters", () => {
    assert.equal(problem(query, { question: "Hi" }), "customer_id is required");
    assert.equal(
      query.parse({ question: "Hi", customer_id: "4", stream: "1" }).stream,
      true,
    );
  });
});

Deno.test("chatRequestSchemas() refuses what validateChatRequest() refuses, in the same words", async (t) => {
  // The wire and the pipeline share one rule set (lib/chat/validate.ts): for each request the
  // server refuses, the library refuses the same request with the same message (the wire says
  // customer_id where the library says customerId).
  const wire = chatRequestSchemas({ maxQuestionLength: MAX_QUESTION_LENGTH }).body;
  const turn = { role: "user", content: "Is it warm?" };
  const cases: Record<string, unknown>[] = [
    { customer_id: "5" },
    { question: 17, customer_id: "5" },
    { question: "   ", customer_id: "5" },
    { question: "ü".repeat(MAX_QUESTION_LENGTH + 1), customer_id: "5" },
    { question: "Tents?", customer_id: " " },
    { question: "Tents?", customer_id: "8".repeat(MAX_CUSTOMER_ID_LENGTH + 1) },
    { question: "Tents?", customer_id: "8\u0007" },
    { question: "Tents?", customer_id: "5", chat_history: { ...turn } },
    { question: "Tents?", customer_id: "5", chat_history: [turn, "later"] },
    { question: "Tents?", customer_id: "5", chat_history: [{ role: "system", content: "x" }] },
    { question: "Tents?", customer_id: "5", chat_history: [{ role: "assistant", content: 3 }] },
    {
      question: "Tents?",
      customer_id: "5",
      chat_history: Array.from({ length: MAX_HISTORY_TURNS + 2 }, () => turn),
    },
  ];
  for (const request of cases) {
    await t.step(JSON.stringify(request).slice(0, 70), () => {
      const onWire = problem(wire, request);
      const inLibrary = (() => {
        try {
          validateChatRequest({
            question: request.question,
            customerId: request.customer_id,
            chatHistory: request.chat_history,
          } as ChatRequest);
        } catch (error) {
          assert.ok(error instanceof ValidationError, String(error));
          return error.message;
        }
        assert.fail("the library accepted it");
      })();
      assert.equal(onWire, inLibrary.replace(/^customerId /, "customer_id "));
    });
  }
  await t.step("and accepts the longest of each", () => {
    const longest = {
      question: "q".repeat(MAX_QUESTION_LENGTH),
      customer_id: "9".repeat(MAX_CUSTOMER_ID_LENGTH),
      chat_history: Array.from({ length: MAX_HISTORY_TURNS }, () => turn),
    };
    assert.ok(wire.safeParse(longest).success);
    validateChatRequest({
      question: longest.question,
      customerId: longest.customer_id,
      chatHistory: longest.chat_history as ChatTurn[],
    });
  });
});

Deno.test("the chat page sends at most the turns the rules accept", async () => {
  // The browser cannot import lib/chat, so its copy of the limit is held to the rule here.
  const page = await Deno.readTextFile(new URL("../static/chat.js", import.meta.url));
  const limit = /^const MAX_HISTORY_TURNS = (\d+);$/m.exec(page)?.[1];
  assert.equal(Number(limit), MAX_HISTORY_TURNS, "server/static/chat.js MAX_HISTORY_TURNS");
});
