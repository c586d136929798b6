/**
 * Testing layer 4: every workshop notebook executed top to bottom by a real Jupyter client
 * with Deno's kernel (`deno task notebooks`); any cell error or `deno check` error fails.
 * With no notebooks yet it still proves the Jupyter side works: Python with jupyter_client,
 * and the repo's kernelspec found through `JUPYTER_PATH`.
 */
import assert from "node:assert/strict";
import { listNotebooks } from "../tools/_notebook_select.ts";
import { jupyter, jupyterTest, REPO, runNotebooks } from "./_jupyter_support.ts";

jupyterTest("the repo kernelspec is found through JUPYTER_PATH", async () => {
  assert.ok(jupyter.ok);
  const script = "from jupyter_client.kernelspec import KernelSpecManager as K\n" +
    "s = K().get_kernel_spec('contoso-deno')\nprint(s.argv[0], s.language, s.interrupt_mode)";
  const out = await new Deno.Command(jupyter.python, {
    args: ["-c", script],
    env: { JUPYTER_PATH: `${REPO}notebooks` },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  assert.ok(out.success, decoder.decode(out.stderr));
  assert.equal(decoder.decode(out.stdout).trim(), "deno typescript message");
});

jupyterTest("every notebook runs without errors", async () => {
  const notebooks = await listNotebooks(`${REPO}notebooks`);
  const { code, output, summary } = await runNotebooks(["--jobs", "2"]);
  assert.equal(summary.runs.length, notebooks.length);
  assert.equal(code, 0, output);
  for (const run of summary.runs) {
    assert.equal(run.status, "ok", `${run.name}: ${run.first_error}\n${output}`);
    assert.equal(run.executed, run.cells);
  }
});
