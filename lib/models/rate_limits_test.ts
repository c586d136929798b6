import assert from "node:assert/strict";
import {
  AllowanceExhaustedError,
  createRateLimitTracker,
  parseResetDuration,
} from "./rate_limits.ts";

Deno.test("parseResetDuration() reads OpenAI-style durations and seconds", () => {
  assert.equal(parseResetDuration("1s"), 1000);
  assert.equal(parseResetDuration("6m0s"), 360_000);
  assert.equal(parseResetDuration("1h2m3.5s"), 3_723_500);
  assert.equal(parseResetDuration("250ms"), 250);
  assert.equal(parseResetDuration("17"), 17_000);
  assert.equal(parseResetDuration("soon"), undefined);
  assert.equal(parseResetDuration(null), undefined);
});

Deno.test("createRateLimitTracker() learns the allowance and paces", async (t) => {
  await t.step("reports the documented limits before any response", () => {
    const tracker = createRateLimitTracker({
      documented: { requestsPerDay: 150, tokensPerRequest: 12000 },
    });
    assert.deepEqual(tracker.current(), {
      limitRequests: 150,
      remainingRequests: 150,
      limitTokens: 12000,
      exhausted: false,
      source: "documented",
    });
    assert.equal(tracker.waitMs(0), 0);
  });
  await t.step("reads OpenAI-style counts and reset durations", () => {
    const tracker = createRateLimitTracker();
    tracker.observe(
      200,
      new Headers({
        "x-ratelimit-limit-requests": "15",
        "x-ratelimit-remaining-requests": "14",
        "x-ratelimit-limit-tokens": "150000",
        "x-ratelimit-remaining-tokens": "149000",
        "x-ratelimit-reset-requests": "4s",
      }),
      1_000,
    );
    const now = tracker.current();
    assert.equal(now.source, "headers");
    assert.equal(now.remainingRequests, 14);
    assert.equal(now.limitTokens, 150000);
    assert.equal(now.resetAt?.getTime(), 5_000);
    assert.equal(tracker.waitMs(1_000), 0);
  });
  await t.step("holds the next request until the window resets when none is left", () => {
    const tracker = createRateLimitTracker();
    tracker.observe(
      200,
      new Headers({ "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1700000010" }),
      1_700_000_000_000,
    );
    assert.equal(tracker.waitMs(1_700_000_000_000), 10_000);
    assert.equal(tracker.current().exhausted, false);
  });
  await t.step("a 429 with Retry-After within the bound paces, beyond it exhausts", () => {
    const tracker = createRateLimitTracker({ maxWaitMs: 30_000 });
    tracker.observe(429, new Headers({ "retry-after": "12" }), 0);
    assert.equal(tracker.waitMs(0), 12_000);
    assert.equal(tracker.waitMs(5_000), 7_000);
    assert.equal(tracker.current().exhausted, false);
    assert.equal(tracker.current().remainingRequests, 0);
    tracker.observe(200, new Headers(), 12_000);
    assert.equal(tracker.waitMs(12_000), 0);
    tracker.observe(429, new Headers({ "retry-after": "86400" }), 20_000);
    const allowance = tracker.current();
    assert.equal(allowance.exhausted, true);
    assert.equal(allowance.resetAt?.getTime(), 20_000 + 86_400_000);
  });
  await t.step("a 429 naming no time waits the default", () => {
    const tracker = createRateLimitTracker({ defaultRetryMs: 2_000 });
    tracker.observe(429, new Headers(), 0);
    assert.equal(tracker.waitMs(0), 2_000);
  });
});

Deno.test("AllowanceExhaustedError carries when to resume", () => {
  const resetAt = new Date(86_400_000);
  const error = new AllowanceExhaustedError("Used up", { resetAt, service: "chat-model" });
  assert.ok(error instanceof Error);
  assert.equal(error.name, "AllowanceExhaustedError");
  assert.equal(error.resetAt, resetAt);
  assert.equal(error.service, "chat-model");
});

Deno.test("createRateLimitTracker() recovers after a short 429 from a service that sends no counts", () => {
  const tracker = createRateLimitTracker({ documented: { requestsPerDay: 150 } });
  tracker.observe(200, new Headers(), 0);
  tracker.observe(429, new Headers({ "retry-after": "3" }), 1_000);
  assert.equal(tracker.current().remainingRequests, 0);
  assert.equal(tracker.current().resetAt?.getTime(), 4_000);
  tracker.observe(200, new Headers(), 4_000);
  const after = tracker.current();
  assert.equal(after.remainingRequests, 148);
  assert.equal(after.source, "documented");
  assert.equal(after.exhausted, false);
  assert.equal(after.resetAt, undefined);
  assert.equal(tracker.waitMs(4_000), 0);
});
