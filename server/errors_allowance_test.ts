/**
 * The server's one error mapping for an exhausted model allowance (GitHub Models' free tier):
 * a documented 502 `upstream_error` that says so, with `Retry-After` until the reset, and no
 * detail of the provider's message.
 *
 * @module
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { AllowanceExhaustedError } from "../lib/mod.ts";
import { toHttpError } from "./errors.ts";

Deno.test("toHttpError() maps AllowanceExhaustedError to a 502 with Retry-After", async (t) => {
  await t.step("with a reset time", () => {
    const error = new AllowanceExhaustedError("Rate limit of 150 per 86400s exceeded", {
      resetAt: new Date(Date.now() + 3_600_000),
      service: "chat-model",
    });
    const mapped = toHttpError(error, "req-7");
    equal(mapped.status, 502);
    equal(mapped.body.error.code, "upstream_error");
    equal(mapped.body.error.requestId, "req-7");
    ok(/chat model service has used up its free allowance/.test(mapped.body.error.message));
    ok(!mapped.body.error.message.includes("86400s"));
    const seconds = Number(mapped.headers["Retry-After"]);
    ok(seconds > 3_590 && seconds <= 3_600, `Retry-After ${seconds}`);
  });
  await t.step("without one", () => {
    const mapped = toHttpError(new AllowanceExhaustedError("Used up", { service: "eval-model" }));
    equal(mapped.status, 502);
    deepEqual(mapped.headers["Retry-After"], undefined);
    ok(/evaluation model service/.test(mapped.body.error.message));
  });
});
