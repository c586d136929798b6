/**
 * Shared by the notebook tests: finds the Python with Jupyter, registers tests that need it
 * (ignored with an install hint on a developer machine without Jupyter, failing on CI where
 * `CI=true` means the notebook layer must run), and runs `deno task notebooks` with a JSON
 * summary to assert on.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import {
  EXPORT_PYTHON_MODULES,
  findJupyterPython,
  JUPYTER_INSTALL_HINT,
} from "../tools/_jupyter_env.ts";
import type { NotebooksSummary } from "../tools/notebooks.ts";

/** The repository root. */
export const REPO = fileURLToPath(new URL("..", import.meta.url));

/**
 * The Python found for the harness and its HTML export (or why there is none), looked up once per
 * test file. The install hint brings both (Debian's jupyter-nbconvert has nbconvert).
 */
export const jupyter = await findJupyterPython(Deno.env, { modules: EXPORT_PYTHON_MODULES });

const onCi = Deno.env.get("CI") === "true";
let hinted = false;

/**
 * `Deno.test` for a test that needs Jupyter: ignored with a hint when Jupyter is missing,
 * except on CI, where it fails saying what to install.
 */
export function jupyterTest(name: string, fn: (t: Deno.TestContext) => Promise<void>): void {
  if (jupyter.ok) {
    Deno.test({ name, fn });
    return;
  }
  const reason = jupyter.reason;
  if (onCi) {
    Deno.test({
      name,
      fn() {
        throw new Error(`Jupyter is required on CI: ${reason}. Install: ${JUPYTER_INSTALL_HINT}`);
      },
    });
    return;
  }
  if (!hinted) {
    hinted = true;
    console.warn(`Skipping notebook tests: ${reason}.\nInstall: ${JUPYTER_INSTALL_HINT}`);
  }
  Deno.test({ name, ignore: true, fn });
}

/**
 * Runs `tools/notebooks.ts` with `args`; returns its exit code, output and JSON summary.
 * `options.env` adds environment variables, which the kernels inherit (e.g. `CONTOSO_DATA_DIR`).
 */
export async function runNotebooks(
  args: string[],
  options: { env?: Record<string, string> } = {},
): Promise<{
  code: number;
  output: string;
  summary: NotebooksSummary;
}> {
  const json = await Deno.makeTempFile({ suffix: ".json" });
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", `${REPO}tools/notebooks.ts`, "--json", json, ...args],
      cwd: REPO,
      env: options.env,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const decoder = new TextDecoder();
    const output = decoder.decode(out.stdout) + decoder.decode(out.stderr);
    let summary: NotebooksSummary;
    try {
      summary = JSON.parse(await Deno.readTextFile(json));
    } catch {
      throw new Error(`tools/notebooks.ts wrote no summary (exit ${out.code}):\n${output}`);
    }
    return { code: out.code, output, summary };
  } finally {
    await Deno.remove(json).catch(() => {});
  }
}

/** Reads an executed notebook written by the harness. */
export async function readNotebook(path: string) {
  const absolute = path.startsWith("/") ? path : `${REPO}${path}`;
  return JSON.parse(await Deno.readTextFile(absolute)) as {
    cells: {
      cell_type: string;
      source: string | string[];
      execution_count: number | null;
      metadata: Record<string, unknown>;
      outputs?: {
        output_type: string;
        text?: string | string[];
        data?: Record<string, string | string[]>;
        ename?: string;
      }[];
    }[];
    metadata: Record<string, unknown>;
  };
}
