import assert from "node:assert/strict";
import { context, trace } from "@opentelemetry/api";
import { startSpanRecorder } from "./mod.ts";
import { spanTimeline } from "./span_timing.ts";

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

Deno.test("spanTimeline() times each span once: the recorded span and the timing agree", async (t) => {
  const recorder = startSpanRecorder();
  try {
    recorder.reset();
    const tracer = trace.getTracer("span-timing-test");
    const timeline = spanTimeline(tracer);
    await timeline.run("outer.lookup", async () => {
      await pause(15);
      await timeline.run("inner.fetch", () => pause(10));
    });
    await assert.rejects(
      timeline.run("outer.fail", async () => {
        await pause(5);
        throw new RangeError("Cannot fetch: out of range");
      }),
      RangeError,
    );
    const parent = recorder.spans().find((s) => s.name === "outer.lookup")!;
    const streamed = timeline.start("streamed.answer", {
      attributes: { "gen_ai.operation.name": "chat" },
      // A parent given by context only, as a generator's root span is.
      context: trace.setSpanContext(context.active(), {
        traceId: parent.traceId,
        spanId: "00f067aa0ba902b7",
        traceFlags: 1,
      }),
    });
    await pause(8);
    streamed.end();

    const spans = recorder.spans();
    await t.step("timings in the order the spans ended, relative to the timeline", () => {
      assert.deepEqual(timeline.timings.map((s) => s.name), [
        "inner.fetch",
        "outer.lookup",
        "outer.fail",
        "streamed.answer",
      ]);
      const byName = Object.fromEntries(timeline.timings.map((s) => [s.name, s]));
      assert.ok(byName["outer.lookup"].startMs >= 0 && byName["outer.lookup"].startMs < 5);
      assert.ok(byName["inner.fetch"].startMs >= byName["outer.lookup"].startMs + 14);
      assert.ok(byName["outer.lookup"].durationMs >= 24);
    });
    await t.step("each span's start and duration are the timing's (same clock readings)", () => {
      const first = spans.find((s) => s.name === "outer.lookup")!;
      const timing = (name: string) => timeline.timings.find((s) => s.name === name)!;
      for (const name of ["outer.lookup", "inner.fetch", "outer.fail", "streamed.answer"]) {
        const span = spans.find((s) => s.name === name)!;
        assert.ok(span, name);
        // Hrtime keeps nanoseconds; a millisecond float carries a little rounding.
        assert.ok(Math.abs(span.durationMs - timing(name).durationMs) < 0.01, name);
        const offset = span.startMs - first.startMs;
        const expected = timing(name).startMs - timing("outer.lookup").startMs;
        // One anchor per timeline: start offsets between spans are the clock readings' too
        // (the SDK's own per-span anchor to Date.now() moved them up to a millisecond).
        assert.ok(Math.abs(offset - expected) < 0.01, `${name}: ${offset} vs ${expected}`);
      }
    });
    await t.step("a throw marks the span failed; children join their parent's trace", () => {
      assert.equal(spans.find((s) => s.name === "outer.fail")!.status, "error");
      assert.equal(spans.find((s) => s.name === "outer.lookup")!.status, "ok");
      const inner = spans.find((s) => s.name === "inner.fetch")!;
      assert.equal(inner.traceId, parent.traceId);
      const streamedSpan = spans.find((s) => s.name === "streamed.answer")!;
      assert.equal(streamedSpan.traceId, parent.traceId, "start() honours its context");
      assert.equal(streamedSpan.attributes["gen_ai.operation.name"], "chat");
    });
  } finally {
    await recorder.shutdown();
  }
});

Deno.test("spanTimeline() records timings without a tracer provider", async () => {
  // No provider registered: the spans are no-ops, the timings are still measured.
  const timeline = spanTimeline(trace.getTracer("no-provider"));
  await timeline.run("customer.lookup", () => pause(5));
  const answer = timeline.start("chat.answer");
  answer.end();
  assert.deepEqual(timeline.timings.map((s) => s.name), ["customer.lookup", "chat.answer"]);
  assert.ok(timeline.timings[0].durationMs >= 4);
  assert.ok(timeline.timings[1].startMs >= timeline.timings[0].durationMs);
});
