/**
 * Turns the names given to `deno task notebooks` into notebook paths: a path to an `.ipynb`
 * file is taken as is; otherwise a name matches the notebooks in the folder by stem, exactly
 * (`2-setup`) or else by prefix (`2`, `2-se`). No names means every `*.ipynb` in the folder,
 * in name order (the workshop's stage order).
 *
 * @module
 */
import { join } from "node:path";

/** Lists the folder's `*.ipynb` files in name order. */
export async function listNotebooks(dir: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isFile && entry.name.endsWith(".ipynb")) names.push(entry.name);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const stem = (name: string) => name.slice(0, -".ipynb".length);
  return names.sort((a, b) => stem(a) < stem(b) ? -1 : stem(a) > stem(b) ? 1 : 0)
    .map((name) => join(dir, name));
}

/**
 * Resolves names to notebook paths; throws a `TypeError` naming what did not match.
 *
 * @example
 * ```ts ignore
 * import { selectNotebooks } from "./_notebook_select.ts";
 * await selectNotebooks("notebooks", ["2"]); // ["notebooks/2-setup.ipynb"]
 * ```
 */
export async function selectNotebooks(dir: string, names: string[]): Promise<string[]> {
  const all = await listNotebooks(dir);
  if (names.length === 0) return all;
  const stem = (path: string) => path.slice(path.lastIndexOf("/") + 1).replace(/\.ipynb$/, "");
  const chosen: string[] = [];
  for (const name of names) {
    if (name.endsWith(".ipynb")) {
      chosen.push(name);
      continue;
    }
    const wanted = name.replace(/^.*\//, "");
    const exact = all.filter((p) => stem(p) === wanted);
    const matches = exact.length ? exact : all.filter((p) => stem(p).startsWith(wanted));
    if (matches.length === 0) {
      const known = all.map(stem).join(", ") || "none";
      throw new TypeError(`Cannot find notebook "${name}": known notebooks are ${known}`);
    }
    chosen.push(...matches);
  }
  return [...new Set(chosen)];
}
