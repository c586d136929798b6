/**
 * `deno task eval:compare RUN_A RUN_B`: compare two evaluation runs (two prompt versions on
 * the same set). Rows are paired by id; for each metric it prints the means, the paired mean
 * difference B − A with its bootstrap 95% interval and a verdict (better, worse, no clear
 * difference), both runs' fingerprints and a warning for each way they differ; it writes a
 * chart of the differences with error bars and the same comparison as Markdown. Exit 2 for
 * bad arguments.
 *
 * @module
 */
import { basename, dirname, extname, join } from "node:path";
import { parseCommandLine } from "../lib/cli/args.ts";
import { EXIT, runCommand, UsageError } from "../lib/cli/exit.ts";
import { errorMessage } from "../lib/errors.ts";
import {
  compareChart,
  compareRuns,
  compareWarnings,
  deltaRows,
  fingerprintLabel,
  readResults,
  readSummary,
  renderComparison,
  textTable,
} from "../lib/evaluate/mod.ts";

const USAGE = `Usage: deno task eval:compare RUN_A RUN_B [--out FILE]

  RUN_A, RUN_B   run directories written by \`deno task eval\` (under .runs/eval/)
  --out FILE     where to write the chart of the differences (default RUN_B/compare.svg);
                 the Markdown comparison goes beside it (compare.md)`;

function usage(message: string): never {
  throw new UsageError(message);
}

async function main(): Promise<number> {
  const parsed = parseCommandLine(Deno.args, {
    out: { type: "string" },
  }, { allowPositionals: true });
  if (parsed.values.help) {
    console.log(USAGE);
    return EXIT.ok;
  }
  if (parsed.positionals.length !== 2) usage("give exactly two run directories");
  const [dirA, dirB] = parsed.positionals;
  let a, b;
  try {
    const [summaryA, summaryB, resultsA, resultsB] = await Promise.all([
      readSummary(dirA),
      readSummary(dirB),
      readResults(dirA),
      readResults(dirB),
    ]);
    a = { summary: summaryA, results: resultsA };
    b = { summary: summaryB, results: resultsB };
  } catch (error) {
    usage(errorMessage(error));
  }

  for (const [label, dir, run] of [["A", dirA, a], ["B", dirB, b]] as const) {
    const s = run.summary;
    console.log(
      `${label}: ${dir}  (fingerprint ${fingerprintLabel(s)}, prompt ${s.prompt ?? "default"}, ` +
        `${s.rows.ok}/${s.rows.total} rows)`,
    );
  }
  for (const warning of compareWarnings(a.summary, b.summary)) console.log(`warning: ${warning}`);
  const deltas = compareRuns(a, b);
  console.log(`\n${textTable(deltaRows(deltas))}\n`);
  console.log(
    "Δ: mean of B − A over rows scored in both runs; 95% paired bootstrap interval; " +
      "a verdict only when the interval excludes 0.",
  );
  const skipped = [...new Set([...a.summary.skipped, ...b.summary.skipped].map((s) => s.name))];
  if (skipped.length) console.log(`Skipped in at least one run: ${skipped.join(", ")}`);

  const out = parsed.values.out ?? join(dirB, "compare.svg");
  const markdown = join(dirname(out), basename(out, extname(out)) + ".md");
  await Deno.writeTextFile(out, compareChart(a, b, deltas).svg + "\n");
  await Deno.writeTextFile(
    markdown,
    renderComparison(a.summary, b.summary, deltas, { chart: basename(out) }),
  );
  console.log(`Chart: ${out}`);
  console.log(`Markdown: ${markdown}`);
  return EXIT.ok;
}

Deno.exit(await runCommand(main, { usage: USAGE }));
