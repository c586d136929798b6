/**
 * `withRetry({ pace })` and `createPacedFetch()` without a network: the waits a tracker asks
 * for, 429s that do not spend the retry budget, the bound beyond which the allowance is
 * exhausted, and the concurrency limit.
 *
 * @module
 */
import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { UpstreamError } from "../errors.ts";
import { delay } from "../async/delay.ts";
import { withRetry } from "./retry.ts";
import { createPacedFetch } from "./github_models.ts";
import { AllowanceExhaustedError, createRateLimitTracker } from "./rate_limits.ts";

const tooMany = () =>
  new UpstreamError("The chat-model returned HTTP 429", {
    service: "chat-model",
    status: 429,
    isRetryable: true,
  });

Deno.test("withRetry() with pace waits what the tracker says, outside the retry budget", async (t) => {
  await t.step("429s are waited out without using maxRetries", async () => {
    const tracker = createRateLimitTracker({ maxWaitMs: 10_000 });
    const waits: number[] = [];
    let calls = 0;
    const value = await withRetry(() => {
      calls++;
      if (calls <= 3) {
        tracker.observe(429, new Headers({ "retry-after": "2" }));
        return Promise.reject(tooMany());
      }
      return Promise.resolve("answered");
    }, {
      maxRetries: 0,
      pace: { tracker, maxWaitMs: 10_000 },
      delay: (ms) => {
        waits.push(ms);
        tracker.observe(200, new Headers()); // time passes: the block is over
        return Promise.resolve();
      },
    });
    equal(value, "answered");
    equal(calls, 4);
    equal(waits.length, 3);
    ok(waits.every((ms) => ms > 1_900 && ms <= 2_000), `waits ${waits}`);
  });
  await t.step("after maxPacedWaits a 429 is an ordinary retryable error again", async () => {
    const tracker = createRateLimitTracker();
    let calls = 0;
    await rejects(
      withRetry(() => {
        calls++;
        tracker.observe(429, new Headers({ "retry-after": "0" }));
        return Promise.reject(tooMany());
      }, { maxRetries: 1, baseDelayMs: 1, pace: { tracker, maxWaitMs: 1_000, maxPacedWaits: 2 } }),
      (e) => e instanceof UpstreamError && e.status === 429,
    );
    equal(calls, 4, "1 attempt + 2 paced + 1 retry");
  });
  await t.step(
    "a wait beyond the bound throws AllowanceExhaustedError before sending",
    async () => {
      const tracker = createRateLimitTracker({ maxWaitMs: 5_000 });
      tracker.observe(429, new Headers({ "retry-after": "3600" }));
      let calls = 0;
      const error = await withRetry(() => {
        calls++;
        return Promise.resolve(1);
      }, {
        pace: { tracker, maxWaitMs: 5_000, label: "openai/gpt-4.1-mini", service: "eval-model" },
      })
        .then(() => undefined, (e) => e);
      ok(error instanceof AllowanceExhaustedError);
      equal(error.service, "eval-model");
      ok(error.message.includes("openai/gpt-4.1-mini"));
      ok(Math.abs(error.resetAt!.getTime() - (Date.now() + 3_600_000)) < 5_000);
      equal(calls, 0);
    },
  );
  await t.step("other errors are untouched by pacing", async () => {
    const tracker = createRateLimitTracker();
    let calls = 0;
    await rejects(
      withRetry(() => {
        calls++;
        return Promise.reject(new TypeError("bad input"));
      }, { pace: { tracker, maxWaitMs: 1_000 } }),
      TypeError,
    );
    equal(calls, 1);
  });
});

Deno.test("createPacedFetch() feeds the tracker and limits requests in flight", async (t) => {
  await t.step("at most `concurrency` requests at once", async () => {
    let inFlight = 0;
    let peak = 0;
    const inner = async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await delay(20);
      inFlight--;
      return new Response("{}", { headers: { "x-ratelimit-remaining-requests": "9" } });
    };
    const tracker = createRateLimitTracker();
    const paced = createPacedFetch(inner, { tracker, concurrency: 2 });
    const statuses = await Promise.all(
      Array.from({ length: 6 }, () => paced("http://x.invalid/chat").then((r) => r.status)),
    );
    deepEqual(statuses, [200, 200, 200, 200, 200, 200]);
    equal(peak, 2);
    equal(tracker.current().remainingRequests, 9);
  });
  await t.step("a 429 beyond the bound throws with the service's message", async () => {
    const tracker = createRateLimitTracker({ maxWaitMs: 60_000 });
    const inner = () =>
      Promise.resolve(
        new Response(
          JSON.stringify({
            error: { code: "RateLimitReached", message: "Rate limit of 150 per 86400s exceeded" },
          }),
          { status: 429, headers: { "retry-after": "50000" } },
        ),
      );
    const paced = createPacedFetch(inner, { tracker, model: "openai/gpt-4.1-mini" });
    await rejects(
      paced("http://x.invalid/chat"),
      (e) => e instanceof AllowanceExhaustedError && e.message.includes("150 per 86400s"),
    );
  });
  await t.step("a short 429 is returned for the retry layer", async () => {
    const tracker = createRateLimitTracker();
    const paced = createPacedFetch(
      () => Promise.resolve(new Response("{}", { status: 429, headers: { "retry-after": "3" } })),
      { tracker },
    );
    equal((await paced("http://x.invalid/chat")).status, 429);
    ok(tracker.waitMs() > 2_000);
  });
});

Deno.test("createRateLimitTracker() counts answers down from the documented limit when no headers come", () => {
  const tracker = createRateLimitTracker({ documented: { requestsPerDay: 150 } });
  tracker.observe(200, new Headers());
  tracker.observe(200, new Headers());
  tracker.observe(500, new Headers());
  equal(tracker.current().remainingRequests, 148);
  equal(tracker.current().source, "documented");
});
