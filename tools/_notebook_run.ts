/**
 * The Deno half of the notebook harness: turns the notebooks and options of
 * `deno task notebooks` into one job for `tools/run_notebooks.py` (the Python that drives
 * Deno's kernel through jupyter_client), reads the JSON lines it writes and returns one
 * {@linkcode KernelRun} per run: the result type and the file names of the executed copies live
 * here once; the rules of `--rerun` are in `_notebook_rerun.ts`.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { dirname, join, parse, relative } from "node:path";
import {
  changedOutput,
  LINE_BREAK,
  type Output,
  type OutputChange,
  rerunPlan,
} from "./_notebook_rerun.ts";

const REPO = fileURLToPath(new URL("..", import.meta.url));

/** The kernelspec the notebooks run with (`notebooks/kernels/contoso-deno`). */
export const KERNEL = "contoso-deno";
/** Seconds at most to wait for iopub to go quiet after a cell is idle. */
const SETTLE_MAX_S = 10;
/** Seconds to wait for the kernel to start. */
const STARTUP_TIMEOUT_S = 60;
/** Lines of the kernel log shown for a run that did not pass. */
const LOG_TAIL_LINES = 20;

/** How a run ended; `check-failed` is added from `deno check` by `tools/notebooks.ts`. */
export type RunStatus =
  | "ok"
  | "error"
  | "timeout"
  | "kernel-died"
  | "harness-error"
  | "startup-failed"
  | "rerun-error"
  | "rerun-timeout"
  | "export-failed"
  | "check-failed";

/** A cell error as the kernel reported it (or the harness, for a timeout). */
export interface RunError {
  cell: number;
  ename: string;
  evalue: string;
  traceback: string[];
  /** 1: the top-to-bottom run; 2 and 3: the `--rerun` passes; 0: the HTML export. */
  pass?: number;
}

/** One `--rerun` pass: its 1-based code cell numbers, how many ran and how long it took. */
export interface RerunPass {
  pass: number;
  cells: number[];
  executed: number;
  seconds: number;
}

/** What `--rerun` ran after the top-to-bottom pass. */
export interface RerunReport {
  /** The `--rerun-cells` value. */
  spec: string;
  /** Pass 2 (every code cell in order) and pass 3 (the earlier cells). */
  passes: RerunPass[];
  /** Cells executed over both passes. */
  executed: number;
  /**
   * Re-run cells whose outputs said something else than in the first run (numbers, bar lengths
   * and padding aside): the first line that differs, as it was and as it became. Reported, not
   * failed, since a real model's replies differ on purpose.
   */
  changed: OutputChange[];
  /** The executed copy whose cells hold their latest re-run outputs. */
  executed_path?: string;
}

/** One run of a notebook in a fresh kernel. */
export interface KernelRun {
  notebook: string;
  name: string;
  repeat: number;
  /** Code cells in the notebook. */
  cells: number;
  /** Code cells the first pass executed. */
  executed: number;
  seconds: number;
  status: RunStatus;
  error: RunError | null;
  restarted: boolean;
  /** Outputs that arrived after their cell went idle (kept in their cell). */
  late_messages: number;
  /** Outputs for no known cell (dropped). */
  stray_messages: number;
  executed_path: string | null;
  kernel_log: string | null;
  kernel_log_tail: string[];
  kernel_pids: number[];
  /** With `--rerun`: the passes after the first, and the copy holding their outputs. */
  rerun: RerunReport | null;
  /** With `--html`: the export of the executed copy. */
  html_path: string | null;
}

/** The options of a harness run, as `deno task notebooks` parsed them. */
export interface HarnessOptions {
  /** Seconds per cell before the kernel is restarted. */
  timeout: number;
  /** Milliseconds iopub must stay quiet after a cell goes idle. */
  graceMs: number;
  /** Runs of each notebook, each in a fresh kernel. */
  repeat: number;
  /** Kernels at once. */
  jobs: number;
  /** Where executed copies and kernel logs go. */
  executedDir: string;
  /** Where HTML exports go, if any. */
  htmlDir?: string;
  /** The `--rerun-cells` spec when re-running. */
  rerun?: string;
}

/** One run in the job for `run_notebooks.py`: absolute paths it reads and writes. */
interface JobRun {
  notebook: string;
  executed: string;
  kernel_log: string;
  rerun: { passes: { pass: number; cells: number[] }[]; executed: string } | null;
  html: string | null;
}

/** The `run` event of `run_notebooks.py` (its `Report`). */
interface RunEvent {
  event: "run";
  run: number;
  status: RunStatus;
  executed: number;
  seconds: number;
  error: RunError | null;
  restarted: boolean;
  late_messages: number;
  stray_messages: number;
  kernel_pids: number[];
  rerun: { passes: RerunPass[]; executed: number } | null;
  exported: boolean;
}

/** The `cell` event: a re-run cell's outputs. */
interface CellEvent {
  event: "cell";
  run: number;
  pass: number;
  cell: number;
  error: boolean;
  outputs: Output[];
}

interface Notebook {
  cells: { cell_type: string; outputs?: Output[] }[];
}

/** A path as the harness reports it: relative to the working folder when inside it. */
function displayPath(path: string): string {
  const rel = relative(Deno.cwd(), path);
  return rel && !rel.startsWith("..") && !rel.startsWith("/") ? rel : path;
}

async function logTail(path: string): Promise<string[]> {
  const text = new TextDecoder().decode(await Deno.readFile(path));
  const lines = text.split(LINE_BREAK);
  if (lines.at(-1) === "") lines.pop();
  return lines.slice(-LOG_TAIL_LINES);
}

async function folder(dir: string): Promise<string> {
  await Deno.mkdir(dir, { recursive: true });
  return await Deno.realPath(dir);
}

/**
 * Runs `notebooks` (each `options.repeat` times) through `tools/run_notebooks.py` with
 * `python`; returns the runs in order, or the exit code of a harness that failed (its message
 * is on stderr). SIGINT and SIGTERM stop the harness, which shuts its kernels down.
 */
export async function runHarness(
  python: string,
  notebooks: string[],
  options: HarnessOptions,
): Promise<{ runs: KernelRun[] } | { code: number }> {
  const executedDir = await folder(options.executedDir);
  const htmlDir = options.htmlDir === undefined ? undefined : await folder(options.htmlDir);
  const runs: KernelRun[] = [];
  const jobRuns: JobRun[] = [];
  for (const path of notebooks) {
    const notebook = await Deno.realPath(path);
    const source = JSON.parse(await Deno.readTextFile(notebook)) as Notebook;
    const cells = source.cells.filter((c) => c.cell_type === "code").length;
    const name = parse(notebook).name;
    for (let repeat = 1; repeat <= options.repeat; repeat++) {
      const base = name + (options.repeat > 1 ? `.run${String(repeat).padStart(2, "0")}` : "");
      const executed = join(executedDir, `${base}.ipynb`);
      const kernelLog = join(executedDir, `${base}.kernel.log`);
      jobRuns.push({
        notebook,
        executed,
        kernel_log: kernelLog,
        rerun: options.rerun === undefined ? null : {
          passes: rerunPlan(cells, options.rerun),
          executed: join(executedDir, `${base}.rerun.ipynb`),
        },
        html: htmlDir === undefined ? null : join(htmlDir, `${base}.html`),
      });
      runs.push({
        notebook: displayPath(notebook),
        name,
        repeat,
        cells,
        executed: 0,
        seconds: 0,
        status: "ok",
        error: null,
        restarted: false,
        late_messages: 0,
        stray_messages: 0,
        executed_path: displayPath(executed),
        kernel_log: displayPath(kernelLog),
        kernel_log_tail: [],
        kernel_pids: [],
        rerun: null,
        html_path: null,
      });
    }
  }
  const job = {
    kernel: KERNEL,
    timeout: options.timeout,
    grace_ms: options.graceMs,
    settle_max: SETTLE_MAX_S,
    startup_timeout: STARTUP_TIMEOUT_S,
    jobs: options.jobs,
    runs: jobRuns,
  };
  const jobFile = await Deno.makeTempFile({ prefix: "notebooks-job-", suffix: ".json" });
  let stdout = "";
  try {
    await Deno.writeTextFile(jobFile, JSON.stringify(job));
    const harness = new Deno.Command(python, {
      args: [join(REPO, "tools", "run_notebooks.py"), jobFile],
      env: {
        // The kernelspec runs "deno" from PATH: make that the Deno running this tool.
        PATH: [dirname(Deno.execPath()), Deno.env.get("PATH")].filter(Boolean).join(":"),
        JUPYTER_PATH: [join(REPO, "notebooks"), Deno.env.get("JUPYTER_PATH")].filter(Boolean)
          .join(":"),
      },
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    const stop = () => harness.kill("SIGTERM");
    for (const signal of ["SIGINT", "SIGTERM"] as const) Deno.addSignalListener(signal, stop);
    try {
      const [text, status] = await Promise.all([
        new Response(harness.stdout).text(),
        harness.status,
      ]);
      if (status.code !== 0) {
        console.error(`run_notebooks.py failed with exit code ${status.code}`);
        return { code: status.code || 1 };
      }
      stdout = text;
    } finally {
      for (const signal of ["SIGINT", "SIGTERM"] as const) {
        Deno.removeSignalListener(signal, stop);
      }
    }
  } finally {
    await Deno.remove(jobFile).catch(() => {});
  }
  const reported = new Set<number>();
  const cellEvents: CellEvent[] = [];
  for (const line of stdout.split("\n")) {
    if (!line.trim()) continue;
    const event = JSON.parse(line) as RunEvent | CellEvent;
    if (event.event === "cell") {
      cellEvents.push(event);
      continue;
    }
    reported.add(event.run);
    const run = runs[event.run];
    Object.assign(run, {
      executed: event.executed,
      seconds: event.seconds,
      status: event.status,
      error: event.error,
      restarted: event.restarted,
      late_messages: event.late_messages,
      stray_messages: event.stray_messages,
      kernel_log_tail: event.status === "ok" ? [] : await logTail(jobRuns[event.run].kernel_log),
      kernel_pids: event.kernel_pids,
      rerun: event.rerun && {
        spec: options.rerun!,
        passes: event.rerun.passes,
        executed: event.rerun.executed,
        changed: [],
        executed_path: displayPath(jobRuns[event.run].rerun!.executed),
      },
      html_path: event.exported ? displayPath(jobRuns[event.run].html!) : null,
    });
  }
  if (reported.size !== runs.length) {
    throw new Error(`run_notebooks.py reported ${reported.size} of ${runs.length} runs`);
  }
  const firstPass = new Map<number, Output[][]>();
  for (const event of cellEvents) {
    if (event.error) continue;
    if (!firstPass.has(event.run)) {
      const executed = JSON.parse(await Deno.readTextFile(jobRuns[event.run].executed)) as Notebook;
      firstPass.set(
        event.run,
        executed.cells.filter((c) => c.cell_type === "code").map((c) => c.outputs ?? []),
      );
    }
    const first = firstPass.get(event.run)![event.cell - 1];
    const change = changedOutput(first, event.outputs, event);
    if (change) runs[event.run].rerun?.changed.push(change);
  }
  return { runs };
}
