/**
 * How every command line ends: one {@link exitCodeFor} from the error's class, so the same
 * error exits with the same status in every `deno task`, and one {@link runCommand} that prints
 * it the same way. The statuses mirror the server's answers: what the server refuses as bad
 * input (a `ValidationError`, which a `ConfigError` is) exits 2, as does a bad command line
 * ({@link UsageError}); anything that went wrong while the command ran (an upstream service, an
 * unknown record, a prompt that does not load, a bug) exits 1. Exit 2 therefore tells a script
 * that retrying cannot help (the azd hook relies on it).
 *
 * @module
 */
import { errorMessage, UpstreamError, ValidationError } from "../errors.ts";

/** Exit statuses shared by the command lines. */
export const EXIT = {
  /** Done, and every gate passed. */
  ok: 0,
  /** The command ran and failed (or a gate did not pass). */
  failed: 1,
  /** Bad usage or bad input: fix the command line, the environment or the file. */
  usage: 2,
  /** A model allowance ran out: try again later (`EX_TEMPFAIL`). */
  tryLater: 75,
  /** Stopped by Ctrl+C (128 + SIGINT). */
  interrupted: 130,
} as const;

/**
 * A bad command line (an unknown option, a missing argument, a value out of range): printed
 * with the command's usage.
 *
 * @example
 * ```ts
 * import { exitCodeFor, UsageError } from "./exit.ts";
 * console.assert(exitCodeFor(new UsageError("--count must be a whole number")) === 2);
 * ```
 */
export class UsageError extends Error {
  override name = "UsageError";
}

/**
 * The exit status for an error: 2 for a {@link UsageError} or a `ValidationError` (a
 * `ConfigError` included), 1 for anything else.
 *
 * @example
 * ```ts
 * import { exitCodeFor } from "./exit.ts";
 * import { ValidationError } from "../errors.ts";
 * console.assert(exitCodeFor(new ValidationError("question is required")) === 2);
 * console.assert(exitCodeFor(new TypeError("x is not a function")) === 1);
 * ```
 */
export function exitCodeFor(error: unknown): number {
  return error instanceof UsageError || error instanceof ValidationError ? EXIT.usage : EXIT.failed;
}

/**
 * The line (or lines) a command prints for an error: `Error: message`, the usage after a
 * {@link UsageError}, and a hint when an upstream failure may pass.
 */
export function errorReport(error: unknown, usage?: string): string {
  const line = `Error: ${errorMessage(error)}`;
  if (error instanceof UsageError && usage) return `${line}\n\n${usage}`;
  if (error instanceof UpstreamError && error.isRetryable) return `${line} (try again shortly)`;
  return line;
}

/** Options of {@link runCommand}. */
export interface RunCommandOptions {
  /** Printed after a {@link UsageError}'s message. */
  usage?: string;
  /** Where the report goes (default `console.error`; tests collect it). */
  print?: (text: string) => void;
}

/**
 * Run a command's `main` and return its exit status: what `main` returns, or
 * {@link exitCodeFor} the error it throws, after printing {@link errorReport} (no stack).
 *
 * @example
 * ```ts ignore
 * if (import.meta.main) Deno.exit(await runCommand(() => main(Deno.args), { usage: USAGE }));
 * ```
 */
export async function runCommand(
  main: () => number | Promise<number>,
  options: RunCommandOptions = {},
): Promise<number> {
  try {
    return await main();
  } catch (error) {
    (options.print ?? console.error)(errorReport(error, options.usage));
    return exitCodeFor(error);
  }
}
