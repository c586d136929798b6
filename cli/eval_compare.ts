/**
 * `deno task eval:compare RUN_A RUN_B`: compare two evaluation runs (two prompt versions on
 * the same set): prints each metric's means and the delta B − A, and writes a side-by-side
 * chart. Exit 2 for bad arguments.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import { errorMessage } from "../lib/errors.ts";
import {
  compareChart,
  compareRuns,
  deltaRows,
  readSummary,
  textTable,
} from "../lib/evaluate/mod.ts";

const USAGE = `Usage: deno task eval:compare RUN_A RUN_B [--out FILE]

  RUN_A, RUN_B   run directories written by \`deno task eval\` (under .runs/eval/)
  --out FILE     where to write the side-by-side chart (default RUN_B/compare.svg)`;

function usage(message: string): never {
  console.error(`Error: ${message}\n\n${USAGE}`);
  Deno.exit(2);
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: Deno.args,
      allowPositionals: true,
      options: {
        out: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    usage(errorMessage(error));
  }
  if (parsed.values.help) {
    console.log(USAGE);
    return 0;
  }
  if (parsed.positionals.length !== 2) usage("give exactly two run directories");
  const [dirA, dirB] = parsed.positionals;
  let a, b;
  try {
    [a, b] = await Promise.all([readSummary(dirA), readSummary(dirB)]);
  } catch (error) {
    usage(errorMessage(error));
  }

  console.log(`A: ${dirA}  (prompt ${a.prompt ?? "default"}, ${a.rows.ok}/${a.rows.total} rows)`);
  console.log(`B: ${dirB}  (prompt ${b.prompt ?? "default"}, ${b.rows.ok}/${b.rows.total} rows)`);
  if (a.dataset !== b.dataset) {
    console.log(`warning: the runs used different data sets (${a.dataset} vs ${b.dataset})`);
  }
  for (const [label, s] of [["A", a], ["B", b]] as const) {
    if (!s.complete) {
      console.log(`warning: run ${label} is incomplete (${s.rows.pending} rows not run)`);
    }
  }
  console.log(`\n${textTable(deltaRows(compareRuns(a, b)))}\n`);
  const skipped = [...new Set([...a.skipped, ...b.skipped].map((s) => s.name))];
  if (skipped.length) console.log(`Skipped in at least one run: ${skipped.join(", ")}`);

  const out = parsed.values.out ?? join(dirB, "compare.svg");
  await Deno.writeTextFile(out, compareChart(a, b));
  console.log(`Chart: ${out}`);
  return 0;
}

Deno.exit(await main());
