/**
 * The offline model's cost per chat completion on the project's chat prompt with six
 * documentation items (the pipeline's default context size), through its `fetch` handler.
 * Run with `deno bench -A bench/offline_model_bench.ts`.
 */
import { fileURLToPath } from "node:url";
import { loadPrompty } from "../lib/prompty/load.ts";
import { renderPrompty } from "../lib/prompty/render.ts";
import { createOfflineFetch } from "../lib/models/offline/handler.ts";
import { readPrompt, readSystem } from "../lib/models/offline/prompt_reader.ts";

const root = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));
const chatPrompt = await loadPrompty(root("prompts/chat.prompty"));
const queryPrompt = await loadPrompty(root("prompts/product.prompty"));
const csv = await Deno.readTextFile(root("data/products.csv"));
const documentation = csv.split("\n").slice(1, 7).map((line) => {
  const [id, name] = line.split(",");
  return { id, title: name, content: line.slice(line.indexOf('"') + 1, -1) };
});
const customer = {
  firstName: "Maya",
  lastName: "Okafor",
  membership: "Gold",
  orders: [{ productId: "1", name: "Summit Dome 2 Tent", quantity: 1, date: "2026-05-14" }],
};
const fetch = createOfflineFetch();
const post = (messages: unknown, extra: Record<string, unknown> = {}) =>
  fetch("http://offline.invalid/v1/chat/completions", {
    method: "POST",
    body: JSON.stringify({ model: "m", messages, ...extra }),
  }).then((r) => r.json());
const questions = ["How much does the tent weigh?", "Which tent is best for a family?"];
const chats = questions.map((question) =>
  renderPrompty(chatPrompt, { customer, documentation, question, chat_history: [] })
);
const queries = questions.map((question) => renderPrompty(queryPrompt, { question }));

Deno.bench("offline chat completion (chat.prompty, 6 documentation items)", async () => {
  for (const messages of chats) await post(messages);
});
Deno.bench("offline query generation (product.prompty)", async () => {
  for (const messages of queries) {
    await post(
      messages,
      queryPrompt.parameters.json ? { response_format: { type: "json_object" } } : {},
    );
  }
});
Deno.bench("readPrompt() on chat.prompty with 6 documentation items", () => {
  for (const messages of chats) readPrompt(messages);
});
Deno.bench("readSystem() unmemoised, chat.prompty with 6 documentation items", () => {
  for (const messages of chats) readSystem(messages[0].content);
});
