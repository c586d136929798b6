/**
 * The same error exits with the same status from every command (`lib/cli/exit.ts`): a
 * configuration error is 2 ("fix your input; retrying cannot help") whether it reaches
 * `deno task chat`, `seed`, `prompty --run`, `eval` or `eval:generate`, and each prints the same
 * report without a stack trace.
 *
 * @module
 */
import { equal, match, ok } from "node:assert/strict";
import { denoTask } from "./_deno_task.ts";

// One malformed variable: every command reads the configuration the same way.
const BROKEN = { RATE_LIMIT_PER_MINUTE: "plenty" };

Deno.test("a ConfigError exits 2 from every command that reads the configuration", async (t) => {
  const commands: [string, string[]][] = [
    ["chat", ["Do you sell tents?", "--customer", "2"]],
    ["seed", []],
    ["prompty", ["prompts/chat.prompty", "--run"]],
    ["eval", ["--rows", "1"]],
    ["eval:generate", ["--count", "1"]],
  ];
  const runs = await Promise.all(
    commands.map(([task, args]) => denoTask(task, args, { env: BROKEN })),
  );
  for (const [i, [task]] of commands.entries()) {
    await t.step(task, () => {
      const { code, stderr } = runs[i];
      equal(code, 2, `${task}: ${stderr}`);
      match(stderr, /^Error: Invalid configuration:\n {2}- RATE_LIMIT_PER_MINUTE /m);
      ok(!/\bat .+:\d+:\d+/.test(stderr), `${task} printed a stack trace: ${stderr}`);
    });
  }
});
