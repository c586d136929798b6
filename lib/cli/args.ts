/**
 * Reading a command line with `node:util`'s `parseArgs`, where an unknown option or a missing
 * value is a {@link UsageError} (exit 2 with the command's usage, see `exit.ts`) instead of a
 * `TypeError` each command had to catch and convert. Every command gets `-h, --help`.
 *
 * @module
 */
import { parseArgs, type ParseArgsOptionsConfig } from "node:util";
import { errorMessage } from "../errors.ts";
import { UsageError } from "./exit.ts";

const HELP = { help: { type: "boolean", short: "h", default: false } } as const;

/** What {@link parseCommandLine} returns: `parseArgs`' result for these options and `--help`. */
export type CommandLine<O extends ParseArgsOptionsConfig, P extends boolean> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O & typeof HELP; allowPositionals: P }>
>;

/**
 * `parseArgs` (strict) of `args` with `options` and `--help`, its errors as
 * {@link UsageError}s.
 *
 * @example
 * ```ts
 * import { parseCommandLine } from "./args.ts";
 * const { values } = parseCommandLine(["--json"], { json: { type: "boolean" } });
 * console.assert(values.json === true && values.help === false);
 * ```
 */
export function parseCommandLine<O extends ParseArgsOptionsConfig, P extends boolean = false>(
  args: string[],
  options: O,
  config: { allowPositionals?: P } = {},
): CommandLine<O, P> {
  try {
    return parseArgs({
      args,
      options: { ...options, ...HELP },
      allowPositionals: (config.allowPositionals ?? false) as P,
    });
  } catch (error) {
    throw new UsageError(errorMessage(error));
  }
}
