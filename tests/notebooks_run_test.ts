/**
 * Testing layer 4: every workshop notebook executed by a real Jupyter client with Deno's
 * kernel (`deno task notebooks --rerun --html DIR`), in one execution per notebook: top to
 * bottom, then every code cell again in order, then the earlier cells after the last one
 * (going back the way a learner does); any cell error or `deno check` error fails, and so does
 * a re-run cell that shows something else than the first time (numbers and padding aside). The same
 * run's HTML exports (Debian's nbconvert) are then opened in Chromium: every chart, timeline
 * and diagram must draw visible marks, every prompt view keep its line breaks, and every view
 * the notebook sent must be in its export. It also proves the Jupyter side works: Python with
 * jupyter_client, and the repo's kernelspec found through `JUPYTER_PATH`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { listNotebooks } from "../tools/_notebook_select.ts";
import { jupyter, jupyterTest, readNotebook, REPO, runNotebooks } from "./_jupyter_support.ts";
import { ignoreWithoutChromium, launchChromium } from "./_chromium.ts";
import { checkExport, sentViews } from "./_notebook_exports.ts";

jupyterTest("the repo kernelspec is found through JUPYTER_PATH", async () => {
  // jupyterTest runs this body only where Jupyter was found (on CI it fails before, saying so).
  const { python } = jupyter as Extract<typeof jupyter, { ok: true }>;
  const script = "from jupyter_client.kernelspec import KernelSpecManager as K\n" +
    "s = K().get_kernel_spec('contoso-deno')\nprint(s.argv[0], s.language, s.interrupt_mode)";
  const out = await new Deno.Command(python, {
    args: ["-c", script],
    env: { JUPYTER_PATH: `${REPO}notebooks` },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  assert.ok(out.success, decoder.decode(out.stderr));
  assert.equal(decoder.decode(out.stdout).trim(), "deno typescript message");
});

jupyterTest("every notebook runs, re-runs after its last cell, and exports", async (t) => {
  const notebooks = await listNotebooks(`${REPO}notebooks`);
  assert.ok(notebooks.length > 0, `No notebooks found in ${REPO}notebooks`);
  const dir = await Deno.makeTempDir({ prefix: "notebooks-run-" });
  try {
    const html = join(dir, "html");
    const { code, output, summary } = await runNotebooks([
      ...["--jobs", "2", "--rerun", "--html", html, "--executed-dir", join(dir, "executed")],
    ]);
    assert.equal(summary.runs.length, notebooks.length);
    for (const run of summary.runs) {
      console.log(
        `${run.name}: ${run.seconds.toFixed(1)} s, ${run.executed} cells then ${
          run.rerun?.executed ?? 0
        } re-run`,
      );
    }
    await t.step("top to bottom, every cell again, then back from the last", () => {
      for (const run of summary.runs) {
        assert.equal(run.status, "ok", `${run.name}: ${run.first_error}\n${output}`);
        assert.equal(run.executed, run.cells);
        const passes = run.rerun?.passes ?? [];
        assert.deepEqual(passes.map((p) => p.pass), [2, 3]);
        assert.deepEqual(passes[0].cells, Array.from({ length: run.cells }, (_, i) => i + 1));
        assert.equal(passes[1].cells[0], run.cells - 1, "pass 3 starts right after the last");
        assert.equal(run.rerun?.executed, passes[0].cells.length + passes[1].cells.length);
        // Offline everything is deterministic: going back must show what the first run showed.
        // The message carries the change itself: a CI log's tail must say which cell moved.
        const changed = run.rerun?.changed ?? [];
        assert.equal(
          changed.length,
          0,
          `${run.name}: re-run outputs changed:\n${JSON.stringify(changed, null, 1)}`,
        );
      }
      assert.equal(code, 0, output);
    });
    await t.step({
      name: "the exports in Chromium: charts drawn, prompts keep their lines, tables read left",
      ignore: ignoreWithoutChromium(),
      async fn() {
        const browser = await launchChromium();
        try {
          const problems: string[] = [];
          let charts = 0;
          let prompts = 0;
          let tables = 0;
          for (const run of summary.runs) {
            assert.ok(run.html_path, `${run.name}: no HTML export`);
            const sent = sentViews(await readNotebook(run.executed_path!));
            const report = await checkExport(browser, run.html_path, sent);
            problems.push(...report.problems.map((p) => `${run.name}: ${p}`));
            charts += report.views.length;
            prompts += report.messages.length;
            tables += report.tables.length;
          }
          console.log(
            `exports: ${charts} charts/timelines/diagrams, ${prompts} messages, ${tables} tables`,
          );
          assert.deepEqual(problems, []);
          assert.ok(charts >= 4, `only ${charts} charts in the exports`);
        } finally {
          await browser.close();
        }
      },
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
