/**
 * Type-checks a notebook's code cells with `deno check`. Deno's kernel answers a syntax error
 * or a failed import with only "Execution failed", so the harness also joins the code cells
 * into one temporary `.ts` file placed beside the notebook (so `../lib/mod.ts` and the
 * `deno.json` import map resolve as they do in the kernel), checks it, and maps each error's
 * line back to the code cell it came from. The temporary file has a dot-name and is removed.
 *
 * @module
 */
import { basename, dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

/** One `deno check` diagnostic, located in a code cell when it comes from the notebook. */
export interface CheckError {
  /** 1-based code cell number, or `null` when the error is in another file (e.g. `lib/`). */
  cell: number | null;
  /** 1-based line within the cell (or the other file). */
  line: number;
  /** 1-based column. */
  column: number;
  /** The first line of the diagnostic, e.g. `TS2322 [ERROR]: Type 'string' is not …`. */
  message: string;
  /** For errors outside the notebook: the file, relative to the notebook's folder. */
  file?: string;
}

/** The result of {@linkcode checkNotebook}. */
export interface NotebookCheck {
  ok: boolean;
  errors: CheckError[];
  /** The raw `deno check` output, with the temporary file name as it was. */
  output: string;
}

/** Where each code cell starts in the joined source (1-based lines). */
export interface CodeLayout {
  source: string;
  cells: { cell: number; start: number; lines: number }[];
}

interface NotebookJson {
  cells: { cell_type: string; source: string | string[] }[];
}

/** Joins the code cells; a `;` line between cells keeps one from continuing the next. */
export function joinCodeCells(notebook: NotebookJson): CodeLayout {
  const parts: string[] = [];
  const cells: CodeLayout["cells"] = [];
  let line = 1;
  let number = 0;
  for (const cell of notebook.cells) {
    if (cell.cell_type !== "code") continue;
    number++;
    const text = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
    const lines = text.split("\n");
    parts.push(`// code cell ${number}`, ...lines, ";");
    cells.push({ cell: number, start: line + 1, lines: lines.length });
    line += lines.length + 2;
  }
  return { source: parts.join("\n") + "\n", cells };
}

const START = /^(?:(TS\d+) \[ERROR\]: |error: )(.*)$/;
const AT = /^\s+at (file:\/\/\S+?):(\d+):(\d+)\s*$/;
const NOISE = /^(error: Type checking failed\.|Found \d+ errors?\.)$/;

/** Parses `deno check` output and maps locations in `checkedFile` back to code cells. */
export function mapCheckOutput(output: string, checkedFile: string, layout: CodeLayout) {
  const errors: CheckError[] = [];
  let current: { message: string; located: boolean } | null = null;
  for (const raw of output.split("\n")) {
    const line = raw.trimEnd();
    if (NOISE.test(line)) continue;
    const start = START.exec(line);
    if (start) {
      current = {
        message: start[1] ? `${start[1]} [ERROR]: ${start[2]}` : start[2],
        located: false,
      };
      errors.push({ cell: null, line: 0, column: 0, message: current.message });
      continue;
    }
    const at = AT.exec(line);
    if (!at || !current || current.located) continue;
    current.located = true;
    const error = errors[errors.length - 1];
    const path = fileURLToPath(at[1]);
    const fileLine = Number(at[2]);
    error.column = Number(at[3]);
    const cell = path === checkedFile
      ? layout.cells.find((c) => fileLine >= c.start && fileLine < c.start + c.lines)
      : undefined;
    if (cell) {
      error.cell = cell.cell;
      error.line = fileLine - cell.start + 1;
    } else {
      error.line = fileLine;
      error.file = relative(dirname(checkedFile), path);
    }
  }
  return errors;
}

/** Short text for a table cell: `cell 3:2: TS2322 [ERROR]: …` or `lib/x.ts:4: …`. */
export function describeCheckError(error: CheckError): string {
  const where = error.cell !== null
    ? `cell ${error.cell}:${error.line}`
    : error.file
    ? `${error.file}:${error.line}`
    : "deno check";
  return `${where}: ${error.message}`;
}

/**
 * Runs `deno check` on the notebook's code cells and maps the errors back to cells.
 *
 * @example
 * ```ts ignore
 * import { checkNotebook } from "./_notebook_check.ts";
 * const result = await checkNotebook("notebooks/2-setup.ipynb");
 * for (const e of result.errors) console.log(e.cell, e.message);
 * ```
 */
export async function checkNotebook(path: string): Promise<NotebookCheck> {
  const notebook = JSON.parse(await Deno.readTextFile(path)) as NotebookJson;
  const layout = joinCodeCells(notebook);
  const dir = dirname(await Deno.realPath(path));
  const stem = basename(path).replace(/\.ipynb$/, "");
  const temp = join(dir, `.nbcheck-${stem}-${crypto.randomUUID().slice(0, 8)}.ts`);
  await Deno.writeTextFile(temp, layout.source);
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["check", "--quiet", temp],
      cwd: dir,
      env: { NO_COLOR: "1", RUST_BACKTRACE: "0" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const decoder = new TextDecoder();
    const output = decoder.decode(out.stdout) + decoder.decode(out.stderr);
    const errors = out.success ? [] : mapCheckOutput(output, temp, layout);
    if (!out.success && errors.length === 0) {
      errors.push({
        cell: null,
        line: 0,
        column: 0,
        message: output.trim() || "deno check failed",
      });
    }
    return { ok: out.success, errors, output };
  } finally {
    await Deno.remove(temp).catch(() => {});
  }
}
