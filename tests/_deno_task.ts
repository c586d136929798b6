/**
 * Running this repository's commands as real subprocesses, the way a learner runs them: every
 * configuration variable of `VARIABLES` blanked (blank is unset), so a developer's `.env` or
 * shell cannot leak into a test, then what the test is about. `denoTask` runs a `deno task` from
 * the repository with `INIT_CWD` set to where the command is "typed"; `unconfiguredEnv` is the
 * environment for a process started with `clearEnv`; `outputReader` waits for a line of a
 * long-running process's output.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { VARIABLES } from "../lib/config/variables.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BLANK: Record<string, string> = Object.fromEntries(VARIABLES.map((v) => [v.name, ""]));

/** What a finished task printed. */
export interface TaskResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run `deno task --quiet <task> ...args` and collect its exit code and output. */
export async function denoTask(
  task: string,
  args: string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
): Promise<TaskResult> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["task", "--quiet", task, ...args],
    cwd: ROOT,
    env: {
      ...BLANK,
      NO_COLOR: "1",
      INIT_CWD: options.cwd ?? ROOT,
      ...options.env,
    },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

/**
 * The whole environment of a process started with `clearEnv: true`: configuration blanked,
 * `NO_COLOR`, what Deno itself needs from this one (PATH, HOME, its cache folders), then `extra`.
 */
export function unconfiguredEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = { ...BLANK, NO_COLOR: "1" };
  for (const name of ["PATH", "HOME", "DENO_DIR", "XDG_CACHE_HOME", "TMPDIR"]) {
    const value = Deno.env.get(name);
    if (value !== undefined) env[name] = value;
  }
  return { ...env, ...extra };
}

/** A process's output read as it arrives: {@link OutputReader.readUntil} a pattern shows up. */
export interface OutputReader {
  /** Read until `pattern` matches the output so far (throws with the output after `timeoutMs`). */
  readUntil(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Everything read so far. */
  text(): string;
  /** Stop reading (the stream is released). */
  cancel(): Promise<void>;
}

/** Read `stream` (a child's stdout) on demand. */
export function outputReader(stream: ReadableStream<Uint8Array>): OutputReader {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = "";
  return {
    async readUntil(pattern, timeoutMs = 60_000) {
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        const match = text.match(pattern);
        if (match) return match;
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
      throw new Error(`Not seen: ${pattern}\n${text}`);
    },
    text: () => text,
    cancel: () => reader.cancel().catch(() => {}),
  };
}
