/**
 * Reading a command line with `node:util`'s `parseArgs`, where an unknown option or a missing
 * value is a {@link UsageError} (exit 2 with the command's usage, see `exit.ts`) instead of a
 * `TypeError` each command had to catch and convert.
 *
 * @module
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { errorMessage } from "../errors.ts";
import { UsageError } from "./exit.ts";

/**
 * `parseArgs(config)`, strict by default, with its errors as {@link UsageError}s.
 *
 * @example
 * ```ts
 * import { parseCommandLine } from "./args.ts";
 * const { values } = parseCommandLine({ args: ["--json"], options: { json: { type: "boolean" } } });
 * console.assert(values.json === true);
 * ```
 */
export function parseCommandLine<T extends ParseArgsConfig>(
  config: T,
): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    throw new UsageError(errorMessage(error));
  }
}
