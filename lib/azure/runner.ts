/**
 * The command-runner port: how the provisioning tasks call `azd` and friends. The real adapter
 * runs a process; the fake (beside it) answers from a table and records every call, so tests
 * exercise preflight, plans and execution without any tool installed. `shellLine` prints a
 * command the way a learner would type it (plans, preflight fixes, the tasks' output).
 *
 * @module
 */

/** What a finished command left behind. */
export interface CommandResult {
  /** Exit code; 127 when the program was not found. */
  code: number;
  stdout: string;
  stderr: string;
}

/** Options of {@linkcode CommandRunner.run}. */
export interface RunOptions {
  cwd?: string;
  /** Extra environment variables, over the current process environment. */
  env?: Record<string, string>;
  /**
   * Variables of the current process environment the child must not inherit (e.g. the app's
   * managed-identity `AZURE_CLIENT_ID` when a tool should use the learner's own sign-in).
   */
  unsetEnv?: string[];
  /** Told about output as it arrives (long runs such as `azd provision`). */
  onOutput?: (text: string, stream: "stdout" | "stderr") => void;
}

/** Runs external commands. */
export interface CommandRunner {
  run(command: string, args: string[], options?: RunOptions): Promise<CommandResult>;
}

/** The exit code a shell uses for "command not found". */
export const NOT_FOUND = 127;

async function pump(
  stream: ReadableStream<Uint8Array>,
  name: "stdout" | "stderr",
  onOutput?: RunOptions["onOutput"],
): Promise<string> {
  const decoder = new TextDecoder();
  let text = "";
  for await (const chunk of stream) {
    const part = decoder.decode(chunk, { stream: true });
    text += part;
    if (part) onOutput?.(part, name);
  }
  const rest = decoder.decode();
  if (rest) onOutput?.(rest, name);
  return text + rest;
}

/**
 * The real runner: `Deno.Command` with piped output (forwarded to `onOutput` as it arrives) and
 * no standard input, so a tool that would prompt fails instead of hanging.
 *
 * @example
 * ```ts ignore
 * const runner = createCommandRunner();
 * const { code, stdout } = await runner.run("azd", ["version"]);
 * ```
 */
export function createCommandRunner(): CommandRunner {
  return {
    async run(command, args, options = {}) {
      let child;
      const unset = options.unsetEnv ?? [];
      // Deno.Command can only add variables, so an unset means passing the whole environment.
      const env = unset.length === 0 ? options.env : {
        ...Object.fromEntries(
          Object.entries(Deno.env.toObject()).filter(([name]) => !unset.includes(name)),
        ),
        ...options.env,
      };
      try {
        child = new Deno.Command(command, {
          args,
          cwd: options.cwd,
          env,
          clearEnv: unset.length > 0,
          stdin: "null",
          stdout: "piped",
          stderr: "piped",
        }).spawn();
      } catch (error) {
        if (error instanceof Deno.errors.NotFound) {
          return { code: NOT_FOUND, stdout: "", stderr: `${command}: command not found` };
        }
        throw error;
      }
      const [stdout, stderr, status] = await Promise.all([
        pump(child.stdout, "stdout", options.onOutput),
        pump(child.stderr, "stderr", options.onOutput),
        child.status,
      ]);
      return { code: status.code, stdout, stderr };
    },
  };
}

/** One recorded call of the fake runner. */
export interface RecordedCall {
  command: string;
  args: string[];
  env?: Record<string, string>;
  unsetEnv?: string[];
  cwd?: string;
}

/** An answer of the fake runner: a result, or a function of the call. */
export type FakeAnswer =
  | Partial<CommandResult>
  | ((call: RecordedCall) => Partial<CommandResult>);

/** A fake runner with the calls it received. */
export interface FakeRunner extends CommandRunner {
  readonly calls: RecordedCall[];
  /** The calls as command lines (`azd env list --output json`). */
  commandLines(): string[];
}

/**
 * A fake runner. Answers are keyed by command line prefix (`"azd auth login"` answers
 * `azd auth login --check-status`); the longest matching key wins; a command with no answer
 * is "not found" (exit 127).
 *
 * @example
 * ```ts
 * import { createFakeRunner } from "./runner.ts";
 * const runner = createFakeRunner({ "azd version": { stdout: "azd version 1.20.0" } });
 * const result = await runner.run("azd", ["version"]);
 * console.assert(result.code === 0 && runner.calls.length === 1);
 * ```
 */
export function createFakeRunner(answers: Record<string, FakeAnswer> = {}): FakeRunner {
  const calls: RecordedCall[] = [];
  const keys = Object.keys(answers).sort((a, b) => b.length - a.length);
  return {
    calls,
    commandLines: () => calls.map((c) => [c.command, ...c.args].join(" ")),
    run(command, args, options = {}) {
      const call: RecordedCall = {
        command,
        args: [...args],
        env: options.env,
        cwd: options.cwd,
        ...(options.unsetEnv ? { unsetEnv: [...options.unsetEnv] } : {}),
      };
      calls.push(call);
      const line = [command, ...args].join(" ");
      const key = keys.find((k) => line === k || line.startsWith(`${k} `));
      if (key === undefined) {
        return Promise.resolve({
          code: NOT_FOUND,
          stdout: "",
          stderr: `${command}: command not found`,
        });
      }
      const answer = answers[key];
      const partial = typeof answer === "function" ? answer(call) : answer;
      const result = { code: 0, stdout: "", stderr: "", ...partial };
      if (result.stdout) options.onOutput?.(result.stdout, "stdout");
      if (result.stderr) options.onOutput?.(result.stderr, "stderr");
      return Promise.resolve(result);
    },
  };
}

/** One word of a command as a shell must see it: quoted when it has anything but safe characters. */
export function shellWord(part: string): string {
  return /^[\w.,:/@=+-]+$/.test(part) ? part : `'${part.replace(/'/g, `'\\''`)}'`;
}

/** A command as one shell line, quoting what needs it. */
export function shellLine(command: string[]): string {
  return command.map(shellWord).join(" ");
}
