import { equal, ok } from "node:assert/strict";
import {
  ContentFilterError,
  errorMessage,
  isRetryableStatus,
  NotFoundError,
  timeoutError,
  UpstreamError,
} from "./errors.ts";

Deno.test("UpstreamError carries service, status, retryability, Retry-After and cause", () => {
  const cause = new Error("socket hang up");
  const error = new UpstreamError("The chat-model returned HTTP 503", {
    service: "chat-model",
    status: 503,
    isRetryable: true,
    retryAfterSeconds: 2,
    cause,
  });
  ok(error instanceof Error);
  equal(error.name, "UpstreamError");
  equal(error.service, "chat-model");
  equal(error.status, 503);
  equal(error.isRetryable, true);
  equal(error.retryAfterSeconds, 2);
  equal(error.cause, cause);
  equal(error.isTimeout, false);
  equal(
    new UpstreamError("t", { service: "products", status: 504, isRetryable: false }).isTimeout,
    true,
  );
  equal(
    new UpstreamError("t", { service: "products", status: 408, isRetryable: true }).isTimeout,
    true,
  );
});

Deno.test("ContentFilterError is a friendly, non-retryable 400 UpstreamError", () => {
  const error = new ContentFilterError("chat-model");
  ok(error instanceof UpstreamError);
  equal(error.name, "ContentFilterError");
  equal(error.status, 400);
  equal(error.isRetryable, false);
  ok(error.message.startsWith("Sorry, I can't help with that request"));
});

Deno.test("NotFoundError names the resource and id", () => {
  const error = new NotFoundError("customer", "42");
  equal(error.message, 'Cannot find customer "42"');
  equal(error.resource, "customer");
  equal(error.id, "42");
});

Deno.test("errorMessage() never returns a stack", () => {
  equal(errorMessage(new TypeError("bad")), "bad");
  equal(errorMessage("plain"), "plain");
  equal(errorMessage(42), "42");
});

Deno.test("timeoutError() is the one timeout: 504, never retried", async (t) => {
  await t.step("names the service, and the budget when given", () => {
    equal(timeoutError("chat-model").message, "The chat-model timed out");
    equal(
      timeoutError("endpoint", { afterMs: 120_000 }).message,
      "The endpoint timed out after 120000 ms",
    );
  });
  await t.step("every timeout has the same status and retryability", () => {
    const cause = new Error("headers never came");
    for (const service of ["chat-model", "chat-pipeline", "endpoint"] as const) {
      const error = timeoutError(service, { afterMs: 5, cause });
      ok(error instanceof UpstreamError);
      equal(error.service, service);
      equal(error.status, 504);
      ok(error.isTimeout);
      equal(error.isRetryable, false);
      equal(error.cause, cause);
    }
  });
});

Deno.test("isRetryableStatus() is the one retry rule, and every adapter maps statuses with it", async () => {
  const { APIError } = await import("openai");
  const { toUpstreamError } = await import("./models/openai_errors.ts");
  const { searchError } = await import("./products/azure_ai_search.ts");
  const { storeError } = await import("./customers/cosmos_customer_store.ts");
  const retried = [0, 408, 429, 500, 502, 503, 504];
  const final = [400, 401, 403, 404, 409, 412, 413, 422];
  for (const status of retried) ok(isRetryableStatus(status), String(status));
  for (const status of final) ok(!isRetryableStatus(status), String(status));
  for (const status of [...retried, ...final].filter((s) => s !== 0)) {
    const headers = new Headers();
    const fromModel = toUpstreamError(
      APIError.generate(status, { error: { message: "x" } }, "x", headers),
      "chat-model",
    ) as UpstreamError;
    const fromSearch = searchError({ statusCode: status }, "search");
    const fromStore = storeError({ code: status }, "read a customer");
    for (const [name, error] of Object.entries({ fromModel, fromSearch, fromStore })) {
      equal(error.isRetryable, isRetryableStatus(status), `${name} ${status}`);
    }
  }
});
