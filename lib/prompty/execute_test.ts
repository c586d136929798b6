import { deepEqual, equal, rejects } from "node:assert/strict";
import type { ChatMessage, ChatModel, ChatOptions } from "../models/types.ts";
import { executePrompty, parseJsonReply, streamPrompty } from "./execute.ts";
import { parsePrompty } from "./load.ts";

/** A chat model fake at the port: replies with `reply` and records each call. */
function fakeModel(reply: string) {
  const calls: { messages: ChatMessage[]; options?: ChatOptions }[] = [];
  const model: ChatModel = {
    name: "fake",
    backend: "fake",
    complete(messages, options) {
      calls.push({ messages, options });
      return Promise.resolve({ content: reply, finishReason: "stop" });
    },
    async *stream(messages, options) {
      calls.push({ messages, options });
      for (const piece of reply.match(/.{1,4}/gs) ?? []) {
        await Promise.resolve();
        yield piece;
      }
    },
  };
  return { model, calls };
}

const source = `---
name: queries
model:
  parameters:
    temperature: 0
    max_tokens: 50
    top_p: 0.5
inputs:
  question:
    type: string
---
system:
Reply with a JSON array of search queries.
user:
{{ question }}
`;

Deno.test("executePrompty() sends the rendered messages with the file's parameters", async () => {
  const prompty = await parsePrompty(source, { path: "queries.prompty" });
  const { model, calls } = fakeModel("plain text");
  equal(await executePrompty(prompty, model, { question: "tents?" }), "plain text");
  deepEqual(calls[0].messages, [
    { role: "system", content: "Reply with a JSON array of search queries." },
    { role: "user", content: "tents?" },
  ]);
  deepEqual(calls[0].options, {
    temperature: 0,
    maxTokens: 50,
    topP: 0.5,
    json: undefined,
    signal: undefined,
    onRetry: undefined,
  });
  const signal = new AbortController().signal;
  const onRetry = () => {};
  await executePrompty(prompty, model, { question: "q" }, {
    temperature: 1,
    maxTokens: 9,
    signal,
    onRetry,
  });
  equal(calls[1].options?.temperature, 1);
  equal(calls[1].options?.maxTokens, 9);
  equal(calls[1].options?.onRetry, onRetry, "the per-call retry callback reaches the model");
  equal(calls[1].options?.topP, 0.5);
  equal(calls[1].options?.signal, signal);
});

Deno.test("executePrompty() parses JSON replies when asked", async (t) => {
  const prompty = await parsePrompty(source, { path: "queries.prompty" });
  await t.step("a bare JSON array", async () => {
    const { model } = fakeModel('["tent weight", "tent care"]');
    deepEqual(await executePrompty(prompty, model, { question: "q" }, { json: true }), [
      "tent weight",
      "tent care",
    ]);
  });
  await t.step("a fenced ```json block with prose around it", async () => {
    const { model } = fakeModel('Sure:\n```json\n{"queries": ["a"]}\n```\nHope it helps');
    deepEqual(await executePrompty(prompty, model, { question: "q" }, { json: true }), {
      queries: ["a"],
    });
  });
  await t.step("not JSON is a SyntaxError", async () => {
    const { model } = fakeModel("I think you want a tent.");
    await rejects(executePrompty(prompty, model, { question: "q" }, { json: true }), SyntaxError);
  });
  await t.step("response_format json_object in the file asks for JSON by default", async () => {
    const jsonPrompty = await parsePrompty(
      source.replace("top_p: 0.5", "top_p: 0.5\n    response_format:\n      type: json_object"),
      { path: "json.prompty" },
    );
    const { model, calls } = fakeModel('{"ok": true}');
    deepEqual(await executePrompty(jsonPrompty, model, { question: "q" }), { ok: true });
    equal(calls[0].options?.json, true);
    equal(
      await executePrompty(jsonPrompty, model, { question: "q" }, { json: false }),
      '{"ok": true}',
    );
  });
});

Deno.test("parseJsonReply() reads plain and fenced JSON", () => {
  deepEqual(parseJsonReply(" [1, 2] "), [1, 2]);
  deepEqual(parseJsonReply('```\n{"a": 1}\n```'), { a: 1 });
  deepEqual(parseJsonReply('```JSON\n["x"]\n```'), ["x"]);
});

Deno.test("streamPrompty() yields the model's deltas, which concatenate to the reply", async () => {
  const prompty = await parsePrompty(source, { path: "queries.prompty" });
  const reply = "Hello Maya, the Summit Dome 2 Tent weighs 2.1 kg [1].";
  const { model, calls } = fakeModel(reply);
  const deltas: string[] = [];
  for await (const delta of streamPrompty(prompty, model, { question: "weight?" })) {
    deltas.push(delta);
  }
  equal(deltas.join(""), reply);
  equal(deltas.length > 1, true);
  equal(calls[0].messages.at(-1)?.content, "weight?");
  equal(calls[0].options?.maxTokens, 50);
});
