/**
 * The pipeline with fakes at its ports: an in-memory customer store, a recording product
 * search, and the offline models (wrapped to observe the calls).
 */
import { deepEqual, equal, ok, rejects, throws } from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { delay } from "../async/delay.ts";
import { loadConfig } from "../config/load.ts";
import { createMemoryCustomerStore } from "../customers/memory_customer_store.ts";
import type { Customer, CustomerStore } from "../customers/types.ts";
import { NotFoundError, UpstreamError, ValidationError } from "../errors.ts";
import { createChatModel, createEmbeddingModel } from "../models/factory.ts";
import type { ChatMessage, ChatModel, EmbeddingModel } from "../models/types.ts";
import type { ProductSearch, SearchHit, SearchQuery } from "../products/types.ts";
import { loadPrompty, parsePrompty } from "../prompty/load.ts";
import { startSpanRecorder } from "../tracing/mod.ts";
import { createChatPipeline, dedupeHits } from "./pipeline.ts";
import type { ChatResponse } from "./types.ts";

const hit = (id: string, score: number, kind: "product" | "manual" = "product"): SearchHit => ({
  id,
  kind,
  productId: id.split("-")[0],
  title: `Title ${id}`,
  content: `Content of ${id}.`,
  url: `/products/${id}`,
  category: "Tents",
  brand: "B",
  score,
});

Deno.test("dedupeHits() merges lists: one entry per id, best score, each query's top first", () => {
  const merged = dedupeHits([
    [hit("a", 0.9), hit("b", 0.8), hit("c", 0.7)],
    [hit("d", 0.6), hit("a", 0.95)],
    [hit("e", 0.5)],
  ], 4);
  deepEqual(merged.map((h) => h.id), ["a", "d", "e", "b"]);
  equal(merged[0].score, 0.95, "the best score of a duplicate is kept");
  deepEqual(dedupeHits([], 3), []);
  deepEqual(dedupeHits([[hit("x", 1)], []], 0), []);
});

const config = loadConfig({});
const offlineChat = createChatModel(config.chat);
const offlineEmbeddings = createEmbeddingModel(config.embedding);
const prompts = (name: string) =>
  loadPrompty(fileURLToPath(new URL(`../../prompts/${name}`, import.meta.url)));
const chatPrompt = await prompts("chat.prompty");
const queryPrompt = await prompts("product.prompty");

const ana: Customer = {
  id: "7",
  firstName: "Ana",
  lastName: "Silva",
  age: 40,
  email: "ana.silva@example.com",
  phone: "555-0199",
  address: "1 Pine St",
  membership: "Base",
  orders: [{
    id: 1,
    productId: "t1",
    quantity: 1,
    total: 10,
    date: "2026-01-01",
    name: "Ridge Tent",
    unitprice: 10,
    category: "Tents",
    brand: "B",
    description: "",
  }],
};

/** A product search fake: returns fixed hits per query, records queries and concurrency. */
function recordingSearch(hitsFor: (q: SearchQuery) => SearchHit[], delayMs = 0) {
  const queries: SearchQuery[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const search: ProductSearch = {
    backend: "fake",
    async search(query, o) {
      queries.push(query);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await delay(delayMs);
      inFlight--;
      return hitsFor(query).slice(0, o?.top ?? 3);
    },
    upsert: () => Promise.resolve(0),
    count: () => Promise.resolve(0),
  };
  return { search, queries, maxInFlight: () => maxInFlight };
}

/** Wrap a chat model to record its messages and optionally delay or replace replies. */
function recordingChat(
  inner: ChatModel,
  options: { delayMs?: number; reply?: string; fail?: Error } = {},
) {
  const calls: ChatMessage[][] = [];
  const model: ChatModel = {
    name: inner.name,
    backend: inner.backend,
    async complete(messages, o) {
      calls.push(messages);
      await delay(options.delayMs ?? 0);
      if (options.fail) throw options.fail;
      if (options.reply !== undefined) return { content: options.reply, finishReason: "stop" };
      return await inner.complete(messages, o);
    },
    stream(messages, o) {
      calls.push(messages);
      return inner.stream(messages, o);
    },
  };
  return { model, calls };
}

function recordingEmbeddings(inner: EmbeddingModel) {
  const calls: string[][] = [];
  const model: EmbeddingModel = {
    name: inner.name,
    backend: inner.backend,
    dimensions: inner.dimensions,
    embed(texts, o) {
      calls.push(texts);
      return inner.embed(texts, o);
    },
  };
  return { model, calls };
}

function slowStore(store: CustomerStore, delayMs: number): CustomerStore {
  return {
    ...store,
    async get(id, o) {
      await delay(delayMs);
      return await store.get(id, o);
    },
  };
}

const catalog = [hit("t1", 0.9), hit("t1-manual-care", 0.8, "manual"), hit("s2", 0.7)];

Deno.test("createChatPipeline() answers from the retrieved material", async () => {
  const search = recordingSearch(() => catalog);
  const chat = recordingChat(offlineChat);
  const embeddings = recordingEmbeddings(offlineEmbeddings);
  const queryModel = recordingChat(offlineChat);
  const pipeline = createChatPipeline({
    chatModel: chat.model,
    queryModel: queryModel.model,
    embeddings: embeddings.model,
    customers: createMemoryCustomerStore([ana]),
    products: search.search,
    chatPrompt,
    queryPrompt,
  });
  const response = await pipeline.getResponse({
    customerId: "7",
    question: "How do I care for my tent?",
    chatHistory: [{ role: "user", content: "I bought the Ridge Tent." }, {
      role: "assistant",
      content: "Great choice!",
    }],
  });
  equal(response.question, "How do I care for my tent?");
  ok(response.answer.includes("Ana"));
  deepEqual(response.context.map((c) => c.id), ["t1", "t1-manual-care", "s2"]);
  deepEqual(Object.keys(response.context[0]).sort(), [
    "content",
    "id",
    "kind",
    "productId",
    "title",
    "url",
  ]);
  ok(response.queries.length >= 1);
  // Every query was embedded in one call and searched once.
  deepEqual(embeddings.calls, [response.queries]);
  deepEqual(search.queries.map((q) => q.text), response.queries);
  ok(search.queries.every((q) => q.vector.length === offlineEmbeddings.dimensions));
  // The chat prompt carries the customer (no contact details), the documentation and the history.
  const sent = chat.calls[0];
  const system = sent[0].content;
  ok(system.includes("first name: Ana"));
  ok(system.includes("id: t1-manual-care"));
  ok(!system.includes("ana.silva@example.com") && !system.includes("555-0199"));
  deepEqual(sent.slice(1).map((m) => m.role), ["user", "assistant", "user"]);
  // The query model saw the history too.
  ok(queryModel.calls[0].some((m) => m.content === "I bought the Ridge Tent."));
  deepEqual(response.timings.map((t) => t.name).sort(), [
    "chat.answer",
    "customer.lookup",
    "products.search",
    "queries.embed",
    "queries.generate",
  ]);
});

Deno.test("createChatPipeline() looks the customer up while it generates queries, and searches concurrently", async () => {
  const search = recordingSearch(() => catalog, 20);
  const pipeline = createChatPipeline({
    chatModel: offlineChat,
    queryModel: recordingChat(offlineChat, { delayMs: 60, reply: '["a", "b", "c"]' }).model,
    embeddings: offlineEmbeddings,
    customers: slowStore(createMemoryCustomerStore([ana]), 60),
    products: search.search,
    chatPrompt,
    queryPrompt,
  });
  const { timings } = await pipeline.getResponse({ customerId: "7", question: "Tents?" });
  const t = Object.fromEntries(timings.map((s) => [s.name, s]));
  const end = (name: string) => t[name].startMs + t[name].durationMs;
  ok(t["customer.lookup"].startMs < end("queries.generate"), "lookup starts before queries end");
  ok(t["queries.generate"].startMs < end("customer.lookup"), "queries start before lookup ends");
  ok(t["queries.embed"].startMs >= Math.max(end("customer.lookup"), end("queries.generate")) - 1);
  equal(search.maxInFlight(), 3, "the three searches run at once");
});

Deno.test("createChatPipeline() falls back to the question when the query model is not JSON", async () => {
  const search = recordingSearch(() => catalog);
  const pipeline = createChatPipeline({
    chatModel: offlineChat,
    queryModel: recordingChat(offlineChat, { reply: "Sure! I'd search for tents." }).model,
    embeddings: offlineEmbeddings,
    customers: createMemoryCustomerStore([ana]),
    products: search.search,
    chatPrompt,
    queryPrompt,
  });
  const response = await pipeline.getResponse({ customerId: "7", question: "Tents for rain?" });
  deepEqual(response.queries, ["Tents for rain?"]);
  deepEqual(search.queries.map((q) => q.text), ["Tents for rain?"]);
});

Deno.test("createChatPipeline() surfaces failures: unknown customer, upstream errors, bad input", async (t) => {
  const base = {
    chatModel: offlineChat,
    embeddings: offlineEmbeddings,
    customers: createMemoryCustomerStore([ana]),
    products: recordingSearch(() => catalog).search,
    chatPrompt,
    queryPrompt,
  };
  await t.step("unknown customer", async () => {
    await rejects(
      createChatPipeline(base).getResponse({ customerId: "404", question: "Hi?" }),
      (e: Error) => e instanceof NotFoundError && e.message === 'Cannot find customer "404"',
    );
  });
  await t.step("the query model fails upstream", async () => {
    const fail = new UpstreamError("down", {
      service: "chat-model",
      status: 503,
      isRetryable: true,
    });
    const pipeline = createChatPipeline({
      ...base,
      queryModel: recordingChat(offlineChat, { fail }).model,
    });
    await rejects(pipeline.getResponse({ customerId: "7", question: "Hi?" }), (e) => e === fail);
  });
  await t.step("the search fails", async () => {
    const down = new UpstreamError("search down", {
      service: "products",
      status: 503,
      isRetryable: true,
    });
    const pipeline = createChatPipeline({
      ...base,
      products: { ...base.products, search: () => Promise.reject(down) },
    });
    await rejects(pipeline.getResponse({ customerId: "7", question: "Hi?" }), (e) => e === down);
  });
  await t.step("bad input is a ValidationError before any call", async () => {
    const chat = recordingChat(offlineChat);
    const pipeline = createChatPipeline({ ...base, chatModel: chat.model });
    await rejects(pipeline.getResponse({ customerId: "7", question: " " }), ValidationError);
    const events = pipeline.streamResponse({ customerId: "", question: "q" });
    await rejects(async () => {
      for await (const _ of events) { /* drain */ }
    }, ValidationError);
    equal(chat.calls.length, 0);
  });
});

Deno.test("createChatPipeline() records a span per step", async () => {
  const recorder = startSpanRecorder();
  try {
    recorder.reset();
    const pipeline = createChatPipeline({
      chatModel: offlineChat,
      embeddings: offlineEmbeddings,
      customers: createMemoryCustomerStore([ana]),
      products: recordingSearch(() => catalog).search,
      chatPrompt,
      queryPrompt,
    });
    const answered = await pipeline.getResponse({ customerId: "7", question: "Tents?" });
    const answeredSpans = recorder.spans();
    // The response's timings are the spans' own times, not a second measurement.
    for (const timing of answered.timings) {
      const span = answeredSpans.find((s) => s.name === timing.name)!;
      ok(Math.abs(span.durationMs - timing.durationMs) < 0.01, timing.name);
    }
    await rejects(pipeline.getResponse({ customerId: "nobody", question: "Tents?" }));
    const spans = recorder.spans();
    const names = spans.map((s) => s.name);
    for (
      const name of [
        "chat.request",
        "customer.lookup",
        "queries.generate",
        "queries.embed",
        "products.search",
        "chat.answer",
      ]
    ) ok(names.includes(name), `missing span ${name}`);
    const ok1 = spans.find((s) => s.name === "customer.lookup" && s.status === "ok")!;
    equal(ok1.attributes["customer.id"], "7");
    ok(spans.some((s) => s.name === "customer.lookup" && s.status === "error"));
    ok(spans.some((s) => s.name === "chat.request" && s.status === "error"));
    const first = spans.find((s) => s.name === "chat.request")!;
    const trace = spans.filter((s) => s.traceId === first.traceId).map((s) => s.name).sort();
    deepEqual(trace, [
      "chat.answer",
      "chat.request",
      "customer.lookup",
      "products.search",
      "queries.embed",
      "queries.generate",
    ], "the steps are part of the request's trace");

    recorder.reset();
    let done: ChatResponse | undefined;
    for await (const event of pipeline.streamResponse({ customerId: "7", question: "Tents?" })) {
      if (event.type === "done") done = event.response;
    }
    const streamed = recorder.spans();
    deepEqual(done!.timings.map((s) => s.name).sort(), [
      "chat.answer",
      "customer.lookup",
      "products.search",
      "queries.embed",
      "queries.generate",
    ]);
    const root = streamed.find((s) => s.name === "chat.request.stream")!;
    // The root encloses its steps exactly, in both forms (one clock for the whole request).
    for (
      const [spans, rootName] of [[answeredSpans, "chat.request"], [streamed, root.name]] as const
    ) {
      const top = spans.find((s) => s.name === rootName)!;
      for (const step of spans.filter((s) => s.traceId === top.traceId && s !== top)) {
        ok(step.startMs >= top.startMs, `${rootName}: ${step.name} starts before its root`);
        ok(
          step.startMs + step.durationMs <= top.startMs + top.durationMs + 1e-3,
          `${rootName}: ${step.name} ends after its root`,
        );
      }
    }
    // (The failed request's query generation may end after the reset: match by trace.)
    for (const timing of done!.timings) {
      const span = streamed.find((s) => s.name === timing.name && s.traceId === root.traceId)!;
      ok(Math.abs(span.durationMs - timing.durationMs) < 0.01, `stream ${timing.name}`);
    }
    deepEqual(
      streamed.filter((s) => s.traceId === root.traceId).map((s) => s.name).sort(),
      [
        "chat.answer",
        "chat.request.stream",
        "customer.lookup",
        "products.search",
        "queries.embed",
        "queries.generate",
      ],
      "the streaming form's steps are part of its request's trace too",
    );
  } finally {
    await recorder.shutdown();
  }
});

/** A prompt parsed from text, as another team might write it. */
const foreignPrompt = (name: string, text: string) =>
  parsePrompty(text, { path: `/prompts/${name}.prompty` });

const workshopStyle = await foreignPrompt(
  "workshop_style",
  `---
name: Workshop style
model:
  api: chat
  configuration:
    type: azure_openai
    azure_deployment: \${ENV:AZURE_OPENAI_CHAT_DEPLOYMENT}
inputs:
  customer:
    type: object
  question:
    type: string
---
system:
# Documentation
{% for item in documentation %}
catalog: {{item.id}}
item: {{item.title}}
content: {{item.content}}
{% endfor %}

# Previous Orders
{% for item in customer.orders %}
name: {{item.name}}
description: {{item.description}}
{% endfor %}

# Customer Context
The customer's name is {{customer.firstName}} {{customer.lastName}} and is {{customer.age}} years old.
{{customer.firstName}} {{customer.lastName}} has a "{{customer.membership}}" membership status.

{% for item in history %}
{{item.role}}:
{{item.content}}
{% endfor %}

user:
{{question}}
`,
);

Deno.test("createChatPipeline() passes the standard inputs to a chat prompt that declares fewer", async () => {
  const chat = recordingChat(offlineChat, { reply: "Hello Ana!" });
  const customer: Customer = {
    ...ana,
    orders: [{ ...ana.orders[0], description: "A three-season ridge tent for two." }],
  };
  const pipeline = createChatPipeline({
    chatModel: chat.model,
    embeddings: offlineEmbeddings,
    customers: createMemoryCustomerStore([customer]),
    products: recordingSearch(() => catalog).search,
    chatPrompt: workshopStyle,
    queryPrompt,
    queryModel: offlineChat,
  });
  const response = await pipeline.getResponse({ customerId: "7", question: "How do I pitch it?" });
  equal(response.answer, "Hello Ana!");
  const [system, user] = chat.calls[0];
  equal(system.role, "system");
  ok(system.content.includes("The customer's name is Ana Silva and is 40 years old."));
  ok(system.content.includes('has a "Base" membership status'));
  ok(system.content.includes("description: A three-season ridge tent for two."));
  ok(system.content.includes("catalog: t1-manual-care\nitem: Title t1-manual-care"));
  ok(!/\n(user|assistant):/i.test(system.content), "the undeclared history loop is empty");
  deepEqual(user, { role: "user", content: "How do I pitch it?" });
});

Deno.test("createChatPipeline() never lets contact details reach the rendered messages", async () => {
  const snoop = await foreignPrompt(
    "snoop",
    `---
name: Snoop
---
system:
email={{ customer.email }} phone={{ customer.phone }} address={{ customer.address }}
all={{ customer | tojson }}
{% for o in customer.orders %}{{ o | tojson }}{% endfor %}

user:
{{ question }}
`,
  );
  const chat = recordingChat(offlineChat, { reply: "ok" });
  const foreign = {
    ...ana,
    emailAddress: "ana.work@example.com",
    mobilePhone: "555-0177",
    shippingAddress: { street: "2 Birch Ave", city: "Eugene" },
    orders: [{ ...ana.orders[0], deliveryAddress: "3 Oak Ln" }],
  } as unknown as Customer;
  const pipeline = createChatPipeline({
    chatModel: chat.model,
    embeddings: offlineEmbeddings,
    customers: createMemoryCustomerStore([foreign]),
    products: recordingSearch(() => catalog).search,
    chatPrompt: snoop,
    queryPrompt,
    queryModel: offlineChat,
  });
  await pipeline.getResponse({ customerId: "7", question: "What is my email?" });
  const text = chat.calls[0].map((m) => m.content).join("\n");
  ok(/"firstName": ?"Ana"/.test(text) && /"age": ?40/.test(text), text);
  ok(/"name": ?"Ridge Tent"/.test(text), text);
  for (const secret of ["example.com", "555-01", "Pine St", "Birch", "Eugene", "Oak Ln"]) {
    ok(!text.includes(secret), `${secret} reached the model: ${text}`);
  }
});

Deno.test("createChatPipeline() uses the queries of a JSON-object reply", async () => {
  const search = recordingSearch(() => catalog);
  const pipeline = createChatPipeline({
    chatModel: offlineChat,
    queryModel: recordingChat(offlineChat, {
      reply: '{"queries": ["tent care", "tent cleaning"]}',
    }).model,
    embeddings: offlineEmbeddings,
    customers: createMemoryCustomerStore([ana]),
    products: search.search,
    chatPrompt,
    queryPrompt,
  });
  const response = await pipeline.getResponse({ customerId: "7", question: "Tent care?" });
  deepEqual(response.queries, ["tent care", "tent cleaning"]);
  deepEqual(search.queries.map((q) => q.text), ["tent care", "tent cleaning"]);
});

Deno.test("createChatPipeline() refuses a prompt that cannot serve a request when it is built", async (t) => {
  const base = {
    chatModel: offlineChat,
    embeddings: offlineEmbeddings,
    customers: createMemoryCustomerStore([ana]),
    products: recordingSearch(() => catalog).search,
    chatPrompt,
    queryPrompt,
  };
  await t.step("a chat prompt that renders no message", async () => {
    const empty = await foreignPrompt("empty", "---\nname: Empty\n---\n{# nothing yet #}\n");
    throws(
      () => createChatPipeline({ ...base, chatPrompt: empty }),
      (e: Error) =>
        e instanceof SyntaxError &&
        e.message ===
          'Cannot render prompt "/prompts/empty.prompty": the chat prompt renders no message',
    );
  });
  await t.step("a query prompt that renders no message", async () => {
    const empty = await foreignPrompt("blank", "---\nname: Blank\n---\n\n");
    throws(
      () => createChatPipeline({ ...base, queryPrompt: empty }),
      /Cannot render prompt "\/prompts\/blank\.prompty": the query prompt renders no message/,
    );
  });
});

Deno.test("createChatPipeline() passes the request's onRetry to every model call and sums usage", async (t) => {
  const onRetry = () => {};
  const seen: { call: string; onRetry: unknown }[] = [];
  const reply = (content: string, promptTokens: number) => ({
    content,
    finishReason: "stop",
    usage: { promptTokens, completionTokens: 3 },
  });
  const queryModel: ChatModel = {
    name: "q",
    backend: "fake",
    complete: (
      _m,
      o,
    ) => (seen.push({ call: "queries", onRetry: o?.onRetry }),
      Promise.resolve(reply('["tent care"]', 40))),
    stream: () => (async function* () {})(),
  };
  const chatModel: ChatModel = {
    name: "c",
    backend: "fake",
    complete: (
      _m,
      o,
    ) => (seen.push({ call: "answer", onRetry: o?.onRetry }),
      Promise.resolve(reply("Hi Ana! Dry it before storing [t1].", 300))),
    async *stream(_m, o) {
      seen.push({ call: "stream", onRetry: o?.onRetry });
      yield "Hi Ana!";
    },
  };
  const embeddings: EmbeddingModel = {
    ...offlineEmbeddings,
    embed: (
      texts,
      o,
    ) => (seen.push({ call: "embed", onRetry: o?.onRetry }),
      offlineEmbeddings.embed(texts, { signal: o?.signal })),
  };
  const pipeline = createChatPipeline({
    chatModel,
    queryModel,
    embeddings,
    customers: createMemoryCustomerStore([ana]),
    products: recordingSearch(() => catalog).search,
    chatPrompt,
    queryPrompt,
  });
  const request = { customerId: "7", question: "How do I care for my tent?", onRetry };

  await t.step("getResponse(): query generation, embedding and answer", async () => {
    const response = await pipeline.getResponse(request);
    deepEqual(seen.map((s) => s.call), ["queries", "embed", "answer"]);
    ok(seen.every((s) => s.onRetry === onRetry));
    deepEqual(response.usage, { promptTokens: 340, completionTokens: 6 });
  });

  await t.step("streamResponse(): the streamed answer too; no partial usage", async () => {
    seen.length = 0;
    let done: ChatResponse | undefined;
    for await (const event of pipeline.streamResponse(request)) {
      if (event.type === "done") done = event.response;
    }
    deepEqual(seen.map((s) => s.call), ["queries", "embed", "stream"]);
    ok(seen.every((s) => s.onRetry === onRetry));
    equal(done?.usage, undefined, "a stream reports no usage, so none is claimed");
  });

  await t.step("no usage reported: none in the response", async () => {
    const bare = createChatPipeline({
      chatModel: recordingChat(offlineChat, { reply: "Hi Ana!" }).model,
      queryModel: recordingChat(offlineChat, { reply: "[]" }).model,
      embeddings: offlineEmbeddings,
      customers: createMemoryCustomerStore([ana]),
      products: recordingSearch(() => catalog).search,
      chatPrompt,
      queryPrompt,
    });
    equal((await bare.getResponse(request)).usage, undefined);
  });
});
