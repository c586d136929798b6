import assert from "node:assert/strict";
import { installKernelspec, jupyterDataDir } from "./jupyter_install.ts";

Deno.test("installKernelspec() writes the repo kernelspec with an absolute deno path", async () => {
  const dataDir = await Deno.makeTempDir();
  try {
    const { file, spec } = await installKernelspec({ dataDir });
    assert.deepEqual(file, `${dataDir}/kernels/contoso-deno/kernel.json`);
    const written = JSON.parse(await Deno.readTextFile(file));
    assert.deepEqual(written, spec);
    assert.deepEqual(spec.argv[0], Deno.execPath());
    assert.deepEqual(spec.argv.slice(1, 5), ["jupyter", "--kernel", "--conn", "{connection_file}"]);
    assert.deepEqual(spec.interrupt_mode, "message");
    assert.deepEqual(spec.env, { NO_COLOR: "1" });
    assert.deepEqual(spec.language, "typescript");
    assert.deepEqual(spec.display_name, "Deno (Contoso Chat)");
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("jupyterDataDir() follows JUPYTER_DATA_DIR, then the platform default", async (t) => {
  const env = (vars: Record<string, string>) => ({ get: (name: string) => vars[name] });
  await t.step("explicit", () => {
    assert.deepEqual(jupyterDataDir(env({ JUPYTER_DATA_DIR: "/x", HOME: "/h" }), "linux"), "/x");
  });
  await t.step("linux", () => {
    assert.deepEqual(jupyterDataDir(env({ HOME: "/h" }), "linux"), "/h/.local/share/jupyter");
    assert.deepEqual(
      jupyterDataDir(env({ HOME: "/h", XDG_DATA_HOME: "/d" }), "linux"),
      "/d/jupyter",
    );
  });
  await t.step("darwin", () => {
    assert.match(jupyterDataDir(env({ HOME: "/h" }), "darwin"), /^\/h\/Library\/Jupyter$/);
  });
});
