import { deepEqual, equal, throws } from "node:assert/strict";
import { parseCommandLine } from "./args.ts";
import { exitCodeFor, UsageError } from "./exit.ts";

Deno.test("parseCommandLine() reads options and positionals as parseArgs does, with --help", () => {
  const { values, positionals } = parseCommandLine(
    ["Which stove?", "--customer", "6", "--stream"],
    { customer: { type: "string" }, stream: { type: "boolean", default: false } },
    { allowPositionals: true },
  );
  deepEqual(positionals, ["Which stove?"]);
  equal(values.customer, "6");
  equal(values.stream, true);
  equal(values.help, false);
  equal(parseCommandLine(["-h"], {}).values.help, true);
  deepEqual(
    parseCommandLine(["--data", "a", "--data", "b"], {
      data: { type: "string", multiple: true },
    }).values.data,
    ["a", "b"],
  );
});

Deno.test("parseCommandLine() turns a bad command line into a UsageError (exit 2)", async (t) => {
  const options = { rows: { type: "string" as const } };
  for (
    const [name, args] of [
      ["an unknown option", ["--colour"]],
      ["a missing value", ["--rows"]],
      ["a positional nobody allowed", ["extra"]],
    ] as const
  ) {
    await t.step(name, () => {
      throws(() => parseCommandLine([...args], options), (error: Error) => {
        equal(error instanceof UsageError, true);
        equal(exitCodeFor(error), 2);
        return true;
      });
    });
  }
});
