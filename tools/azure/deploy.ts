/**
 * `deno task deploy`: see `deno task deploy --help`. The logic is in lib/azure (preflight, plan,
 * execution) and ./_cli.ts.
 *
 * @module
 */
import { runCommand } from "../../lib/cli/exit.ts";
import { runTask } from "./_cli.ts";

if (import.meta.main) {
  Deno.exit(await runCommand(() => runTask("deploy", Deno.args)));
}
