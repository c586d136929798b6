import { deepEqual, equal, ok } from "node:assert/strict";
import { loadConfig } from "../config/load.ts";
import { createMemoryCustomerStore } from "../customers/memory_customer_store.ts";
import { type ServiceName, UpstreamError } from "../errors.ts";
import type { ChatModel, EmbeddingModel } from "../models/types.ts";
import type { ProductSearch } from "../products/types.ts";
import { checkServices } from "./checks.ts";
import type { Runtime } from "./types.ts";

const upstream = (service: ServiceName, status: number) =>
  new UpstreamError(`The ${service} returned HTTP ${status}`, {
    service,
    status,
    isRetryable: status >= 500 || status === 429,
  });

function chatModel(backend: string, fail?: Error): ChatModel {
  return {
    name: "m",
    backend,
    complete: () =>
      fail ? Promise.reject(fail) : Promise.resolve({ content: "ready", finishReason: "stop" }),
    stream: () => (async function* () {})(),
  };
}

function embeddingModel(backend: string, fail?: Error): EmbeddingModel {
  return {
    name: "e",
    backend,
    dimensions: 8,
    embed: (texts) =>
      fail ? Promise.reject(fail) : Promise.resolve(texts.map(() => new Array(8).fill(0))),
  };
}

function products(backend: string, fail?: Error): ProductSearch {
  return {
    backend,
    search: () => Promise.resolve([]),
    upsert: () => Promise.resolve(0),
    count: () => (fail ? Promise.reject(fail) : Promise.resolve(42)),
  };
}

/** A runtime made of fakes at its ports (checkServices only reads the parts). */
function fakeRuntime(parts: Partial<Runtime>): Runtime {
  return {
    config: loadConfig({}),
    chatModel: chatModel("offline"),
    embeddingModel: embeddingModel("offline"),
    customers: createMemoryCustomerStore([]),
    products: products("embedded"),
    pipeline: {} as Runtime["pipeline"],
    checkServices: () => Promise.resolve([]),
    close: () => Promise.resolve(),
    ...parts,
  };
}

Deno.test("checkServices() reports each service with its latency and what it saw", async () => {
  const checks = await checkServices(fakeRuntime({ evaluationModel: chatModel("azure-openai") }));
  deepEqual(checks.map((c) => [c.service, c.backend, c.ok, c.detail]), [
    ["chat-model", "offline", true, "answered (5 characters)"],
    ["embedding-model", "offline", true, "8-dimension vector"],
    ["customers", "memory", true, "0 customers"],
    ["products", "embedded", true, "42 documents indexed"],
    ["eval-model", "azure-openai", true, 'answered "ready"'],
  ]);
  ok(checks.every((c) => c.latencyMs >= 0 && c.fix === undefined));
});

Deno.test("checkServices() gives the fix that fits each failure", async () => {
  const checks = await checkServices(fakeRuntime({
    chatModel: chatModel("azure-openai", upstream("chat-model", 401)),
    embeddingModel: embeddingModel("openai-compatible", upstream("embedding-model", 404)),
    customers: createMemoryCustomerStore([], { failWith: () => upstream("customers", 404) }),
    products: products("azure-search", upstream("products", 429)),
    evaluationModel: chatModel("openai-compatible", upstream("eval-model", 403)),
  }));
  const fix = Object.fromEntries(checks.map((c) => [c.service, c]));
  ok(checks.every((c) => !c.ok));
  equal(fix["chat-model"].detail, "The chat-model returned HTTP 401");
  ok(fix["chat-model"].fix!.includes("az login"));
  ok(fix["embedding-model"].fix!.includes("deployment or model name"));
  ok(fix["customers"].fix!.includes("deno task seed"));
  ok(fix["products"].fix!.includes("rate limiting"));
  ok(fix["eval-model"].fix!.includes("OPENAI_API_KEY"));
});

Deno.test("checkServices() points embedded failures at the data folder", async () => {
  const [, , customers] = await checkServices(fakeRuntime({
    customers: createMemoryCustomerStore([], {
      failWith: () => new Error("server stopped"),
      backend: "embedded",
    }),
  }));
  equal(customers.ok, false);
  equal(customers.detail, "server stopped");
  ok(customers.fix!.includes("CONTOSO_DATA_DIR"), customers.fix);
});
