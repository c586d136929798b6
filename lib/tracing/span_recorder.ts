/**
 * The in-memory span recorder: a tracer provider that keeps finished spans so the CLI and
 * notebooks can draw a timeline of each request. The provider registered with OpenTelemetry
 * is the only record of whether a recorder is running (no module state): starting again
 * while one is registered returns it (a notebook cell re-run), and once anything has
 * unregistered it, a new one starts instead of a stale one being handed back.
 *
 * @module
 */
import {
  context,
  ProxyTracerProvider,
  SpanStatusCode,
  trace,
  type TracerProvider,
} from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import type { SpanTiming } from "./span_timing.ts";

/**
 * A finished span as the recorder keeps it: its timing (the same type the pipeline reports
 * per step, so `timeline()` draws either) plus what identifies and describes it.
 */
export interface SpanRecord extends SpanTiming {
  traceId: string;
  status: "ok" | "error";
  attributes: Record<string, unknown>;
}

/** The in-memory span collector. */
export interface SpanRecorder {
  /** Spans finished since the last `reset()`, oldest first; times relative to the first start. */
  spans(): SpanRecord[];
  reset(): void;
  shutdown(): Promise<void>;
}

// Marks a provider as a recorder's, on the provider itself (shared by every copy of this
// module a process may load, as OpenTelemetry's own registry is).
const RECORDER = Symbol.for("contoso-chat.span-recorder");
type RecordingProvider = TracerProvider & { [RECORDER]?: SpanRecorder };

function registeredProvider(): RecordingProvider {
  const global = trace.getTracerProvider();
  return global instanceof ProxyTracerProvider ? global.getDelegate() : global;
}

/**
 * Register a global tracer provider that keeps finished spans in memory. While it is
 * registered, calling this again returns the same recorder (safe to re-run in a notebook
 * cell).
 *
 * @example
 * ```ts
 * import { trace } from "@opentelemetry/api";
 * import { startSpanRecorder } from "./span_recorder.ts";
 * const recorder = startSpanRecorder();
 * trace.getTracer("example").startSpan("customer.lookup").end();
 * console.assert(recorder.spans()[0].name === "customer.lookup");
 * await recorder.shutdown();
 * ```
 */
export function startSpanRecorder(): SpanRecorder {
  const running = registeredProvider()[RECORDER];
  if (running) return running;
  const exporter = new InMemorySpanExporter();
  const provider: BasicTracerProvider & RecordingProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  // Another provider (the Application Insights export) keeps its place; this recorder then
  // sees nothing, as before, and its shutdown leaves that provider registered.
  const ownsProvider = trace.setGlobalTracerProvider(provider);
  // Nested spans (startActiveSpan in the pipeline) join their parent's trace only with a
  // context manager; keep one that is already registered.
  const ownsContext = context.setGlobalContextManager(
    new AsyncLocalStorageContextManager().enable(),
  );
  const toMs = ([s, ns]: [number, number]) => s * 1000 + ns / 1e6;
  const recorder: SpanRecorder = {
    spans() {
      const finished = exporter.getFinishedSpans();
      const t0 = Math.min(...finished.map((s) => toMs(s.startTime)));
      return finished
        .map((s) => ({
          name: s.name,
          traceId: s.spanContext().traceId,
          startMs: toMs(s.startTime) - t0,
          durationMs: toMs(s.duration),
          status: s.status.code === SpanStatusCode.ERROR ? "error" as const : "ok" as const,
          attributes: { ...s.attributes },
        }))
        .sort((a, b) => a.startMs - b.startMs);
    },
    reset() {
      exporter.reset();
    },
    async shutdown() {
      delete provider[RECORDER];
      await provider.shutdown();
      if (ownsProvider && registeredProvider() === provider) trace.disable();
      if (ownsContext) context.disable();
    },
  };
  if (ownsProvider) provider[RECORDER] = recorder;
  return recorder;
}
