/**
 * The token-bucket rate limiter: bursts up to the budget, refills continuously, computes
 * Retry-After, and keeps memory bounded however many clients appear.
 *
 * @module
 */
import assert from "node:assert/strict";
import { clientAddress, createTokenBucketLimiter } from "./rate_limit.ts";

Deno.test("createTokenBucketLimiter() allows a burst, then refills over time", () => {
  let now = 0;
  const limiter = createTokenBucketLimiter({ perMinute: 60, now: () => now });
  for (let i = 0; i < 60; i++) assert.ok(limiter.take("a").allowed, `request ${i}`);
  const refused = limiter.take("a");
  assert.equal(refused.allowed, false);
  assert.equal(refused.remaining, 0);
  assert.equal(refused.retryAfterSeconds, 1);
  now += 1_000; // one token per second at 60 per minute
  assert.ok(limiter.take("a").allowed);
  assert.equal(limiter.take("a").allowed, false);
  now += 3_600_000; // refills to the budget, not beyond
  for (let i = 0; i < 60; i++) assert.ok(limiter.take("a").allowed);
  assert.equal(limiter.take("a").allowed, false);
});

Deno.test("createTokenBucketLimiter() keeps at most maxClients buckets, least recently used out", () => {
  let now = 0;
  const limiter = createTokenBucketLimiter({ perMinute: 1, maxClients: 100, now: () => now });
  assert.equal(limiter.take("keep").allowed, true);
  for (let i = 0; i < 10_000; i++) {
    limiter.take(`client-${i}`);
    if (i % 50 === 0) limiter.take("keep"); // recently used: stays tracked
    now += 1;
  }
  assert.equal(limiter.size, 100);
  assert.equal(limiter.take("keep").allowed, false, "an active client keeps its empty bucket");
});

Deno.test("clientAddress() uses the connection unless proxies are trusted", async (t) => {
  const conn = { remoteAddr: { hostname: "10.0.0.9" } };
  const forwarded = new Headers({ "x-forwarded-for": "6.6.6.6, 203.0.113.5" });
  await t.step("the connection's address by default, whatever the headers say", () => {
    assert.equal(clientAddress(conn, forwarded), "10.0.0.9");
    assert.equal(clientAddress(undefined), "local");
  });
  await t.step("behind one trusted proxy, the entry that proxy appended", () => {
    assert.equal(clientAddress(conn, forwarded, 1), "203.0.113.5");
    assert.equal(clientAddress(conn, forwarded, 2), "6.6.6.6");
  });
  await t.step("the connection's address when the header is short or missing", () => {
    assert.equal(clientAddress(conn, forwarded, 3), "10.0.0.9");
    assert.equal(clientAddress(conn, new Headers(), 1), "10.0.0.9");
  });
});
