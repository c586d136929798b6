/**
 * Tests of the customer store's read cache: shared reads, stale-while-refreshing, expiry,
 * deletes racing a read, callers that give up, and the size bound.
 *
 * @module
 */
import assert from "node:assert/strict";
import { delay } from "../async/delay.ts";
import { createReadCache } from "./_read_cache.ts";

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

Deno.test("createReadCache() shares one read between concurrent callers", async () => {
  const cache = createReadCache<string>({ ttlMs: 1000, maxEntries: 10, now: () => 0 });
  const read = deferred<string>();
  let loads = 0;
  const load = () => (loads++, read.promise);
  const callers = Array.from({ length: 50 }, () => cache.get("1", load));
  read.resolve("Maya");
  assert.deepEqual(new Set(await Promise.all(callers)), new Set(["Maya"]));
  assert.equal(loads, 1);
  assert.equal(await cache.get("1", load), "Maya");
  assert.equal(loads, 1, "fresh: no read");
});

Deno.test("createReadCache() serves a stale value while one read refreshes it", async () => {
  let t = 0;
  const cache = createReadCache<string>({ ttlMs: 100, maxEntries: 10, now: () => t });
  await cache.get("1", () => Promise.resolve("v1"));
  t = 150; // stale
  const refresh = deferred<string>();
  let loads = 0;
  const load = () => (loads++, refresh.promise);
  assert.equal(await cache.get("1", load), "v1", "no wait for the refresh");
  assert.equal(await cache.get("1", load), "v1");
  assert.equal(loads, 1, "one refresh for every stale hit");
  refresh.resolve("v2");
  await refresh.promise;
  await Promise.resolve();
  assert.equal(await cache.get("1", () => Promise.reject(new Error("not called"))), "v2");
});

Deno.test("createReadCache() keeps a stale value through a failed refresh, then surfaces errors", async () => {
  let t = 0;
  const cache = createReadCache<string>({ ttlMs: 100, maxEntries: 10, now: () => t });
  await cache.get("1", () => Promise.resolve("v1"));
  t = 150;
  const failing = () => Promise.reject(new Error("store down"));
  assert.equal(await cache.get("1", failing), "v1");
  await delay(0); // let the failed refresh settle
  assert.equal(await cache.get("1", failing), "v1");
  t = 250; // too old to serve
  await assert.rejects(cache.get("1", failing), /store down/);
});

Deno.test("createReadCache() does not cache a read that a delete overtook", async () => {
  const cache = createReadCache<string>({ ttlMs: 1000, maxEntries: 10, now: () => 0 });
  const old = deferred<string>();
  const first = cache.get("1", () => old.promise);
  cache.delete("1"); // an upsert wrote a new profile meanwhile
  old.resolve("before the write");
  assert.equal(await first, "before the write");
  assert.equal(await cache.get("1", () => Promise.resolve("after the write")), "after the write");
});

Deno.test("createReadCache() lets one caller give up without failing the others", async () => {
  const cache = createReadCache<string>({ ttlMs: 1000, maxEntries: 10, now: () => 0 });
  const read = deferred<string>();
  const controller = new AbortController();
  const impatient = cache.get("1", () => read.promise, controller.signal);
  const patient = cache.get("1", () => read.promise);
  controller.abort(new DOMException("gone", "AbortError"));
  await assert.rejects(impatient, { name: "AbortError" });
  read.resolve("Maya");
  assert.equal(await patient, "Maya");
});

Deno.test("createReadCache() keeps at most maxEntries", async () => {
  const cache = createReadCache<string>({ ttlMs: 1000, maxEntries: 2, now: () => 0 });
  let loads = 0;
  const load = (v: string) => () => (loads++, Promise.resolve(v));
  for (const key of ["a", "b", "c"]) await cache.get(key, load(key));
  assert.equal(loads, 3);
  await cache.get("c", load("c"));
  await cache.get("b", load("b"));
  assert.equal(loads, 3, "b and c are kept");
  await cache.get("a", load("a"));
  assert.equal(loads, 4, "a was dropped");
});
