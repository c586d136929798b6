import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { backoffDelay, retry } from "./retry.ts";

/** A delay that records the waits instead of waiting. */
function recordingDelay() {
  const waits: number[] = [];
  return { waits, delay: (ms: number) => (waits.push(ms), Promise.resolve()) };
}

/** A function failing `failures` times before it answers. */
function flaky(failures: number, error: () => unknown = () => new Error("flaky")) {
  const attempts: number[] = [];
  return {
    attempts,
    fn: (attempt: number) => {
      attempts.push(attempt);
      return attempts.length <= failures ? Promise.reject(error()) : Promise.resolve("ok");
    },
  };
}

Deno.test("retry() retries failures within its budget", async (t) => {
  await t.step("answers after failures, telling fn the attempt number", async () => {
    const clock = recordingDelay();
    const call = flaky(2);
    equal(await retry(call.fn, { delay: clock.delay, baseDelayMs: 100 }), "ok");
    deepEqual(call.attempts, [0, 1, 2]);
    equal(clock.waits.length, 2);
  });
  await t.step("throws the last failure once the budget is spent", async () => {
    let n = 0;
    const fn = () => Promise.reject(new Error(`failure ${++n}`));
    await rejects(retry(fn, { maxRetries: 2, delay: recordingDelay().delay }), /failure 3/);
  });
  await t.step("does not retry what isRetryable refuses", async () => {
    const call = flaky(5, () => new TypeError("bad input"));
    await rejects(
      retry(call.fn, {
        isRetryable: (e) => !(e instanceof TypeError),
        delay: recordingDelay().delay,
      }),
      TypeError,
    );
    deepEqual(call.attempts, [0]);
  });
  await t.step("the caller's delayMs wins over the backoff", async () => {
    const clock = recordingDelay();
    await retry(flaky(2).fn, { delay: clock.delay, delayMs: (attempt) => attempt * 1000 });
    deepEqual(clock.waits, [1000, 2000]);
  });
  await t.step("reports each retry before waiting", async () => {
    const seen: unknown[] = [];
    await retry(flaky(1).fn, {
      delay: recordingDelay().delay,
      delayMs: () => 5,
      onRetry: ({ attempt, delayMs, error }) => seen.push([attempt, delayMs, String(error)]),
    });
    deepEqual(seen, [[1, 5, "Error: flaky"]]);
  });
  await t.step("an aborted signal stops retrying and a real wait ends with the abort", async () => {
    const call = flaky(5);
    await rejects(retry(call.fn, { signal: AbortSignal.abort() }), /flaky/);
    deepEqual(call.attempts, [0]);
    const controller = new AbortController();
    const waiting = retry(flaky(5).fn, { signal: controller.signal, baseDelayMs: 60_000 });
    setTimeout(() => controller.abort(new Error("cancelled")), 5);
    await rejects(waiting, /cancelled/);
  });
});

Deno.test("backoffDelay() doubles, keeps half of it random and caps", async (t) => {
  await t.step("within [half, whole] of base * 2^(n-1)", () => {
    for (let attempt = 1; attempt <= 4; attempt++) {
      const whole = 100 * 2 ** (attempt - 1);
      for (let i = 0; i < 20; i++) {
        const ms = backoffDelay(attempt, { baseDelayMs: 100 });
        ok(ms >= whole / 2 && ms <= whole, `${ms} for attempt ${attempt}`);
      }
    }
  });
  await t.step("never above the cap", () => {
    equal(backoffDelay(30, { baseDelayMs: 500, maxDelayMs: 1_000 }), 1_000);
  });
});
