/**
 * Timing a request's steps as OpenTelemetry spans, once: one clock reading starts a span and
 * another ends it, and the same two readings are the step's {@link SpanTiming} that the
 * response reports (the CLI prints them, tests read them). The exported span and the
 * reported timing therefore agree exactly, and the timings need no tracer provider (without
 * one the spans record nothing; the timings still do).
 *
 * @module
 */
import {
  type Context,
  type HrTime,
  type Span,
  type SpanOptions,
  SpanStatusCode,
  type Tracer,
} from "@opentelemetry/api";

/** When a span started and how long it took, in milliseconds (what a timeline draws). */
export interface SpanTiming {
  name: string;
  /** Start, relative to the timeline's origin (or to a recorder's first span). */
  startMs: number;
  durationMs: number;
}

/** The spans of one request, each timed once. */
export interface SpanTimeline {
  /** Finished spans' timings, in the order they ended, relative to the timeline's start. */
  readonly timings: SpanTiming[];
  /**
   * Run `fn` as the active span `name` (spans it starts are its children); a throw marks the
   * span failed and is rethrown.
   */
  run<T>(name: string, fn: (span: Span) => Promise<T>): Promise<T>;
  /**
   * Start a span that is not made active (a step across a generator's yields), under
   * `options.context`; `end()` ends it and records its timing.
   */
  start(
    name: string,
    options?: { attributes?: SpanOptions["attributes"]; context?: Context },
  ): { span: Span; end(): void };
  /**
   * Now, on this timeline's clock: the start and end time of a span it does not time itself
   * (the request's root), so the root encloses its steps exactly.
   */
  now(): HrTime;
}

/** Mark `span` failed with `error` (recorded as its exception, its message as the status). */
export function recordFailure(span: Span, error: unknown): void {
  span.recordException(error as Error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message });
}

/**
 * A timeline of `tracer`'s spans, starting now.
 *
 * @example
 * ```ts
 * import { trace } from "@opentelemetry/api";
 * import { spanTimeline } from "./span_timing.ts";
 * const timeline = spanTimeline(trace.getTracer("example"));
 * await timeline.run("customer.lookup", () => Promise.resolve({ id: "1" }));
 * console.assert(timeline.timings[0].name === "customer.lookup");
 * ```
 */
export function spanTimeline(tracer: Tracer): SpanTimeline {
  const t0 = performance.now();
  // One wall-clock anchor for the whole timeline. Given a performance.now() reading, the SDK
  // anchors each span on its own to Date.now() (whole milliseconds), so spans of one request
  // moved up to a millisecond against each other and a timeline could draw two steps in the
  // wrong order. Given an HrTime, it keeps it: the spans' offsets are then the readings'.
  const anchor = Date.now() - t0;
  const at = (reading: number): HrTime => {
    const ms = anchor + reading;
    const seconds = Math.floor(ms / 1000);
    const nanos = Math.min(999_999_999, Math.round((ms - seconds * 1000) * 1e6));
    return [seconds, nanos];
  };
  const timings: SpanTiming[] = [];
  const finish = (name: string, span: Span, start: number) => {
    const end = performance.now();
    timings.push({ name, startMs: start - t0, durationMs: end - start });
    span.end(at(end));
  };
  return {
    timings,
    async run(name, fn) {
      const start = performance.now();
      return await tracer.startActiveSpan(name, { startTime: at(start) }, async (span) => {
        try {
          return await fn(span);
        } catch (error) {
          recordFailure(span, error);
          throw error;
        } finally {
          finish(name, span, start);
        }
      });
    },
    start(name, options = {}) {
      const start = performance.now();
      const span = tracer.startSpan(
        name,
        { attributes: options.attributes, startTime: at(start) },
        options.context,
      );
      return { span, end: () => finish(name, span, start) };
    },
    now: () => at(performance.now()),
  };
}
