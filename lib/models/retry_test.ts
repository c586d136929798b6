import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { UpstreamError } from "../errors.ts";
import { delay } from "../async/delay.ts";
import { backoffDelay, parseRetryAfter, withRetry } from "./retry.ts";

const upstream = (status: number, retryAfterSeconds?: number) =>
  new UpstreamError(`HTTP ${status}`, {
    service: "chat-model",
    status,
    isRetryable: status === 429 || status >= 500,
    retryAfterSeconds,
  });

/** A scripted operation: each attempt throws or returns the next item. */
function script<T>(...steps: (T | Error)[]) {
  const attempts: number[] = [];
  const fn = (attempt: number) => {
    attempts.push(attempt);
    const step = steps[Math.min(attempts.length - 1, steps.length - 1)];
    return step instanceof Error ? Promise.reject(step) : Promise.resolve(step);
  };
  return { fn, attempts };
}

/** An injected delay that records the waits instead of waiting. */
function recordingDelay() {
  const delays: number[] = [];
  return {
    delays,
    delay: (ms: number) => {
      delays.push(ms);
      return Promise.resolve();
    },
  };
}

Deno.test("withRetry() honours Retry-After on a 429 and then succeeds", async () => {
  const { fn, attempts } = script<string>(upstream(429, 7), "ok");
  const clock = recordingDelay();
  const retries: number[] = [];
  const value = await withRetry(fn, {
    delay: clock.delay,
    onRetry: (info) => retries.push(info.error.status),
  });
  equal(value, "ok");
  deepEqual(attempts, [0, 1]);
  deepEqual(clock.delays, [7000]);
  deepEqual(retries, [429]);
});

Deno.test("withRetry() retries a 500 with backoff and returns the later success", async () => {
  const { fn, attempts } = script<number>(upstream(500), upstream(503), 42);
  const clock = recordingDelay();
  equal(await withRetry(fn, { delay: clock.delay, baseDelayMs: 100 }), 42);
  deepEqual(attempts, [0, 1, 2]);
  equal(clock.delays.length, 2);
  ok(clock.delays[0] >= 50 && clock.delays[0] <= 100, `first delay ${clock.delays[0]}`);
  ok(clock.delays[1] >= 100 && clock.delays[1] <= 200, `second delay ${clock.delays[1]}`);
});

Deno.test("withRetry() stops after maxRetries on a permanent 500 and throws the last error", async () => {
  const last = upstream(500);
  const { fn, attempts } = script<number>(upstream(500), upstream(500), last);
  const clock = recordingDelay();
  await rejects(withRetry(fn, { maxRetries: 2, delay: clock.delay }), (e) => e === last);
  deepEqual(attempts, [0, 1, 2]);
  equal(clock.delays.length, 2);
});

Deno.test("withRetry() does not retry non-retryable errors", async (t) => {
  await t.step("a 400", async () => {
    const { fn, attempts } = script<number>(upstream(400), 1);
    const clock = recordingDelay();
    await rejects(withRetry(fn, { delay: clock.delay }), (e: UpstreamError) => e.status === 400);
    deepEqual(attempts, [0]);
    deepEqual(clock.delays, []);
  });
  await t.step("an error that is not an UpstreamError", async () => {
    const { fn, attempts } = script<number>(new TypeError("bad input"), 1);
    await rejects(withRetry(fn, { delay: recordingDelay().delay }), TypeError);
    deepEqual(attempts, [0]);
  });
  await t.step("maxRetries 0", async () => {
    const { fn, attempts } = script<number>(upstream(503), 1);
    await rejects(withRetry(fn, { maxRetries: 0, delay: recordingDelay().delay }), UpstreamError);
    deepEqual(attempts, [0]);
  });
});

Deno.test("withRetry() stops retrying once the caller aborts", async () => {
  const controller = new AbortController();
  const { fn, attempts } = script<number>(upstream(503), 1);
  const err = withRetry(fn, {
    signal: controller.signal,
    delay: (ms, signal) => {
      controller.abort(new DOMException("stop", "AbortError"));
      return delay(ms, { signal });
    },
  });
  await rejects(err, (e: DOMException) => e.name === "AbortError");
  deepEqual(attempts, [0]);
});

Deno.test("backoffDelay() grows exponentially, caps, and prefers Retry-After", () => {
  for (let attempt = 1; attempt <= 4; attempt++) {
    const d = backoffDelay(attempt, upstream(500), { baseDelayMs: 100 });
    const exp = 100 * 2 ** (attempt - 1);
    ok(d >= exp / 2 && d <= exp, `attempt ${attempt}: ${d}`);
  }
  equal(backoffDelay(20, upstream(500), { baseDelayMs: 100, maxDelayMs: 1000 }), 1000);
  equal(backoffDelay(1, upstream(429, 2.5)), 2500);
  equal(backoffDelay(1, upstream(429, 3600)), 20_000, "a huge Retry-After is capped");
  equal(backoffDelay(1, upstream(429, 0)), 0);
});

Deno.test("parseRetryAfter() reads seconds, HTTP dates and retry-after-ms", () => {
  equal(parseRetryAfter(undefined), undefined);
  equal(parseRetryAfter(new Headers()), undefined);
  equal(parseRetryAfter(new Headers({ "retry-after": "12" })), 12);
  equal(parseRetryAfter(new Headers({ "retry-after": "1.5" })), 1.5);
  equal(parseRetryAfter(new Headers({ "retry-after-ms": "250", "retry-after": "9" })), 0.25);
  equal(parseRetryAfter(new Headers({ "retry-after": "soon" })), undefined);
  const inTen = new Date(Date.now() + 10_000).toUTCString();
  const seconds = parseRetryAfter(new Headers({ "retry-after": inTen }))!;
  ok(seconds > 8 && seconds <= 10, `${seconds}`);
  equal(parseRetryAfter(new Headers({ "retry-after": "Wed, 21 Oct 2015 07:28:00 GMT" })), 0);
});
