/**
 * Finds the Python that can run the notebook harness: one that imports `jupyter_client` and
 * `nbformat`. A pyenv or virtualenv `python3` first on PATH often lacks them while Debian's
 * `/usr/bin/python3` has them, so each candidate is probed in turn. `CONTOSO_PYTHON` names
 * the interpreter explicitly. Used by `deno task notebooks` and by the notebook tests, which
 * skip (or, on CI, fail) with {@linkcode JUPYTER_INSTALL_HINT} when nothing fits.
 *
 * @module
 */

/** How to get what the notebook harness needs on Debian or Ubuntu. */
export const JUPYTER_INSTALL_HINT =
  "apt-get install -y jupyter-nbconvert python3-nbclient && deno task jupyter:install";

/** The Python modules the harness imports. */
export const REQUIRED_PYTHON_MODULES = ["jupyter_client", "nbformat"] as const;

/** What the HTML export (`deno task notebooks --html DIR`) needs on top. */
export const EXPORT_PYTHON_MODULES = [...REQUIRED_PYTHON_MODULES, "nbconvert"] as const;

/** The outcome of {@linkcode findJupyterPython}. */
export type JupyterPython =
  | { ok: true; python: string }
  | { ok: false; reason: string };

async function imports(python: string, modules: readonly string[]): Promise<string | null> {
  try {
    const out = await new Deno.Command(python, {
      args: ["-c", `import ${modules.join(", ")}`],
      stdout: "null",
      stderr: "piped",
    }).output();
    if (out.success) return null;
    const lines = new TextDecoder().decode(out.stderr).trim().split("\n");
    return lines.at(-1) ?? "import failed";
  } catch (error) {
    return error instanceof Deno.errors.NotFound ? "not installed" : String(error);
  }
}

/**
 * Returns the first Python (`$CONTOSO_PYTHON`, `python3`, `/usr/bin/python3`) that imports
 * the harness's modules (or `options.modules`, e.g. {@linkcode EXPORT_PYTHON_MODULES}), or
 * why none does.
 *
 * @example
 * ```ts
 * import { findJupyterPython } from "./_jupyter_env.ts";
 * const found = await findJupyterPython();
 * console.log(found.ok ? found.python : found.reason);
 * ```
 */
export async function findJupyterPython(
  env: { get(name: string): string | undefined } = Deno.env,
  options: { modules?: readonly string[] } = {},
): Promise<JupyterPython> {
  const modules = options.modules ?? REQUIRED_PYTHON_MODULES;
  const explicit = env.get("CONTOSO_PYTHON");
  const candidates = explicit ? [explicit] : ["python3", "/usr/bin/python3"];
  const reasons: string[] = [];
  for (const python of candidates) {
    const problem = await imports(python, modules);
    if (problem === null) return { ok: true, python };
    reasons.push(`${python}: ${problem}`);
  }
  return {
    ok: false,
    reason: `No Python with ${modules.join(" and ")} (${reasons.join("; ")})`,
  };
}
