/**
 * Shared harness of the reliability suites (tests/reliability_*_test.ts): an OpenAI-compatible
 * model endpoint at the `fetch` boundary that answers like the offline model until told to
 * fail (429 with or without `Retry-After`, 500, a hang, malformed JSON, Azure's content
 * filter, a stream cut mid-way, a dropped connection), failing fakes of the customer store and
 * the search index at their ports, and the real app built on them with `createRuntime`, so
 * every fault travels the production code path: the `openai` client, retries, the pipeline,
 * `toHttpError` and the access log.
 *
 * @module
 */
import { loadConfig } from "../lib/config/load.ts";
import type { Config } from "../lib/config/types.ts";
import { createChatPipeline } from "../lib/chat/pipeline.ts";
import type { Customer, CustomerStore } from "../lib/customers/types.ts";
import { UpstreamError } from "../lib/errors.ts";
import { createOfflineFetch, type FetchFn } from "../lib/models/offline/handler.ts";
import type { ProductSearch } from "../lib/products/types.ts";
import { checkServices } from "../lib/runtime/checks.ts";
import { type ComposedRuntime, createRuntime } from "../lib/runtime/mod.ts";
import { createApp } from "../server/app.ts";
import { createJsonLogger } from "../server/logger.ts";
import { readServerSentEvents } from "../server/local.ts";
import { loadDataSet } from "../lib/seed/load_data.ts";
import { fileURLToPath as fromFileUrl } from "node:url";

/** A fault the fake model endpoint can answer a call with. */
export type Fault =
  | { kind: "status"; status: number; retryAfter?: string }
  | { kind: "hang" }
  | { kind: "malformed" }
  | { kind: "content-filter" }
  | { kind: "cut-stream"; afterEvents: number; how: "close" | "error" }
  | { kind: "network" };

/** One call the model endpoint received. */
export interface ModelCall {
  /** 1-based, over the endpoint's life. */
  n: number;
  route: "chat" | "embeddings" | "other";
  stream: boolean;
  /** The raw request body (the prompt is in it). */
  body: string;
  at: number;
  fault?: Fault["kind"];
}

/** Decides, per call, whether to fail it. */
export type FaultPlan = (call: ModelCall) => Fault | undefined;

/** The fault-injecting model endpoint. */
export interface FaultModel {
  fetch: FetchFn;
  calls: ModelCall[];
  /** Replace the plan (undefined: answer every call normally). */
  setPlan(plan?: FaultPlan): void;
  /** Forget the calls seen so far. */
  clearCalls(): void;
}

/** Azure OpenAI's content-filter refusal (HTTP 400), as its REST API sends it. */
export const CONTENT_FILTER_BODY = {
  error: {
    message: "The response was filtered due to the prompt triggering Azure OpenAI's content " +
      "management policy.",
    type: null,
    param: "prompt",
    code: "content_filter",
    status: 400,
    innererror: {
      code: "ResponsibleAIPolicyViolation",
      content_filter_result: { jailbreak: { filtered: true, detected: true } },
    },
  },
};

const encoder = new TextEncoder();

function hang(signal: AbortSignal | null | undefined): Promise<never> {
  return new Promise((_, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    signal?.addEventListener("abort", () => reject(signal.reason), { once: true });
  });
}

/** Pass the first `afterEvents` server-sent events of `body` through, then cut. */
function cutStream(
  body: ReadableStream<Uint8Array>,
  afterEvents: number,
  how: "close" | "error",
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          if (sent >= afterEvents) {
            void reader.cancel();
            if (how === "close") controller.close();
            else controller.error(new TypeError("error reading a body from connection"));
            return;
          }
          controller.enqueue(encoder.encode(buffer.slice(0, end + 2)));
          buffer = buffer.slice(end + 2);
          sent++;
          return;
        }
        const { value, done } = await reader.read();
        if (done) {
          controller.close();
          return;
        }
        buffer += decoder.decode(value, { stream: true });
      }
    },
    cancel() {
      void reader.cancel();
    },
  });
}

/**
 * A model endpoint that answers like the offline model (through the same handler) unless the
 * plan returns a fault for the call.
 */
export function createFaultModel(options: { dimensions?: number; plan?: FaultPlan } = {}) {
  const offline = createOfflineFetch({ dimensions: options.dimensions ?? 1536 });
  let plan = options.plan;
  const calls: ModelCall[] = [];
  let n = 0;
  const fetch: FetchFn = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const body = typeof init?.body === "string"
      ? init.body
      : input instanceof Request
      ? await input.clone().text()
      : "";
    const route = url.endsWith("/chat/completions")
      ? "chat"
      : url.endsWith("/embeddings")
      ? "embeddings"
      : "other";
    const call: ModelCall = {
      n: ++n,
      route,
      stream: /"stream"\s*:\s*true/.test(body),
      body,
      at: performance.now(),
    };
    calls.push(call);
    const fault = plan?.(call);
    call.fault = fault?.kind;
    const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
    switch (fault?.kind) {
      case undefined:
        return await offline(input, init);
      case "status": {
        const headers: Record<string, string> = { "content-type": "application/json" };
        if (fault.retryAfter !== undefined) headers["retry-after"] = fault.retryAfter;
        return new Response(
          JSON.stringify({
            error: { message: `Injected HTTP ${fault.status}`, type: "server_error", code: null },
          }),
          { status: fault.status, headers },
        );
      }
      case "hang":
        return await hang(signal);
      case "malformed":
        return new Response('{"id": "chatcmpl-1", "choices": [{"index": 0, "mess', {
          status: 200,
          headers: { "content-type": "application/json" },
        });
      case "content-filter":
        return new Response(JSON.stringify(CONTENT_FILTER_BODY), {
          status: 400,
          headers: { "content-type": "application/json" },
        });
      case "cut-stream": {
        const response = await offline(input, init);
        if (!response.body) return response;
        return new Response(cutStream(response.body, fault.afterEvents, fault.how), {
          status: response.status,
          headers: response.headers,
        });
      }
      case "network":
        throw new TypeError("error sending request: connection refused");
    }
  };
  return {
    fetch,
    calls,
    setPlan(next?: FaultPlan) {
      plan = next;
    },
    clearCalls() {
      calls.length = 0;
    },
  } satisfies FaultModel;
}

/** Settings of the app under test (environment-style, as `loadConfig` reads them). */
export const RELIABILITY_ENV: Record<string, string> = {
  OPENAI_BASE_URL: "http://model.invalid/v1",
  OPENAI_API_KEY: "test-key-not-secret",
  MODEL_TIMEOUT_MS: "500",
  MODEL_MAX_RETRIES: "2",
  RATE_LIMIT_PER_MINUTE: "1000000",
};

/** A log sink that keeps the exact lines the production logger writes. */
export function createLogCapture() {
  const lines: string[] = [];
  return { lines, logger: createJsonLogger({ write: (line) => lines.push(line) }) };
}

/** Options of {@link createReliabilityApp}. */
export interface ReliabilityAppOptions {
  /** Extra or overriding environment (merged over {@link RELIABILITY_ENV}). */
  env?: Record<string, string>;
  /** Wrap the runtime's stores at their ports (failing fakes). */
  customers?: (real: CustomerStore) => CustomerStore;
  products?: (real: ProductSearch) => ProductSearch;
  requestTimeoutMs?: number;
  /** Use this model endpoint instead of the fault model (the offline model, say). */
  modelFetch?: FetchFn;
  /**
   * Keep the offline model's configuration (256-dimension embeddings, what `deno task start`
   * runs) instead of an OpenAI-compatible one; the fault model still answers every call.
   */
  embedded?: boolean;
  /** Where log lines go instead of the in-memory capture (a long run should not keep them). */
  writeLog?: (line: string) => void;
}

/**
 * The real app on a runtime whose models are the fault model, over the embedded stores seeded
 * from data/. Returns the app, the model, the runtime and the captured log lines.
 */
export async function createReliabilityApp(options: ReliabilityAppOptions = {}) {
  const base = options.embedded
    ? Object.fromEntries(Object.entries(RELIABILITY_ENV).filter(([k]) => !k.startsWith("OPENAI_")))
    : RELIABILITY_ENV;
  const config: Config = loadConfig({ ...base, ...options.env });
  const model = createFaultModel({
    dimensions: config.embedding.dimensions ??
      (config.embedding.backend === "offline" ? 256 : 1536),
  });
  const runtime: ComposedRuntime = await createRuntime(config, {
    fetch: options.modelFetch ?? model.fetch,
    retryBaseDelayMs: 5,
  });
  const customers = options.customers?.(runtime.customers) ?? runtime.customers;
  const products = options.products?.(runtime.products) ?? runtime.products;
  const pipeline = customers === runtime.customers && products === runtime.products
    ? runtime.pipeline
    : createChatPipeline({
      chatModel: runtime.chatModel,
      embeddings: runtime.embeddingModel,
      customers,
      products,
      chatPrompt: runtime.prompts.chat,
      queryPrompt: runtime.prompts.query,
    });
  const log = options.writeLog
    ? { lines: [] as string[], logger: createJsonLogger({ write: options.writeLog }) }
    : createLogCapture();
  const app = createApp({
    config,
    pipeline,
    customers,
    checkServices: (o) => checkServices({ ...runtime, customers, products }, o),
    logger: log.logger,
    version: "reliability",
    readinessCacheMs: 0,
    requestTimeoutMs: options.requestTimeoutMs,
  });
  model.clearCalls();
  return { app, model, runtime, config, logLines: log.lines, close: () => runtime.close() };
}

/** A customer store whose every call fails as an unreachable Cosmos DB would. */
export function unavailableCustomerStore(real: CustomerStore): CustomerStore {
  const fail = () =>
    Promise.reject(
      new UpstreamError("The customer store failed to read a customer", {
        service: "customers",
        status: 503,
        isRetryable: true,
        cause: new TypeError("error sending request: connection refused"),
      }),
    );
  return { backend: real.backend, get: fail, list: fail, upsert: fail, count: fail };
}

/** A search index whose every call fails as an unreachable Azure AI Search would. */
export function unavailableProductSearch(real: ProductSearch): ProductSearch {
  const fail = () =>
    Promise.reject(
      new UpstreamError("The product search failed (HTTP 503)", {
        service: "products",
        status: 503,
        isRetryable: true,
      }),
    );
  return { backend: real.backend, search: fail, upsert: fail, count: fail };
}

/** POST a chat request with a JSON body. */
export function chatRequest(
  fields: Record<string, unknown>,
  headers: Record<string, string> = {},
): RequestInit {
  return {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(fields),
  };
}

/** A server-sent event as read by a client. */
export interface ReadEvent {
  event: string;
  data: Record<string, unknown>;
}

/** Read a whole event stream. */
export async function readEvents(body: ReadableStream<Uint8Array>): Promise<ReadEvent[]> {
  const events: ReadEvent[] = [];
  for await (const e of readServerSentEvents(body)) {
    events.push({ event: e.event, data: e.data as Record<string, unknown> });
  }
  return events;
}

/** Customers of data/customers with their contact details, for the privacy checks. */
export async function loadDataCustomers(): Promise<Customer[]> {
  const data = await loadDataSet(fromFileUrl(new URL("../data/", import.meta.url)));
  return data.customers.sort((a, b) => Number(a.id) - Number(b.id));
}

export { seededRandom } from "../bench/_stats.ts";
