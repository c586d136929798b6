import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { createChatPipeline } from "../chat/pipeline.ts";
import { createMemoryCustomerStore } from "../customers/memory_customer_store.ts";
import type { ChatModel, EmbeddingModel } from "../models/types.ts";
import type { ProductSearch } from "../products/types.ts";
import { loadPrompty } from "../prompty/load.ts";
import { genAiAttributes } from "./gen_ai.ts";
import { startSpanRecorder } from "./mod.ts";

Deno.test("genAiAttributes() names operation, provider, model, parameters and usage", async (t) => {
  await t.step("Azure OpenAI, both provider spellings", () => {
    assert.deepEqual(
      genAiAttributes({
        operation: "chat",
        backend: "azure-openai",
        model: "gpt-4.1-mini",
        temperature: 0.2,
        maxTokens: 800,
        usage: { promptTokens: 1200, completionTokens: 96 },
      }),
      {
        "gen_ai.operation.name": "chat",
        "gen_ai.system": "az.ai.openai",
        "gen_ai.provider.name": "azure.ai.openai",
        "gen_ai.request.model": "gpt-4.1-mini",
        "gen_ai.request.temperature": 0.2,
        "gen_ai.request.max_tokens": 800,
        "gen_ai.usage.input_tokens": 1200,
        "gen_ai.usage.output_tokens": 96,
      },
    );
  });
  await t.step("an OpenAI-compatible endpoint is openai; absent values are left out", () => {
    const a = genAiAttributes({
      operation: "embeddings",
      backend: "openai-compatible",
      model: "m",
    });
    assert.equal(a["gen_ai.provider.name"], "openai");
    assert.equal(a["gen_ai.operation.name"], "embeddings");
    assert.ok(!("gen_ai.usage.input_tokens" in a));
    assert.ok(!("gen_ai.request.temperature" in a));
  });
});

const prompt = (name: string) =>
  loadPrompty(fileURLToPath(new URL(`../../prompts/${name}`, import.meta.url)));

Deno.test("createChatPipeline() puts GenAI attributes on the spans of its model calls", async () => {
  // Deployments as an Azure OpenAI resource names them, with usage as the service reports it.
  let calls = 0;
  const chat: ChatModel = {
    name: "contoso-chat-4o",
    backend: "azure-openai",
    complete: () =>
      Promise.resolve({
        content: ++calls === 1 ? '["two person tent"]' : "Hi Lee! The Ridge Tent [t1].",
        finishReason: "stop",
        usage: calls === 1
          ? { promptTokens: 310, completionTokens: 12 }
          : { promptTokens: 1450, completionTokens: 40 },
      }),
    async *stream() {
      yield "Hi";
    },
  };
  const embeddings: EmbeddingModel = {
    name: "contoso-embed",
    backend: "azure-openai",
    dimensions: 3,
    embed: (texts) => Promise.resolve(texts.map(() => [0.1, 0.2, 0.3])),
  };
  const products: ProductSearch = {
    backend: "fake",
    search: () =>
      Promise.resolve([{
        id: "t1",
        kind: "product",
        productId: "t1",
        title: "Ridge Tent",
        url: "/products/t1",
        content: "A two-person tent.",
        category: "Tents",
        brand: "Ridgeline",
        score: 1,
      }]),
    upsert: () => Promise.resolve(0),
    count: () => Promise.resolve(1),
  };
  const recorder = startSpanRecorder();
  try {
    recorder.reset();
    const pipeline = createChatPipeline({
      chatModel: chat,
      embeddings,
      customers: createMemoryCustomerStore([{
        id: "c1",
        firstName: "Lee",
        lastName: "Park",
        age: 31,
        email: "lee@example.com",
        phone: "555-0100",
        address: "2 Elm St",
        membership: "Gold",
        orders: [],
      }]),
      products,
      chatPrompt: await prompt("chat.prompty"),
      queryPrompt: await prompt("product.prompty"),
    });
    await pipeline.getResponse({ customerId: "c1", question: "Which tent for two?" });
    const span = (name: string) => recorder.spans().find((s) => s.name === name)!.attributes;
    const answer = span("chat.answer");
    assert.equal(answer["gen_ai.operation.name"], "chat");
    assert.equal(answer["gen_ai.system"], "az.ai.openai");
    assert.equal(answer["gen_ai.request.model"], "contoso-chat-4o");
    assert.equal(answer["gen_ai.usage.input_tokens"], 1450);
    assert.equal(answer["gen_ai.usage.output_tokens"], 40);
    const queries = span("queries.generate");
    assert.equal(queries["gen_ai.operation.name"], "chat");
    assert.equal(queries["gen_ai.usage.input_tokens"], 310);
    const embed = span("queries.embed");
    assert.equal(embed["gen_ai.operation.name"], "embeddings");
    assert.equal(embed["gen_ai.request.model"], "contoso-embed");
    // Steps that call no model carry no GenAI attributes.
    assert.ok(!("gen_ai.operation.name" in span("products.search")));
    assert.ok(!("gen_ai.operation.name" in span("customer.lookup")));
  } finally {
    await recorder.shutdown();
  }
});
