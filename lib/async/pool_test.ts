import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { delay } from "./delay.ts";
import { forEachConcurrent } from "./pool.ts";

Deno.test("forEachConcurrent() runs items with a bounded number in flight", async (t) => {
  await t.step("never more than the limit at once, every item once", async () => {
    let inFlight = 0;
    let most = 0;
    const done: number[] = [];
    await forEachConcurrent([5, 1, 3, 1, 2, 4, 1], 3, async (ms, index) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await delay(ms);
      done.push(index);
      inFlight--;
    });
    equal(most, 3);
    deepEqual([...done].sort(), [0, 1, 2, 3, 4, 5, 6]);
  });
  await t.step("a slow item does not hold the next ones back (no batches)", async () => {
    const order: string[] = [];
    await forEachConcurrent(["slow", "a", "b", "c"], 2, async (name) => {
      await delay(name === "slow" ? 60 : 5);
      order.push(name);
    });
    deepEqual(order, ["a", "b", "c", "slow"]);
  });
  await t.step("stops starting items once the signal aborts", async () => {
    const controller = new AbortController();
    const started: number[] = [];
    await forEachConcurrent([0, 1, 2, 3, 4, 5], 2, async (n) => {
      started.push(n);
      if (n === 1) controller.abort();
      await delay(1);
    }, { signal: controller.signal });
    ok(started.length < 6);
  });
  await t.step("an empty list resolves; a bad limit is a RangeError", async () => {
    await forEachConcurrent([], 4, () => Promise.reject(new Error("never called")));
    await rejects(forEachConcurrent([1], 0, async () => {}), RangeError);
    await rejects(forEachConcurrent([1], 1.5, async () => {}), /whole number/);
  });
  await t.step("a rejection of fn rejects the pool", async () => {
    await rejects(
      forEachConcurrent([1, 2], 2, (n) => n === 2 ? Promise.reject(new Error("two")) : delay(1)),
      /two/,
    );
  });
});
