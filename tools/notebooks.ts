/**
 * `deno task notebooks [NAME…]`: runs the workshop notebooks headless and fails on any cell
 * error. Each notebook's code cells are type-checked with `deno check` (which names the real
 * error where the kernel says only "Execution failed") while `tools/run_notebooks.py`
 * executes them in Deno's kernel, started from the repo's kernelspec (see `_notebook_run.ts`).
 * This module owns the command line and what is printed: one table row per notebook run, the
 * re-run changes, kernel log tails, and the JSON summary for tests and CI. Executed copies go
 * to `notebooks/.executed/`. `--rerun` then goes back over each notebook in the same kernel
 * (every code cell again, then earlier cells after the last one) and `--html DIR` writes an
 * nbconvert HTML export of each executed notebook, both within the one execution.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { join, resolve } from "node:path";
import {
  EXPORT_PYTHON_MODULES,
  findJupyterPython,
  JUPYTER_INSTALL_HINT,
  REQUIRED_PYTHON_MODULES,
} from "./_jupyter_env.ts";
import { type CheckError, checkNotebook, describeCheckError } from "./_notebook_check.ts";
import { type KernelRun, runHarness } from "./_notebook_run.ts";
import { selectNotebooks } from "./_notebook_select.ts";

const REPO = fileURLToPath(new URL("..", import.meta.url));

const USAGE = `Usage: deno task notebooks [options] [NAME…]

Runs notebooks headless with Deno's kernel (kernelspec notebooks/kernels/contoso-deno) and
type-checks their code cells. NAME is a notebook stem or prefix in notebooks/ ("2-setup", "2")
or a path to an .ipynb file; no NAME runs every notebooks/*.ipynb.

Options:
  --timeout S         seconds per cell; on timeout the kernel is restarted (default 120)
  --grace MS          quiet time on iopub after a cell goes idle (default 150)
  --repeat N          run each notebook N times, each in a fresh kernel (default 1)
  --jobs N            kernels at once (default 1)
  --executed-dir DIR  where executed copies go (default notebooks/.executed)
  --html DIR          also export each executed notebook to DIR/NAME.html (nbconvert's HTML,
                      the first pass's outputs): an instructor's hand-out
  --rerun             go back the way a learner does, in the same kernel: after the run,
                      every code cell again in order, then earlier cells (--rerun-cells);
                      any error fails the notebook (status rerun-error); cells whose output
                      says something else than the first time are listed under the table
  --rerun-cells SPEC  the earlier cells: "back" (default: from the cell before the last down
                      to cell 2, the first right after the last cell) or numbers ("2,6")
  --json FILE         write a JSON summary to FILE ("-" = stdout; the table goes to stderr)
  --no-check          skip the deno check of the code cells
  -h, --help          show this help

Exit status: 0 all cells ran, 1 a cell or check failed, 2 bad usage, 3 Jupyter missing.`;

/** One run of a notebook in the kernel, plus the type-check result of its notebook. */
export interface NotebookRun extends KernelRun {
  check_errors: CheckError[];
  /** What the table shows: the cell error, or the `deno check` error behind it. */
  first_error: string | null;
}

/** The JSON summary written by `--json`. */
export interface NotebooksSummary {
  ok: boolean;
  seconds: number;
  runs: NotebookRun[];
}

function firstError(run: NotebookRun): string | null {
  const check = run.check_errors[0];
  const e = run.error;
  if (e) {
    const opaque = e.evalue === "Execution failed" && e.traceback.length === 0;
    const related = run.check_errors.find((c) => c.cell === e.cell) ?? check;
    if (opaque && related) return describeCheckError(related);
    if (e.pass === 0) return `HTML export: ${e.ename}: ${e.evalue}`.split("\n")[0];
    const where = (e.pass ?? 1) > 1 ? `pass ${e.pass}, ` : "";
    return `${where}cell ${e.cell}: ${e.ename}: ${e.evalue}`.split("\n")[0];
  }
  return check ? describeCheckError(check) : null;
}

function table(runs: NotebookRun[]): string {
  const rows = [["notebook", "cells", "seconds", "status", "first error"]];
  for (const r of runs) {
    const name = runs.some((o) => o !== r && o.notebook === r.notebook)
      ? `${r.name} #${r.repeat}`
      : r.name;
    const error = r.first_error ?? "";
    rows.push([
      name,
      `${r.executed}/${r.cells}${r.rerun ? ` +${r.rerun.executed} re-run` : ""}`,
      r.seconds.toFixed(1),
      r.status,
      error.length > 160 ? `${error.slice(0, 159)}…` : error,
    ]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return rows.map((row) => row.map((c, i) => i < 4 ? c.padEnd(widths[i]) : c).join("  ").trimEnd())
    .join("\n");
}

async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      timeout: { type: "string", default: "120" },
      grace: { type: "string", default: "150" },
      repeat: { type: "string", default: "1" },
      jobs: { type: "string", default: "1" },
      "executed-dir": { type: "string", default: join(REPO, "notebooks", ".executed") },
      json: { type: "string" },
      html: { type: "string" },
      rerun: { type: "boolean", default: false },
      "rerun-cells": { type: "string", default: "back" },
      "no-check": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  for (const name of ["timeout", "grace", "repeat", "jobs"] as const) {
    if (!(Number(values[name]) > 0)) throw new TypeError(`Invalid --${name}: "${values[name]}"`);
  }
  if (!/^(back|[1-9]\d*(,[1-9]\d*)*)$/.test(values["rerun-cells"])) {
    throw new TypeError(`Invalid --rerun-cells: "${values["rerun-cells"]}"`);
  }
  const notebooks = await selectNotebooks(join(REPO, "notebooks"), positionals);
  const python = await findJupyterPython(Deno.env, {
    modules: values.html ? EXPORT_PYTHON_MODULES : REQUIRED_PYTHON_MODULES,
  });
  if (!python.ok) {
    console.error(`${python.reason}\nInstall with: ${JUPYTER_INSTALL_HINT}`);
    return 3;
  }
  const started = performance.now();
  const out = values.json === "-" ? console.error : console.log;
  if (notebooks.length === 0) {
    out("No notebooks to run");
    await writeSummary(values.json, { ok: true, seconds: 0, runs: [] });
    return 0;
  }
  for (const notebook of notebooks) {
    if (!(await Deno.stat(notebook).then((s) => s.isFile, () => false))) {
      console.error(`Cannot run notebook "${notebook}": file not found`);
      return 2;
    }
  }
  if (values.html) {
    try {
      await Deno.mkdir(resolve(values.html), { recursive: true });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      console.error(`Cannot write HTML exports to "${resolve(values.html)}": ${reason}`);
      return 2;
    }
  }
  const [checks, harness] = await Promise.all([
    values["no-check"] ? Promise.resolve(null) : checkAll(notebooks),
    runHarness(python.python, notebooks, {
      timeout: Number(values.timeout),
      graceMs: Number(values.grace),
      repeat: Number(values.repeat),
      jobs: Number(values.jobs),
      executedDir: resolve(values["executed-dir"]),
      htmlDir: values.html ? resolve(values.html) : undefined,
      rerun: values.rerun ? values["rerun-cells"] : undefined,
    }),
  ]);
  if ("code" in harness) return harness.code;
  const runs: NotebookRun[] = harness.runs.map((run, i) => {
    const index = Math.floor(i / Number(values.repeat));
    const checkErrors = checks?.[index] ?? [];
    const merged: NotebookRun = { ...run, check_errors: checkErrors, first_error: null };
    if (merged.status === "ok" && checkErrors.length) merged.status = "check-failed";
    return { ...merged, first_error: firstError(merged) };
  });
  const summary: NotebooksSummary = {
    ok: runs.every((r) => r.status === "ok"),
    seconds: Math.round((performance.now() - started) / 10) / 100,
    runs,
  };
  out(table(runs));
  for (const run of runs) {
    for (const c of run.rerun?.changed ?? []) {
      out(
        `${run.name}: re-run (pass ${c.pass}) changed cell ${c.cell}: "${c.first}" → "${c.rerun}"`,
      );
    }
  }
  for (const run of runs.filter((r) => r.status !== "ok" && r.kernel_log_tail.length)) {
    out(`\n${run.name}: kernel log ${run.kernel_log}\n  ${run.kernel_log_tail.join("\n  ")}`);
  }
  const exported = runs.filter((r) => r.html_path).length;
  if (values.html) out(`\nHTML exports: ${exported} in ${resolve(values.html)}`);
  await writeSummary(values.json, summary);
  return summary.ok ? 0 : 1;
}

async function checkAll(notebooks: string[]): Promise<CheckError[][]> {
  const results: CheckError[][] = [];
  for (const notebook of notebooks) results.push((await checkNotebook(notebook)).errors);
  return results;
}

async function writeSummary(file: string | undefined, summary: NotebooksSummary) {
  if (!file) return;
  const text = JSON.stringify(summary, null, 2);
  if (file === "-") console.log(text);
  else await Deno.writeTextFile(file, text + "\n");
}

if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    console.error(`${error.message}\n\n${USAGE}`);
    Deno.exit(2);
  }
}
