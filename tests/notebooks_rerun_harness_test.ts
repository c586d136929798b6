/**
 * `deno task notebooks --rerun` and `--html DIR` against small notebooks written here: the
 * re-run passes run in the same kernel in the documented order (every cell, then back from the
 * cell before the last), a cell that only works after its setup cell fails on the way back and
 * is reported with its pass, the executed copy and the HTML export keep the first pass's
 * outputs while `NAME.rerun.ipynb` holds the re-run's, and `--rerun-cells` picks the cells.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { jupyterTest, readNotebook, runNotebooks } from "./_jupyter_support.ts";

/** Cells that log their number; the last one "closes" what the first "opened". */
function cells(secondCell: string): string[] {
  return [
    "const state = globalThis as unknown as { log?: number[]; open?: boolean };\n" +
    'state.log ??= [];\nstate.log.push(1);\nstate.open = true;\n"opened"',
    `state.log!.push(2);\n${secondCell}\n"used the service"`,
    "state.log!.push(3);\nDeno.jupyter.md`**three**`",
    "state.log!.push(4);\nstate.open = false;\nconsole.log(`closed after ${state.log!.length} steps`);",
  ];
}

async function writeNotebook(path: string, sources: string[]) {
  await Deno.writeTextFile(
    path,
    JSON.stringify({
      cells: [
        { cell_type: "markdown", id: "m0", metadata: {}, source: "# Going back" },
        ...sources.map((source, i) => ({
          cell_type: "code",
          id: `c${i + 1}`,
          source,
          metadata: {},
          outputs: [],
          execution_count: null,
        })),
      ],
      metadata: {
        kernelspec: { name: "contoso-deno", display_name: "Deno (Contoso Chat)" },
        language_info: { name: "typescript" },
      },
      nbformat: 4,
      nbformat_minor: 5,
    }),
  );
}

type Executed = Awaited<ReturnType<typeof readNotebook>>;

function outputText(notebook: Executed, cell: number): string {
  const code = notebook.cells.filter((c) => c.cell_type === "code")[cell - 1];
  return (code.outputs ?? []).map((o) => {
    const value = o.text ?? o.data?.["text/plain"] ?? (o.ename ? `${o.ename}` : "");
    return Array.isArray(value) ? value.join("") : value;
  }).join("");
}

jupyterTest("notebooks --rerun goes back over the cells in one kernel", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "notebooks-rerun-" });
  try {
    const strict = join(dir, "strict.ipynb");
    const lazy = join(dir, "lazy.ipynb");
    const quiet = join(dir, "quiet.ipynb");
    await writeNotebook(strict, cells('if (!state.open) throw new Error("Closed: run cell 1");'));
    await writeNotebook(lazy, cells("state.open = true; // reopens on its own"));
    // Says it is broken instead of throwing, and counts its runs, which must not count as change.
    await writeNotebook(
      quiet,
      cells(
        'console.log(state.open ? "service ready" : "service closed: restart the kernel");\n' +
          "console.log(`run ${state.log!.length} at ${performance.now().toFixed(1)} ms`);",
      ),
    );
    const html = join(dir, "html");
    const { summary, output } = await runNotebooks([
      ...["--rerun", "--html", html, "--no-check", "--executed-dir", join(dir, "out")],
      strict,
      lazy,
      quiet,
    ]);
    const [failed, passed, quietRun] = summary.runs;

    await t.step("a cell that needs its setup cell fails on the way back", async () => {
      assert.equal(failed.status, "rerun-error", output);
      assert.equal(failed.executed, 4, "the first pass ran through");
      assert.deepEqual(failed.error && [failed.error.cell, failed.error.pass], [2, 3]);
      assert.equal(failed.first_error, "pass 3, cell 2: Error: Closed: run cell 1");
      assert.deepEqual(failed.rerun?.passes.map((p) => [p.pass, p.cells, p.executed]), [
        [2, [1, 2, 3, 4], 4],
        [3, [3, 2], 2],
      ]);
      const rerun = await readNotebook(failed.rerun!.executed_path!);
      assert.match(outputText(rerun, 2), /Error/);
      assert.equal(outputText(rerun, 4), "closed after 8 steps\n");
    });

    await t.step("cells that reopen what the last cell closed pass", async () => {
      assert.equal(passed.status, "ok", `${passed.first_error}\n${output}`);
      assert.equal(passed.rerun?.executed, 6);
      const first = await readNotebook(passed.executed_path!);
      assert.equal(outputText(first, 4), "closed after 4 steps\n", "first-pass outputs kept");
      const rerun = await readNotebook(passed.rerun!.executed_path!);
      assert.equal(outputText(rerun, 2), '"used the service"', "cell 2 ran last, in pass 3");
      const passes = rerun.cells.filter((c) => c.cell_type === "code")
        .map((c) => c.metadata.rerun_pass);
      assert.deepEqual(passes, [2, 3, 3, 2]);
    });

    await t.step("a cell that shows something else on the way back is listed", () => {
      assert.equal(quietRun.status, "ok");
      assert.deepEqual(passed.rerun?.changed, []);
      assert.deepEqual(quietRun.rerun?.changed, [{
        cell: 2,
        pass: 3,
        first: "service ready",
        rerun: "service closed: restart the kernel",
      }]);
    });

    await t.step("--html exports each notebook with the first pass's outputs", async () => {
      assert.deepEqual(summary.runs.map((r) => r.html_path), [
        join(html, "strict.html"),
        join(html, "lazy.html"),
        join(html, "quiet.html"),
      ]);
      const page = await Deno.readTextFile(join(html, "lazy.html"));
      assert.match(page, /<title>lazy<\/title>/);
      assert.match(page, /Going back/);
      assert.match(page, /<strong>three<\/strong>/);
      assert.match(page, /closed after 4 steps\n/);
      assert.doesNotMatch(page, /closed after 8 steps/);
    });

    await t.step("--rerun-cells picks the cells of pass 3", async () => {
      const { summary } = await runNotebooks([
        ...["--rerun", "--rerun-cells", "4,2,9", "--no-check"],
        ...["--executed-dir", join(dir, "picked")],
        lazy,
      ]);
      assert.equal(summary.runs[0].status, "ok");
      assert.deepEqual(summary.runs[0].rerun?.passes[1].cells, [4, 2], "9 is past the end");
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("notebooks --rerun-cells refuses a malformed list", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("../tools/notebooks.ts", import.meta.url).pathname,
      "--rerun",
      "--rerun-cells",
      "2-4",
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 2);
  assert.match(new TextDecoder().decode(out.stderr), /^Invalid --rerun-cells: "2-4"/);
});
