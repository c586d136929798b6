import assert from "node:assert/strict";
import { trace } from "@opentelemetry/api";
import { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";
import { startSpanRecorder } from "./span_recorder.ts";

const spanNamed = (name: string) => trace.getTracer("recorder-test").startSpan(name).end();

Deno.test("startSpanRecorder() keeps finished spans while its provider is registered", async (t) => {
  await t.step("a second start (a re-run cell) returns the running recorder", async () => {
    const recorder = startSpanRecorder();
    try {
      spanNamed("catalog.load");
      assert.equal(startSpanRecorder(), recorder);
      spanNamed("index.build");
      assert.deepEqual(recorder.spans().map((s) => s.name), ["catalog.load", "index.build"]);
      recorder.reset();
      assert.deepEqual(recorder.spans(), []);
    } finally {
      await recorder.shutdown();
    }
  });
  await t.step("after shutdown, a new recorder starts and records", async () => {
    const first = startSpanRecorder();
    await first.shutdown();
    const second = startSpanRecorder();
    try {
      assert.notEqual(second, first);
      spanNamed("after.restart");
      assert.deepEqual(second.spans().map((s) => s.name), ["after.restart"]);
      assert.deepEqual(first.spans(), [], "the stopped recorder gets nothing");
    } finally {
      await second.shutdown();
    }
  });
  await t.step(
    "once something else unregistered it, a fresh one starts (no stale one)",
    async () => {
      const stale = startSpanRecorder();
      trace.disable();
      const fresh = startSpanRecorder();
      try {
        assert.notEqual(fresh, stale);
        spanNamed("after.disable");
        assert.deepEqual(fresh.spans().map((s) => s.name), ["after.disable"]);
      } finally {
        await fresh.shutdown();
        await stale.shutdown();
      }
    },
  );
});

Deno.test("startSpanRecorder() leaves another registered provider in place", async () => {
  // As the Application Insights export registers its own provider at start-up.
  const other = new BasicTracerProvider();
  assert.ok(trace.setGlobalTracerProvider(other));
  try {
    const recorder = startSpanRecorder();
    spanNamed("exported.elsewhere");
    assert.deepEqual(recorder.spans(), []);
    await recorder.shutdown();
    const global = trace.getTracerProvider() as unknown as { getDelegate(): unknown };
    assert.equal(global.getDelegate(), other, "the recorder's shutdown did not unregister it");
  } finally {
    trace.disable();
    await other.shutdown();
  }
});
