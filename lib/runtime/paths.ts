/**
 * Locating the project's folders (prompts, data) wherever the process runs from: the CLI runs
 * at the repository root, notebook kernels run in `notebooks/`.
 *
 * @module
 */
import { isAbsolute, join, resolve } from "node:path";
import { findProjectRoot } from "../config/dotenv.ts";

/** The repository root (the folder with deno.json), found upward from the working directory. */
export function projectRoot(): string {
  return findProjectRoot(Deno.cwd());
}

/** A path relative to the working directory when it exists there, else to the project root. */
export function resolveProjectPath(path: string): string {
  if (isAbsolute(path)) return path;
  try {
    Deno.statSync(path);
    return resolve(path);
  } catch {
    return join(projectRoot(), path);
  }
}
