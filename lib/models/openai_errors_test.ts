import { equal, ok } from "node:assert/strict";
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import { ContentFilterError, UpstreamError } from "../errors.ts";
import { toUpstreamError, unsupportedParameter } from "./openai_errors.ts";
import AZURE_CONTENT_FILTER from "./testdata/azure_content_filter.json" with { type: "json" };

const apiError = (status: number, body?: Record<string, unknown>, headers = new Headers()) =>
  APIError.generate(status, body ? { error: body } : undefined, undefined, headers);

Deno.test("toUpstreamError() maps HTTP statuses to retryable or not", async (t) => {
  for (
    const [status, retryable] of [
      [400, false],
      [401, false],
      [404, false],
      [408, true],
      [429, true],
      [500, true],
      [503, true],
    ] as const
  ) {
    await t.step(`${status}`, () => {
      const error = toUpstreamError(apiError(status, { message: "x" }), "chat-model");
      ok(error instanceof UpstreamError);
      equal(error.status, status);
      equal(error.isRetryable, retryable);
      equal(error.service, "chat-model");
      equal(error.message, `The chat-model returned HTTP ${status}`);
      ok(error.cause instanceof APIError);
    });
  }
});

Deno.test("toUpstreamError() keeps the Retry-After of a 429", () => {
  const error = toUpstreamError(
    apiError(429, { message: "slow down" }, new Headers({ "retry-after": "3" })),
    "embedding-model",
  ) as UpstreamError;
  equal(error.retryAfterSeconds, 3);
  equal(error.service, "embedding-model");
});

Deno.test("toUpstreamError() turns Azure's content filter into a ContentFilterError", async (t) => {
  await t.step("code content_filter with the ResponsibleAIPolicyViolation inner error", () => {
    const error = toUpstreamError(
      apiError(400, AZURE_CONTENT_FILTER.error),
      "chat-model",
    );
    ok(error instanceof ContentFilterError);
    equal(error.status, 400);
    equal(error.isRetryable, false);
    ok(error.message.startsWith("Sorry, I can't help with that request"));
  });
  await t.step("the inner error alone", () => {
    const error = toUpstreamError(
      apiError(400, { code: "invalid", innererror: { code: "ResponsibleAIPolicyViolation" } }),
      "chat-model",
    );
    ok(error instanceof ContentFilterError);
  });
  await t.step("another 400 is not a content filter", () => {
    const error = toUpstreamError(apiError(400, { code: "context_length_exceeded" }), "chat-model");
    ok(!(error instanceof ContentFilterError));
    equal((error as UpstreamError).status, 400);
  });
});

Deno.test("toUpstreamError() maps timeouts, connection failures and malformed replies", () => {
  const timeout = toUpstreamError(new APIConnectionTimeoutError(), "chat-model") as UpstreamError;
  equal(timeout.status, 504);
  ok(timeout.isTimeout);
  equal(timeout.isRetryable, false);

  const refused = toUpstreamError(
    new APIConnectionError({ message: "Connection error.", cause: new TypeError("refused") }),
    "chat-model",
  ) as UpstreamError;
  equal(refused.status, 502);
  equal(refused.isRetryable, true);
  ok(refused.message.startsWith("Cannot reach the chat-model"));

  const malformed = toUpstreamError(new SyntaxError("Unexpected token"), "chat-model");
  equal((malformed as UpstreamError).status, 502);
  equal(malformed.message, "The chat-model sent a malformed response");

  const other = toUpstreamError(new Error("boom"), "chat-model") as UpstreamError;
  equal(other.status, 502);
  equal(other.isRetryable, false);
});

Deno.test("toUpstreamError() passes aborts and existing UpstreamErrors through", () => {
  const abort = new APIUserAbortError();
  equal(toUpstreamError(abort, "chat-model"), abort);
  const dom = new DOMException("stop", "AbortError");
  equal(toUpstreamError(dom, "chat-model"), dom);
  const mine = new UpstreamError("x", { service: "eval-model", status: 500, isRetryable: true });
  equal(toUpstreamError(mine, "chat-model"), mine);
});

Deno.test("unsupportedParameter() names the parameter a 400 rejects, from the body or its wording", async (t) => {
  const cases: [string, number, Record<string, unknown>, string | undefined][] = [
    ["OpenAI max_tokens", 400, {
      message:
        "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
      type: "invalid_request_error",
      param: "max_tokens",
      code: "unsupported_parameter",
    }, "max_tokens"],
    ["OpenAI temperature value", 400, {
      message:
        "Unsupported value: 'temperature' does not support 0 with this model. Only the default (1) value is supported.",
      type: "invalid_request_error",
      param: "temperature",
      code: "unsupported_value",
    }, "temperature"],
    ["temperature as a parameter", 400, {
      message: "Unsupported parameter: 'temperature' is not supported with this model.",
      param: "temperature",
      code: "unsupported_parameter",
    }, "temperature"],
    ["a proxy that keeps only the message", 400, {
      message:
        "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
      code: "invalid_request_body",
    }, "max_tokens"],
    ["top_p", 400, { message: "x", param: "top_p", code: "unsupported_value" }, "top_p"],
    ["another parameter", 400, {
      message: "Unsupported parameter: 'logprobs' is not supported with this model.",
      param: "logprobs",
      code: "unsupported_parameter",
    }, undefined],
    [
      "another 400",
      400,
      { message: "Invalid 'messages'", param: "messages", code: null },
      undefined,
    ],
    ["not a 400", 429, { message: "Unsupported parameter: 'max_tokens'", code: "x" }, undefined],
  ];
  for (const [name, status, body, expected] of cases) {
    await t.step(name, () => {
      const raw = apiError(status, body);
      equal(unsupportedParameter(raw), expected);
      equal(unsupportedParameter(toUpstreamError(raw, "eval-model")), expected);
    });
  }
  equal(unsupportedParameter(new Error("Unsupported parameter: 'max_tokens'")), undefined);
});
