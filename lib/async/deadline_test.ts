import { equal, ok, rejects } from "node:assert/strict";
import { deadline } from "./deadline.ts";

Deno.test("deadline() bounds a piece of work", async (t) => {
  await t.step("passes the work's value through when it is in time", async () => {
    equal(await deadline(() => Promise.resolve(7), 1_000), 7);
  });
  await t.step("rejects at the deadline even when the work ignores its signal", async () => {
    const started = performance.now();
    await rejects(
      deadline(() => new Promise(() => {}), 20),
      (e: DOMException) => e.name === "TimeoutError",
    );
    ok(performance.now() - started < 1_000);
  });
  await t.step("aborts the work's signal with the same error it rejects with", async () => {
    const custom = new Error("The chat-model timed out");
    let seen: unknown;
    await rejects(
      deadline(
        (signal) =>
          new Promise((_, reject) => {
            signal.addEventListener("abort", () => {
              seen = signal.reason;
              reject(new Error("aborted by the signal"));
            });
          }),
        10,
        { error: () => custom },
      ),
      (e) => e === custom,
    );
    equal(seen, custom);
  });
  await t.step("the caller's abort reaches the work; the work decides how it ends", async () => {
    const controller = new AbortController();
    const running = deadline(
      (signal) =>
        new Promise((_, reject) =>
          signal.addEventListener("abort", () => reject(new Error(`stopped: ${signal.reason}`)))
        ),
      10_000,
      { signal: controller.signal },
    );
    controller.abort("bye");
    await rejects(running, /stopped: bye/);
  });
  await t.step("the work's own failure is thrown as it is", async () => {
    await rejects(deadline(() => Promise.reject(new TypeError("bad")), 1_000), TypeError);
  });
});
