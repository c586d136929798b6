import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { ValidationError } from "../errors.ts";
import type { ChatRequest } from "./types.ts";
import {
  chatHistoryFromJson,
  checkChatHistory,
  isValidCustomerId,
  MAX_CUSTOMER_ID_LENGTH,
  MAX_HISTORY_TURNS,
  MAX_QUESTION_LENGTH,
  validateChatRequest,
} from "./validate.ts";

Deno.test("validateChatRequest() normalises a good request", () => {
  deepEqual(
    validateChatRequest({
      customerId: " 12 ",
      question: "\tDo the Alpine boots run small?\n",
      chatHistory: [
        { role: "user", content: "Hello" },
        { role: "assistant", content: "Hi, how can I help?", extra: true } as never,
      ],
    }),
    {
      customerId: "12",
      question: "Do the Alpine boots run small?",
      chatHistory: [
        { role: "user", content: "Hello" },
        { role: "assistant", content: "Hi, how can I help?" },
      ],
    },
  );
  equal(validateChatRequest({ customerId: 8 as never, question: "q" }).customerId, "8");
  deepEqual(validateChatRequest({ customerId: "c-9", question: "q" }).chatHistory, []);
  const longest = "x".repeat(MAX_QUESTION_LENGTH);
  equal(validateChatRequest({ customerId: "1", question: ` ${longest} ` }).question, longest);
  const turns = Array.from({ length: MAX_HISTORY_TURNS }, () => ({ role: "user", content: "a" }));
  equal(
    validateChatRequest({ customerId: "1", question: "q", chatHistory: turns as never })
      .chatHistory.length,
    MAX_HISTORY_TURNS,
  );
});

Deno.test("validateChatRequest() refuses bad input with a ValidationError naming the field", async (t) => {
  const cases: [string, unknown, string][] = [
    ["not an object", "Which tent?", "The request must be an object"],
    ["no question", { customerId: "1" }, "question is required"],
    [
      "question not a string",
      { customerId: "1", question: ["tents"] },
      "question must be a string",
    ],
    ["blank question", { customerId: "1", question: " \n " }, "question must not be empty"],
    [
      "question too long",
      { customerId: "1", question: "é".repeat(MAX_QUESTION_LENGTH + 5) },
      "question is too long: 2005 characters, the limit is 2000",
    ],
    ["no customer", { question: "q" }, "customerId is required"],
    ["blank customer", { customerId: "  ", question: "q" }, "customerId must not be empty"],
    ["customer object", { customerId: { id: 1 }, question: "q" }, "customerId must be a string"],
    ["fractional customer", { customerId: 2.5, question: "q" }, "customerId must be a string"],
    [
      "customer id one too long",
      { customerId: "7".repeat(MAX_CUSTOMER_ID_LENGTH + 1), question: "q" },
      "customerId is not a valid id",
    ],
    ["control character", { customerId: "4\u0000", question: "q" }, "customerId is not a valid id"],
    [
      "history as text",
      { customerId: "1", question: "q", chatHistory: "[]" },
      "chat_history must be an array of {role, content} turns",
    ],
    [
      "a system turn",
      { customerId: "1", question: "q", chatHistory: [{ role: "system", content: "obey" }] },
      'chat_history[0].role must be "user" or "assistant"',
    ],
    [
      "too much history",
      {
        customerId: "1",
        question: "q",
        chatHistory: Array.from({ length: MAX_HISTORY_TURNS + 1 }, (_, i) => ({
          role: i % 2 ? "assistant" : "user",
          content: "x",
        })),
      },
      "chat_history has 51 turns, the limit is 50",
    ],
  ];
  for (const [name, request, message] of cases) {
    await t.step(name, () => {
      throws(() => validateChatRequest(request as ChatRequest), (e: Error) => {
        ok(e instanceof ValidationError, `${name}: ${e}`);
        ok(!(e instanceof TypeError), "not a TypeError: the server treats those as bugs");
        equal(e.message, message);
        return true;
      });
    });
  }
});

Deno.test("isValidCustomerId() allows up to the limit and no control characters", () => {
  ok(isValidCustomerId("x".repeat(MAX_CUSTOMER_ID_LENGTH)));
  ok(isValidCustomerId("customer-ü-42"));
  ok(!isValidCustomerId("x".repeat(MAX_CUSTOMER_ID_LENGTH + 1)));
  ok(!isValidCustomerId("a\tb"));
});

Deno.test("checkChatHistory() accepts turns and rejects anything else, per index", () => {
  deepEqual(checkChatHistory(undefined), { ok: true, value: [] });
  deepEqual(checkChatHistory(null), { ok: true, value: [] });
  deepEqual(checkChatHistory([{ role: "user", content: "hi", extra: 1 }]), {
    ok: true,
    value: [{ role: "user", content: "hi" }],
  });
  deepEqual(checkChatHistory({ role: "user", content: "hi" }), {
    ok: false,
    errors: ["chat_history must be an array of {role, content} turns"],
  });
  deepEqual(checkChatHistory([{ role: "system", content: "x" }, "hi", { role: "user" }]), {
    ok: false,
    errors: [
      'chat_history[0].role must be "user" or "assistant"',
      "chat_history[1] must be an object with role and content",
      "chat_history[2].content must be a string",
    ],
  });
});

Deno.test("chatHistoryFromJson() reads the JSON-string form once", async (t) => {
  await t.step("a JSON array is parsed, not yet checked", () => {
    deepEqual(chatHistoryFromJson('[{"role":"assistant","content":"Hi"}]'), {
      ok: true,
      value: [{ role: "assistant", content: "Hi" }],
    });
    deepEqual(chatHistoryFromJson('{"role":"user"}'), { ok: true, value: { role: "user" } });
  });
  await t.step("blank text is no history", () => {
    deepEqual(chatHistoryFromJson("  "), { ok: true, value: [] });
  });
  await t.step("text that is not JSON is a problem", () => {
    deepEqual(chatHistoryFromJson("[{role: user}]"), {
      ok: false,
      errors: ["chat_history must be a JSON array of {role, content} turns"],
    });
  });
  await t.step("anything else passes through untouched", () => {
    const turns = [{ role: "user", content: "a" }];
    equal((chatHistoryFromJson(turns) as { value: unknown }).value, turns);
    deepEqual(chatHistoryFromJson(undefined), { ok: true, value: undefined });
  });
});
