/**
 * `deno task jupyter:install`: installs the repo's kernelspec (`notebooks/kernels/contoso-deno`)
 * into the user's Jupyter data folder so JupyterLab and VS Code list "Deno (Contoso Chat)".
 * The repo copy starts `deno` from PATH; the installed copy names the absolute path of the Deno
 * running this script, as `deno jupyter --install` does, so the kernel starts even where PATH
 * differs (a desktop launcher, VS Code). Re-run it after moving or upgrading Deno.
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const SPEC_DIR = fileURLToPath(new URL("../notebooks/kernels/contoso-deno/", import.meta.url));

/** The kernelspec fields this project uses. */
export interface KernelSpec {
  argv: string[];
  display_name: string;
  language: string;
  interrupt_mode?: string;
  env?: Record<string, string>;
  metadata?: Record<string, unknown>;
}

/**
 * Jupyter's per-user data folder: `$JUPYTER_DATA_DIR`, else the platform default
 * (`~/.local/share/jupyter` or `$XDG_DATA_HOME/jupyter` on Linux).
 */
export function jupyterDataDir(
  env: { get(name: string): string | undefined } = Deno.env,
  os: typeof Deno.build.os = Deno.build.os,
): string {
  const explicit = env.get("JUPYTER_DATA_DIR");
  if (explicit) return explicit;
  const home = env.get("HOME") ?? env.get("USERPROFILE") ?? ".";
  if (os === "darwin") return join(home, "Library", "Jupyter");
  if (os === "windows") return join(env.get("APPDATA") ?? home, "jupyter");
  return join(env.get("XDG_DATA_HOME") ?? join(home, ".local", "share"), "jupyter");
}

/**
 * Writes `<dataDir>/kernels/contoso-deno/kernel.json` from the repo's kernelspec with
 * `denoPath` as the program; returns the file written and the spec.
 *
 * @example
 * ```ts ignore
 * import { installKernelspec } from "./jupyter_install.ts";
 * const { file } = await installKernelspec({ dataDir: "/tmp/jupyter" });
 * ```
 */
export async function installKernelspec(
  options: { dataDir?: string; denoPath?: string } = {},
): Promise<{ file: string; spec: KernelSpec }> {
  const spec = JSON.parse(await Deno.readTextFile(join(SPEC_DIR, "kernel.json"))) as KernelSpec;
  spec.argv = [options.denoPath ?? Deno.execPath(), ...spec.argv.slice(1)];
  const dir = join(options.dataDir ?? jupyterDataDir(), "kernels", "contoso-deno");
  await Deno.mkdir(dir, { recursive: true });
  const file = join(dir, "kernel.json");
  await Deno.writeTextFile(file, JSON.stringify(spec, null, 2) + "\n");
  return { file, spec };
}

if (import.meta.main) {
  if (Deno.args.includes("--help") || Deno.args.includes("-h")) {
    console.log(
      "Usage: deno task jupyter:install\n\nInstalls the kernelspec contoso-deno into " +
        `${jupyterDataDir()}/kernels (set JUPYTER_DATA_DIR to choose another folder).`,
    );
    Deno.exit(0);
  }
  const { file, spec } = await installKernelspec();
  console.log(`Installed kernelspec "contoso-deno" (${spec.display_name})`);
  console.log(`  file:    ${file}`);
  console.log(`  command: ${spec.argv.join(" ")}`);
  console.log("Pick the kernel in Jupyter or VS Code; re-run this after moving or upgrading Deno.");
}
