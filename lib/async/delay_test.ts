import { equal, ok, rejects } from "node:assert/strict";
import { delay } from "./delay.ts";

Deno.test("delay() resolves after the time, and rejects early when aborted", async (t) => {
  await t.step("waits at least the time asked", async () => {
    const started = performance.now();
    equal(await delay(20), undefined);
    ok(performance.now() - started >= 18);
  });
  await t.step("an abort ends the wait at once with the signal's reason", async () => {
    const controller = new AbortController();
    const started = performance.now();
    const waiting = delay(10_000, { signal: controller.signal });
    setTimeout(() => controller.abort(new RangeError("stop")), 5);
    await rejects(waiting, (e: Error) => e instanceof RangeError && e.message === "stop");
    ok(performance.now() - started < 1_000);
  });
  await t.step("an already aborted signal rejects without waiting", async () => {
    await rejects(delay(10_000, { signal: AbortSignal.abort(new Error("already")) }), /already/);
  });
  await t.step("a signal that never aborts leaves no listener or timer behind", async () => {
    const controller = new AbortController();
    await delay(1, { signal: controller.signal });
    controller.abort(); // nothing listens any more: no late rejection
  });
});
