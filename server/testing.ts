/**
 * The server on fakes, for tests and demos: the fake customers and context, readiness checks,
 * and `createTestApp`, which wires the ports' own fakes (the chat pipeline's from
 * `lib/chat/fake_pipeline.ts`, answering the fake customers by name; the in-memory customer
 * store) into the app with a memory logger.
 *
 * @module
 */
import type { Config } from "../lib/config/types.ts";
import { loadConfig } from "../lib/config/load.ts";
import type { ContextItem } from "../lib/chat/types.ts";
import { createFakePipeline, type FakePipelineOptions } from "../lib/chat/fake_pipeline.ts";
import type { Customer } from "../lib/customers/types.ts";
import { createMemoryCustomerStore } from "../lib/customers/memory_customer_store.ts";
import type { ServiceCheck } from "../lib/runtime/types.ts";
import { createApp } from "./app.ts";
import { createMemoryLogger } from "./logger.ts";
import type { AppDeps } from "./types.ts";

/** Customers with contact details, so tests can prove those never leave the server. */
export const FAKE_CUSTOMERS: Customer[] = [
  {
    id: "1",
    firstName: "Sarah",
    lastName: "Lee",
    age: 38,
    email: "sarah.lee@example.com",
    phone: "555-0101",
    address: "12 Pine St, Seattle",
    membership: "Gold",
    orders: [],
  },
  {
    id: "2",
    firstName: "David",
    lastName: "Kim",
    age: 42,
    email: "david.kim@example.com",
    phone: "555-0102",
    address: "34 Cedar Ave, Portland",
    membership: "Base",
    orders: [],
  },
  {
    id: "10",
    firstName: "Amanda",
    lastName: "Perez",
    age: 29,
    email: "amanda.perez@example.com",
    phone: "555-0110",
    address: "56 Birch Rd, Denver",
    membership: "Platinum",
    orders: [],
  },
];

/** The context every fake answer cites: one product and one manual passage. */
export const FAKE_CONTEXT: ContextItem[] = [
  {
    id: "1",
    kind: "product",
    productId: "1",
    title: "TrailMaster X4 Tent",
    url: "/products/trailmaster-x4-tent",
    content: "A spacious four-person tent with a durable rainfly.",
  },
  {
    id: "1-manual-0",
    kind: "manual",
    productId: "1",
    title: "TrailMaster X4 Tent manual: setup",
    url: "/manuals/trailmaster-x4-tent#setup",
    content: "Stake the corners first, then raise the poles.",
  },
];

/** The answer of the server's fake pipeline: Markdown, naming the customer, citing [1]. */
export const FAKE_ANSWER =
  "Hi {name}! For a weekend in the mountains I recommend the **TrailMaster X4 Tent** [1].";

/** Readiness checks that all pass, or fail for the named services. */
export function fakeChecks(
  failing: ServiceCheck["service"][] = [],
): (options?: { signal?: AbortSignal }) => Promise<ServiceCheck[]> {
  const services: ServiceCheck["service"][] = [
    "chat-model",
    "embedding-model",
    "customers",
    "products",
  ];
  return () =>
    Promise.resolve(services.map((service) => ({
      service,
      backend: "fake",
      ok: !failing.includes(service),
      latencyMs: 1,
      detail: failing.includes(service) ? `secret-internal-detail for ${service}` : "ok",
      fix: failing.includes(service) ? "check the fake" : undefined,
    })));
}

/** Azure settings, complete, of an account that does not exist (production-mode tests). */
export const FAKE_AZURE_ENV: Readonly<Record<string, string>> = {
  AZURE_OPENAI_ENDPOINT: "https://contoso-test.openai.azure.com",
  AZURE_OPENAI_CHAT_DEPLOYMENT: "chat",
  AZURE_OPENAI_EMBEDDING_DEPLOYMENT: "embedding",
  COSMOS_ENDPOINT: "https://contoso-test.documents.azure.com:443/",
  AZURE_SEARCH_ENDPOINT: "https://contoso-test.search.windows.net",
};

/** Configuration for tests: embedded defaults, with environment-style overrides. */
export type { FakePipelineOptions };

/** Configuration for tests: embedded defaults, with environment-style overrides. */
export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig(env);
}

/**
 * An app on fakes, plus the fakes and the log records, for in-process tests.
 *
 * @example
 * ```ts
 * import { createTestApp } from "./testing.ts";
 * const { app } = createTestApp();
 * const res = await app.request("/health");
 * console.assert(res.status === 200);
 * ```
 */
export function createTestApp(
  overrides: Partial<AppDeps> & {
    env?: Record<string, string>;
    pipelineOptions?: FakePipelineOptions;
  } = {},
) {
  const { env, pipelineOptions, ...rest } = overrides;
  const logger = createMemoryLogger();
  // The server's fake knows the fake customers, answers by name and reports no token usage.
  const pipeline = createFakePipeline({
    answer: FAKE_ANSWER,
    context: FAKE_CONTEXT,
    customers: FAKE_CUSTOMERS,
    usage: null,
    ...pipelineOptions,
  });
  const deps: AppDeps = {
    config: testConfig(env),
    pipeline,
    customers: createMemoryCustomerStore(FAKE_CUSTOMERS, { backend: "fake" }),
    checkServices: fakeChecks(),
    logger,
    version: "9.9.9-test",
    readinessCacheMs: 0,
    ...rest,
  };
  return { app: createApp(deps), deps, pipeline, logger };
}
