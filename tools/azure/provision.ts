/**
 * `deno task provision`: see `deno task provision --help`. The logic is in lib/azure (preflight, plan,
 * execution) and ./_cli.ts.
 *
 * @module
 */
import { runTask } from "./_cli.ts";

if (import.meta.main) {
  Deno.exit(await runTask("provision", Deno.args));
}
