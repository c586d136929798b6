/**
 * The offline model on prompts this project did not write, end to end through the `openai`
 * client: the files in tests/testdata/foreign_prompts rendered with their samples, and rendered
 * prompts in other teams' layouts written out by hand. Each reply must greet the customer by the
 * first name the prompt gives and cite only ids of the prompt's documentation.
 */
import { deepEqual, equal, match, ok, throws } from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { loadConfig } from "../../config/load.ts";
import { loadPrompty } from "../../prompty/load.ts";
import { renderPrompty } from "../../prompty/render.ts";
import { createChatModel } from "../factory.ts";
import type { ChatMessage } from "../types.ts";
import { readPrompt } from "./prompt_reader.ts";

const chat = createChatModel(loadConfig({}).chat);
const foreign = (name: string) =>
  loadPrompty(
    fileURLToPath(new URL(`../../../tests/testdata/foreign_prompts/${name}`, import.meta.url)),
    { env: {} },
  );
const cited = (text: string) => [...text.matchAll(/\[([^\]\s]+)\]/g)].map((m) => m[1]);

async function assertGrounded(messages: ChatMessage[], firstName: string, ids: string[]) {
  const reply = await chat.complete(messages);
  match(reply.content, new RegExp(`^(Hi|Hello|Hey) ${firstName}!`), reply.content);
  const citations = cited(reply.content);
  ok(citations.length > 0, `no citation in: ${reply.content}`);
  for (const id of citations) ok(ids.includes(id), `cites ${id}, not in ${ids}: ${reply.content}`);
  ok(!/has none|found none/.test(reply.content), "never claims there is no documentation");
  return reply.content;
}

Deno.test("offline model answers foreign prompt files rendered with their samples", async (t) => {
  await t.step("markdown_chat.prompty: ### [id] headings, Customer: label, # Rules", async () => {
    const prompt = await foreign("markdown_chat.prompty");
    const messages = renderPrompty(prompt, prompt.sample);
    deepEqual(readPrompt(messages).orders.map((o) => o.name), ["Summit Dome 2 Tent"]);
    const reply = await assertGrounded(messages, "Jonas", ["16-manual-safety"]);
    ok(reply.includes("carbon monoxide"), reply);
  });
  await t.step(
    "outfitter_chat.prompty: catalog/item blocks, the question under # question",
    async () => {
      const prompt = await foreign("outfitter_chat.prompty");
      const sample = prompt.sample as { documentation: { id: string }[] };
      // `history` is no input of the sample: Jinja2 renders its loop empty, so no user message.
      const messages = renderPrompty(prompt, prompt.sample);
      deepEqual(messages.map((m) => m.role), ["system"]);
      const reading = readPrompt(messages);
      deepEqual(reading.orders.map((o) => o.name), ["Dreamhollow 35 Synthetic Sleeping Bag"]);
      const reply = await assertGrounded(messages, "Priya", sample.documentation.map((d) => d.id));
      ok(cited(reply).includes("19"), "the sleeping bag's entry answers a sleeping-bag question");
      match(reply, /-4 °C|2 °C/);
    },
  );
  await t.step(
    "keyword_queries.prompty declares no response_format: it gets an answer",
    async () => {
      const prompt = await foreign("keyword_queries.prompty");
      const reply = await chat.complete(renderPrompty(prompt, prompt.sample), {
        json: prompt.parameters.json,
      });
      throws(
        () => JSON.parse(reply.content),
        "its words ask for a JSON array; its structure does not",
      );
      match(reply.content, /offline model/);
      match(reply.content, /Looking for a warm jacket for winter hikes/);
    },
  );
});

Deno.test("offline model answers rendered prompts in other teams' layouts", async (t) => {
  await t.step("numbered Markdown list with bold titles and (id N), Name: label", async () => {
    const messages: ChatMessage[] = [
      {
        role: "system",
        content: `You are Trailhead Outfitters' virtual assistant.
Name: Sofía Marín
Membership: Silver

**Rules**
1. Use only the product notes below and cite them as [id].
2. Never disclose another customer's details.

Product notes:
1. **Aurora 2P Backpacking Tent** (id TA-2): Weighs 1.6 kg; the fly is silnylon. Seam-seal it once a year.
2. **Kestrel 45 Pack** (id KP-45): A 45 L pack with an adjustable torso length.
`,
      },
      { role: "user", content: "How often should I seal the tent's seams?" },
    ];
    const reply = await assertGrounded(messages, "Sofía", ["TA-2", "KP-45"]);
    deepEqual(cited(reply), ["TA-2"]);
  });
  await t.step("JSON customer and documents, question as the last user message", async () => {
    const customer = { firstName: "Kwame", lastName: "Asante", membership: "none", orders: [] };
    const docs = [
      {
        id: "P-88",
        title: "Granite Peak Hiking Boots",
        content: "Full-grain leather boots with a Vibram sole. Resole after about 1,500 km.",
      },
      {
        id: "P-91",
        title: "Meadow Trail Runners",
        content: "Light mesh trail shoes for dry trails.",
      },
    ];
    const messages: ChatMessage[] = [
      {
        role: "system",
        content: `Customer profile (JSON):\n${JSON.stringify(customer, null, 2)}\n\n` +
          `Retrieved documents (JSON):\n${JSON.stringify(docs, null, 2)}\n`,
      },
      { role: "user", content: "When do the leather boots need a new sole?" },
    ];
    const reply = await assertGrounded(messages, "Kwame", ["P-88", "P-91"]);
    equal(cited(reply)[0], "P-88");
  });
  await t.step("no customer and no documentation are said plainly", async () => {
    const reply = await chat.complete([
      { role: "system", content: "## Question\nWhat size tent do I need for three people?" },
    ]);
    match(reply.content, /no customer name/);
    match(reply.content, /found none/);
    match(reply.content, /What size tent do I need for three people\?/);
  });
});
