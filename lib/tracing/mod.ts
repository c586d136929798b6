/**
 * Tracing: the pipeline's OpenTelemetry spans, collected in memory so the CLI and notebooks
 * can show a timeline of each request. `startAzureMonitorExport` sends them to Application
 * Insights when its connection string is configured; it is not re-exported here, so importing
 * this barrel (or `lib/mod.ts`) does not load the Azure Monitor exporter: import
 * `lib/tracing/azure_monitor.ts` where it is used (the server loads it only when configured).
 *
 * @module
 */
import { context, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";

import type { SpanTiming } from "./span_timing.ts";

export * from "./gen_ai.ts";
export * from "./span_timing.ts";

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

let active: SpanRecorder | undefined;

/**
 * Register a global tracer provider that keeps finished spans in memory. Calling it again
 * returns the same recorder (safe to re-run in a notebook cell).
 */
export function startSpanRecorder(): SpanRecorder {
  if (active) return active;
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  trace.setGlobalTracerProvider(provider);
  // Nested spans (startActiveSpan in the pipeline) join their parent's trace only with a
  // context manager; keep one that is already registered.
  const ownsContext = context.setGlobalContextManager(
    new AsyncLocalStorageContextManager().enable(),
  );
  const toMs = ([s, ns]: [number, number]) => s * 1000 + ns / 1e6;
  active = {
    spans() {
      const finished = exporter.getFinishedSpans();
      const t0 = Math.min(...finished.map((s) => toMs(s.startTime)));
      return finished
        .map((s) => ({
          name: s.name,
          traceId: s.spanContext().traceId,
          startMs: toMs(s.startTime) - t0,
          durationMs: toMs(s.duration),
          status: s.status.code === 2 ? "error" as const : "ok" as const,
          attributes: { ...s.attributes },
        }))
        .sort((a, b) => a.startMs - b.startMs);
    },
    reset() {
      exporter.reset();
    },
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      if (ownsContext) context.disable();
      active = undefined;
    },
  };
  return active;
}
