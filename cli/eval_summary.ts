/**
 * `deno task eval:summary [RUNS_DIR]`: one table of every evaluation run under RUNS_DIR
 * (default `.runs/eval`): name, date, fingerprint id, rows, and each metric's mean with its
 * 95% interval. Runs with the same fingerprint measured the same thing; compare those.
 * Exit 2 for bad arguments or a missing directory.
 *
 * @module
 */
import { parseCommandLine } from "../lib/cli/args.ts";
import { EXIT, runCommand, UsageError } from "../lib/cli/exit.ts";
import { errorMessage } from "../lib/errors.ts";
import { DEFAULT_RUNS_DIR, readRuns, runRows, textTable } from "../lib/evaluate/mod.ts";

const USAGE = `Usage: deno task eval:summary [RUNS_DIR]

  RUNS_DIR   the directory \`deno task eval\` writes runs into (default ${DEFAULT_RUNS_DIR})`;

function usage(message: string): never {
  throw new UsageError(message);
}

async function main(): Promise<number> {
  const parsed = parseCommandLine(Deno.args, {}, { allowPositionals: true });
  if (parsed.values.help) {
    console.log(USAGE);
    return EXIT.ok;
  }
  if (parsed.positionals.length > 1) usage("give at most one runs directory");
  const runsDir = parsed.positionals[0] ?? DEFAULT_RUNS_DIR;
  let listing;
  try {
    listing = await readRuns(runsDir);
  } catch (error) {
    usage(errorMessage(error));
  }
  if (listing.runs.length === 0) {
    console.log(`No runs in ${runsDir} (run \`deno task eval\` first)`);
  } else {
    console.log(textTable(runRows(listing.runs)));
    const ids = new Set(listing.runs.map((r) => r.summary.fingerprintId ?? "unknown"));
    console.log(
      `\n${listing.runs.length} runs, ${ids.size} fingerprints. Means with 95% bootstrap ` +
        "intervals; compare runs that share a fingerprint but for the change under test " +
        "(deno task eval:compare RUN_A RUN_B).",
    );
  }
  for (const u of listing.unreadable) console.log(`skipped ${u.dir}: ${u.reason}`);
  return EXIT.ok;
}

Deno.exit(await runCommand(main, { usage: USAGE }));
