/**
 * Running a `deno task` of this repository as a real subprocess, the way a learner runs it:
 * from the repository, with `INIT_CWD` set to where the command is "typed", and every
 * configuration variable of `VARIABLES` blanked (blank is unset), so a developer's `.env` or
 * shell cannot leak into a test. `env` then sets what the test is about.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { VARIABLES } from "../lib/config/variables.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

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
      ...Object.fromEntries(VARIABLES.map((v) => [v.name, ""])),
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
