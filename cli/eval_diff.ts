/**
 * `deno task eval:diff RUN_A RUN_B [--changed METRIC]`: per question, both runs' answers and
 * scores, only where METRIC's score changed (or, without `--changed`, where any score or the
 * row's status changed). Exit 2 for bad arguments or an unknown metric.
 *
 * @module
 */
import { parseCommandLine } from "../lib/cli/args.ts";
import { EXIT, runCommand, UsageError } from "../lib/cli/exit.ts";
import { errorMessage } from "../lib/errors.ts";
import {
  diffRuns,
  fingerprintLabel,
  readResults,
  readSummary,
  renderRowDiffs,
} from "../lib/evaluate/mod.ts";

const USAGE = `Usage: deno task eval:diff RUN_A RUN_B [--changed METRIC]

  RUN_A, RUN_B      run directories written by \`deno task eval\` (under .runs/eval/)
  --changed METRIC  only the questions whose METRIC score changed (default: any score)`;

function usage(message: string): never {
  throw new UsageError(message);
}

async function main(): Promise<number> {
  const parsed = parseCommandLine(Deno.args, {
    changed: { type: "string" },
  }, { allowPositionals: true });
  if (parsed.values.help) {
    console.log(USAGE);
    return EXIT.ok;
  }
  if (parsed.positionals.length !== 2) usage("give exactly two run directories");
  const [dirA, dirB] = parsed.positionals;
  let sa, sb, ra, rb;
  try {
    [sa, sb, ra, rb] = await Promise.all([
      readSummary(dirA),
      readSummary(dirB),
      readResults(dirA),
      readResults(dirB),
    ]);
  } catch (error) {
    usage(errorMessage(error));
  }
  const metric = parsed.values.changed;
  if (metric !== undefined) {
    const known = [...new Set([...sa.metrics, ...sb.metrics].map((m) => m.name))];
    if (!known.includes(metric)) {
      usage(`unknown metric "${metric}" (known: ${known.join(", ") || "none"})`);
    }
  }
  console.log(`A: ${dirA}  (${sa.name}, fingerprint ${fingerprintLabel(sa)})`);
  console.log(`B: ${dirB}  (${sb.name}, fingerprint ${fingerprintLabel(sb)})`);
  const diffs = diffRuns(ra, rb, { metric });
  const total = new Set([...ra, ...rb].map((r) => r.id)).size;
  const what = metric ? `${metric} changed` : "a score changed";
  console.log(`${diffs.length} of ${total} questions where ${what}\n`);
  if (diffs.length) console.log(renderRowDiffs(diffs));
  return EXIT.ok;
}

Deno.exit(await runCommand(main, { usage: USAGE }));
