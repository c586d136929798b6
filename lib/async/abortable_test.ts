import { equal, rejects } from "node:assert/strict";
import { abortable } from "./abortable.ts";

Deno.test("abortable() ends the wait when the signal aborts", async (t) => {
  await t.step("settles like the promise when the signal stays quiet", async () => {
    const controller = new AbortController();
    equal(await abortable(Promise.resolve("ok"), controller.signal), "ok");
    await rejects(
      abortable(Promise.reject(new SyntaxError("bad")), controller.signal),
      SyntaxError,
    );
  });
  await t.step("rejects with the reason of an abort that comes first", async () => {
    const controller = new AbortController();
    let finish!: (value: string) => void;
    const slow = new Promise<string>((resolve) => (finish = resolve));
    const waiting = abortable(slow, controller.signal);
    controller.abort(new DOMException("The client went away", "AbortError"));
    await rejects(waiting, (e: DOMException) => e.name === "AbortError");
    finish("late"); // the work runs on; its late result is dropped
    equal(await slow, "late");
  });
  await t.step("an already aborted signal rejects at once", async () => {
    const never = new Promise<never>(() => {});
    await rejects(abortable(never, AbortSignal.abort(new Error("gone"))), /gone/);
  });
  await t.step("a late rejection after the abort is not unhandled", async () => {
    const controller = new AbortController();
    let fail!: (e: Error) => void;
    const failing = new Promise<never>((_, reject) => (fail = reject));
    const waiting = abortable(failing, controller.signal);
    controller.abort(new Error("first"));
    await rejects(waiting, /first/);
    fail(new Error("second"));
    await failing.catch(() => {});
  });
  await t.step("without a signal it is the promise itself", () => {
    const p = Promise.resolve(1);
    equal(abortable(p), p);
  });
});
