/**
 * Running a Python reference implementation (Debian's `python3-jinja2`, `python3-nltk`) for a
 * differential test: one process for the whole corpus, JSON in on stdin and out on stdout, and
 * one rule for when it is missing: in CI (`CI=true`) the test fails, elsewhere it is ignored with
 * a message naming the package to install.
 *
 * @module
 */

/** Debian's interpreter (the one `apt-get install python3-…` serves), not a pyenv shim. */
export const PYTHON = "/usr/bin/python3";

/** A reference's output, or why it could not run. */
export type Reference<T> = T | { unavailable: string };

/** What a reference needs, for messages. */
export interface ReferenceNeeds {
  /** The Python module it imports ("jinja2"). */
  module: string;
  /** The Debian package that provides it ("python3-jinja2"). */
  debianPackage: string;
}

/** Run `script` once with `input` as JSON on stdin; its stdout is parsed as JSON. */
export async function runPythonReference<T>(
  script: string,
  input: unknown,
  needs: ReferenceNeeds,
): Promise<Reference<T>> {
  let child;
  try {
    child = new Deno.Command(PYTHON, {
      args: [script],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  } catch (error) {
    return { unavailable: `${PYTHON} cannot be run (${(error as Error).message})` };
  }
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(JSON.stringify(input)));
  await writer.close();
  const out = await child.output();
  if (!out.success) {
    const stderr = new TextDecoder().decode(out.stderr);
    return {
      unavailable: new RegExp(`No module named .?${needs.module}`).test(stderr)
        ? `${needs.module} is not installed for ${PYTHON}`
        : `the ${needs.module} reference failed: ${stderr.trim().split("\n").at(-1)}`,
    };
  }
  return JSON.parse(new TextDecoder().decode(out.stdout)) as T;
}

/**
 * The `ignore` flag of a differential test and the check its body starts with: ignored (with a
 * warning naming the package) when the reference is unavailable outside CI; in CI the body
 * throws instead, so a missing reference never passes silently.
 */
export function referenceGate<T>(
  reference: Reference<T>,
  what: string,
  needs: ReferenceNeeds,
  inCI: boolean = Deno.env.get("CI") === "true",
): { ignore: boolean; require(): T } {
  const unavailable = typeof reference === "object" && reference !== null &&
      "unavailable" in reference
    ? (reference as { unavailable: string }).unavailable
    : undefined;
  const hint = `apt-get install -y ${needs.debianPackage}`;
  if (unavailable && !inCI) {
    console.warn(`${what} ignored: ${unavailable}; install it with \`${hint}\``);
  }
  return {
    ignore: unavailable !== undefined && !inCI,
    require() {
      if (unavailable) throw new Error(`Cannot run the ${what}: ${unavailable} (${hint})`);
      return reference as T;
    },
  };
}
