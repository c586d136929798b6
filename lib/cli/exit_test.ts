import { deepEqual, equal } from "node:assert/strict";
import { ConfigError } from "../config/load.ts";
import { ContentFilterError, NotFoundError, UpstreamError, ValidationError } from "../errors.ts";
import { FingerprintMismatchError } from "../evaluate/run.ts";
import { AllowanceExhaustedError } from "../models/rate_limits.ts";
import { errorReport, exitCodeFor, runCommand, UsageError } from "./exit.ts";

Deno.test("exitCodeFor() decides by the error's class", async (t) => {
  const cases: [string, unknown, number][] = [
    ["a bad command line", new UsageError("Unknown option '--colour'"), 2],
    ["a request that breaks a rule", new ValidationError("question is required"), 2],
    ["a configuration problem", new ConfigError(["PORT must be a whole number"]), 2],
    ["a run set up differently", new FingerprintMismatchError(".runs/eval/x", ["chat model"]), 2],
    [
      "an upstream failure",
      new UpstreamError("Chat model returned 500", {
        service: "chat-model",
        status: 500,
        isRetryable: true,
      }),
      1,
    ],
    ["a blocked prompt", new ContentFilterError("chat-model"), 1],
    ["an unknown customer", new NotFoundError("customer", "41"), 1],
    ["a used-up allowance", new AllowanceExhaustedError("used up", { service: "eval-model" }), 1],
    // The prompt loaders and the engine throw these; neither is the caller's input.
    ["a prompt that does not load", new SyntaxError('Cannot load prompt "x.prompty"'), 1],
    ["a bug", new TypeError("undefined is not a function"), 1],
    ["something that is not an Error", "boom", 1],
  ];
  for (const [name, error, code] of cases) {
    await t.step(name, () => equal(exitCodeFor(error), code));
  }
});

Deno.test("errorReport() prints the message, the usage after a UsageError, a hint when it may pass", () => {
  equal(
    errorReport(new UsageError("give one file"), "Usage: x FILE"),
    "Error: give one file\n\nUsage: x FILE",
  );
  equal(
    errorReport(new ValidationError("question is required"), "Usage: x"),
    "Error: question is required",
  );
  const flaky = new UpstreamError("The search service is busy", {
    service: "products",
    status: 503,
    isRetryable: true,
  });
  equal(errorReport(flaky), "Error: The search service is busy (try again shortly)");
  equal(errorReport("plain text"), "Error: plain text");
});

Deno.test("runCommand() returns main's status, or prints the error and returns its code", async () => {
  const printed: string[] = [];
  const print = (text: string) => printed.push(text);
  equal(await runCommand(() => 3, { print }), 3);
  equal(await runCommand(() => Promise.resolve(0), { print }), 0);
  deepEqual(printed, []);
  equal(
    await runCommand(() => Promise.reject(new UsageError("--rows must be at least 1")), {
      usage: "Usage: deno task eval",
      print,
    }),
    2,
  );
  equal(
    await runCommand(() => {
      throw new NotFoundError("customer", "9");
    }, { print }),
    1,
  );
  deepEqual(printed, [
    "Error: --rows must be at least 1\n\nUsage: deno task eval",
    'Error: Cannot find customer "9"',
  ]);
});
