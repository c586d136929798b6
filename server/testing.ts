/**
 * Fakes for the server's ports, for tests and demos: a chat pipeline that answers from fixed
 * text (optionally slowly, or failing at a chosen point), an in-memory customer store, and
 * readiness checks. They follow the real contracts: an unknown customer rejects with
 * `NotFoundError`, events come as `context`, `delta`*, `done`.
 *
 * @module
 */
import { delay } from "../lib/async/delay.ts";
import type { Config } from "../lib/config/types.ts";
import { loadConfig } from "../lib/config/load.ts";
import type {
  ChatEvent,
  ChatPipeline,
  ChatRequest,
  ChatResponse,
  ContextItem,
} from "../lib/chat/types.ts";
import type { Customer, CustomerStore } from "../lib/customers/types.ts";
import { NotFoundError } from "../lib/errors.ts";
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

/** Options of {@link createFakePipeline}. */
export interface FakePipelineOptions {
  /** Answer text (Markdown); `{name}` becomes the customer's first name. */
  answer?: string;
  context?: ContextItem[];
  /** Wait before each event (ms), to see streaming arrive incrementally. */
  delayMs?: number;
  /** Throw this from both methods before anything is produced. */
  failWith?: () => Error;
  /** Throw `failWith` after this many stream events instead (mid-stream failure). */
  failAfterEvents?: number;
  /** Never finish (a hung upstream), until the request's signal aborts. */
  hang?: boolean;
  customers?: Customer[];
}

/** A fake pipeline that records the requests it saw. */
export interface FakePipeline extends ChatPipeline {
  requests: ChatRequest[];
  /** Signals of the requests, to check that cancellation reaches the pipeline. */
  aborted(): number;
}

/**
 * A fake chat pipeline.
 *
 * @example
 * ```ts
 * import { createFakePipeline } from "./testing.ts";
 * const pipeline = createFakePipeline({ answer: "Hi {name}!" });
 * const res = await pipeline.getResponse({ customerId: "1", question: "Tents?" });
 * console.assert(res.answer === "Hi Sarah!");
 * ```
 */
export function createFakePipeline(options: FakePipelineOptions = {}): FakePipeline {
  const customers = options.customers ?? FAKE_CUSTOMERS;
  const context = options.context ?? FAKE_CONTEXT;
  const requests: ChatRequest[] = [];

  const prepare = (request: ChatRequest) => {
    requests.push(request);
    if (typeof request.question !== "string" || request.question.trim() === "") {
      throw new TypeError("question must not be empty");
    }
    const customer = customers.find((c) => c.id === request.customerId);
    if (!customer) throw new NotFoundError("customer", request.customerId);
    const answer = (options.answer ??
      "Hi {name}! For a weekend in the mountains I recommend the **TrailMaster X4 Tent** [1].")
      .replaceAll("{name}", customer.firstName);
    const response: ChatResponse = {
      question: request.question,
      answer,
      context,
      queries: [request.question],
      timings: [],
    };
    return response;
  };

  const hang = (signal?: AbortSignal) =>
    new Promise<never>((_, reject) => {
      signal?.addEventListener("abort", () => reject(signal.reason), { once: true });
    });

  return {
    requests,
    aborted: () => requests.filter((r) => r.signal?.aborted).length,
    async getResponse(request) {
      if (options.failWith && options.failAfterEvents === undefined) throw options.failWith();
      const response = prepare(request);
      if (options.delayMs) await delay(options.delayMs, { signal: request.signal });
      if (options.hang) await hang(request.signal);
      return response;
    },
    async *streamResponse(request): AsyncGenerator<ChatEvent> {
      if (options.failWith && options.failAfterEvents === undefined) throw options.failWith();
      const response = prepare(request);
      const events: ChatEvent[] = [
        { type: "context", context: response.context, queries: response.queries },
        ...(response.answer.match(/\S+\s*/g) ?? []).map((text) => ({
          type: "delta" as const,
          text,
        })),
        { type: "done", response },
      ];
      for (const [i, event] of events.entries()) {
        if (options.failWith && i === options.failAfterEvents) throw options.failWith();
        if (options.hang && i === 1) await hang(request.signal);
        if (options.delayMs) await delay(options.delayMs, { signal: request.signal });
        yield event;
      }
    },
  };
}

/** An in-memory customer store. `list` can be made to fail with `failWith`. */
export function createFakeCustomerStore(
  customers: Customer[] = FAKE_CUSTOMERS,
  options: { failWith?: () => Error } = {},
): CustomerStore {
  const byId = new Map(customers.map((c) => [c.id, structuredClone(c)]));
  return {
    backend: "fake",
    get(id) {
      if (options.failWith) return Promise.reject(options.failWith());
      const found = byId.get(id);
      return found ? Promise.resolve(structuredClone(found)) : Promise.reject(
        new NotFoundError("customer", id),
      );
    },
    list() {
      if (options.failWith) return Promise.reject(options.failWith());
      return Promise.resolve([...byId.values()].map((c) => structuredClone(c)));
    },
    upsert(list) {
      for (const c of list) byId.set(c.id, structuredClone(c));
      return Promise.resolve(list.length);
    },
    count() {
      return Promise.resolve(byId.size);
    },
  };
}

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
  const pipeline = createFakePipeline(pipelineOptions);
  const deps: AppDeps = {
    config: testConfig(env),
    pipeline,
    customers: createFakeCustomerStore(),
    checkServices: fakeChecks(),
    logger,
    version: "9.9.9-test",
    readinessCacheMs: 0,
    ...rest,
  };
  return { app: createApp(deps), deps, pipeline, logger };
}
