/**
 * The notebook harness (`deno task notebooks`) against fixtures: outputs that Deno's kernel
 * sends after `idle` must still reach their own cell (ten runs of a 30-cell fixture of
 * awaits, log loops, Markdown, multiple displays and a 200 KB output); a syntax error must be
 * reported with the real `deno check` message; a hanging cell must time out, restart the
 * kernel and leave no kernel process behind; the display helpers must render in the kernel.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { jupyterTest, readNotebook, REPO, runNotebooks } from "./_jupyter_support.ts";
import { checkMarkers } from "./_notebook_markers.ts";
import { assertWellFormedXml } from "../lib/display/_xml_testing.ts";

const FIXTURES = `${REPO}tests/testdata/notebooks`;
const RUNS = 10;

type Cell = Awaited<ReturnType<typeof readNotebook>>["cells"][number];

function text(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join("") : value ?? "";
}

function codeCells(notebook: { cells: Cell[] }): Cell[] {
  return notebook.cells.filter((c) => c.cell_type === "code");
}

async function withTempDir(fn: (dir: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "notebook-harness-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Writes a minimal notebook whose code cells are `cells`. */
async function writeNotebook(path: string, cells: string[]) {
  const notebook = {
    cells: cells.map((source, i) => ({
      cell_type: "code",
      id: `c${i}`,
      source,
      metadata: {},
      outputs: [],
      execution_count: null,
    })),
    metadata: {
      kernelspec: { name: "contoso-deno", display_name: "Deno (Contoso Chat)" },
      language_info: { name: "typescript" },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
  await Deno.writeTextFile(path, JSON.stringify(notebook, null, 1));
}

function processGone(pid: number): boolean {
  if (Deno.build.os !== "linux") return true;
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    return stat.split(") ")[1]?.startsWith("Z") ?? true; // a zombie has exited
  } catch {
    return true;
  }
}

jupyterTest(`run_notebooks attaches every output to its own cell (${RUNS} runs)`, async () => {
  await withTempDir(async (dir) => {
    const { code, output, summary } = await runNotebooks([
      ...["--repeat", String(RUNS), "--jobs", "5", "--executed-dir", dir],
      `${FIXTURES}/outputs.ipynb`,
    ]);
    assert.equal(code, 0, output);
    assert.equal(summary.runs.length, RUNS);
    let late = 0;
    for (const run of summary.runs) {
      assert.equal(run.status, "ok", `run ${run.repeat}: ${run.first_error}`);
      assert.equal(run.executed, 30);
      assert.equal(run.stray_messages, 0);
      late += run.late_messages;
      const notebook = await readNotebook(run.executed_path!);
      const report = checkMarkers(notebook);
      assert.ok(report.expected > 150);
      assert.deepEqual(
        { lost: report.lost, misplaced: report.misplaced, duplicated: report.duplicated },
        { lost: [], misplaced: [], duplicated: [] },
        `run ${run.repeat}`,
      );
      assert.deepEqual(
        codeCells(notebook).map((c) => c.execution_count),
        Array.from({ length: 30 }, (_, i) => i + 1),
      );
      assert.ok(run.kernel_pids.every(processGone), "kernel still running after the run");
    }
    console.log(`${RUNS} runs: 0 lost; ${late} outputs arrived after idle and were kept`);
  });
});

jupyterTest("run_notebooks reports a syntax error with the deno check message", async () => {
  await withTempDir(async (dir) => {
    const notebook = join(dir, "broken.ipynb");
    await writeNotebook(notebook, ["const a = 1;", "const b = a +;", '"never runs"']);
    const { code, summary } = await runNotebooks(["--executed-dir", join(dir, "out"), notebook]);
    assert.equal(code, 1);
    const [run] = summary.runs;
    assert.equal(run.status, "error");
    assert.equal(run.executed, 2);
    assert.equal(run.error?.cell, 2);
    assert.equal(run.error?.evalue, "Execution failed", "what the kernel says");
    assert.equal(run.check_errors[0].cell, 2);
    assert.match(run.first_error!, /^cell 2:1: SyntaxError: Expression expected/);
    const cells = codeCells(await readNotebook(run.executed_path!));
    assert.equal(cells[1].outputs?.[0].output_type, "error");
    assert.equal(cells[2].execution_count, null);
    const left = await Array.fromAsync(Deno.readDir(dir), (e) => e.name);
    assert.deepEqual(left.sort(), ["broken.ipynb", "out"], "the deno check temp file is removed");
  });
});

jupyterTest("run_notebooks restarts the kernel when a cell times out", async () => {
  await withTempDir(async (dir) => {
    const notebook = join(dir, "hang.ipynb");
    await writeNotebook(notebook, [
      'console.log("first");',
      'console.log("waiting");\nawait new Promise(() => {});',
      '"never runs";',
    ]);
    const started = performance.now();
    const { code, summary } = await runNotebooks([
      ...["--timeout", "2", "--executed-dir", join(dir, "out")],
      notebook,
    ]);
    assert.equal(code, 1);
    const [run] = summary.runs;
    assert.equal(run.status, "timeout");
    assert.equal(run.restarted, true);
    assert.equal(run.executed, 2);
    assert.equal(run.error?.cell, 2);
    assert.equal(run.error?.ename, "CellTimeoutError");
    assert.equal(
      run.first_error,
      "cell 2: CellTimeoutError: Cell did not finish within 2 s; kernel restarted",
    );
    assert.equal(run.kernel_pids.length, 2, "the kernel was started again");
    assert.ok(run.kernel_pids.every(processGone), "kernel still running after the run");
    const cells = codeCells(await readNotebook(run.executed_path!));
    assert.equal(text(cells[1].outputs?.[0].text), "waiting\n");
    assert.equal(cells[1].outputs?.[1].ename, "CellTimeoutError");
    assert.equal(cells[2].execution_count, null);
    assert.ok(performance.now() - started < 30_000);
  });
});

jupyterTest("display helpers render as MIME bundles in Deno's kernel", async () => {
  await withTempDir(async (dir) => {
    const { code, output, summary } = await runNotebooks([
      ...["--executed-dir", dir],
      `${FIXTURES}/display.ipynb`,
    ]);
    assert.equal(code, 0, output);
    const cells = codeCells(await readNotebook(summary.runs[0].executed_path!));
    const only = (i: number) => {
      const outputs = cells[i - 1].outputs ?? [];
      assert.equal(outputs.length, 1, `cell ${i}: ${JSON.stringify(outputs).slice(0, 300)}`);
      return outputs[0].data ?? {};
    };
    const mimes = (i: number) => Object.keys(only(i)).sort();
    assert.equal(text(only(2)["text/plain"]), "true", "kernelDisplay() sees the kernel");
    assert.deepEqual(mimes(3), ["text/html", "text/plain"]);
    assert.match(text(only(3)["text/html"]), /TrailMaster &lt;X4&gt;/);
    assert.deepEqual(mimes(4), ["text/markdown", "text/plain"]);
    assert.equal(text(only(5)["text/html"]), "<b>&lt;escaped&gt;</b>");
    for (const i of [6, 7]) {
      assert.deepEqual(mimes(i), ["image/svg+xml", "text/html", "text/plain"]);
      assertWellFormedXml(text(only(i)["image/svg+xml"]));
      assert.match(text(only(i)["text/html"]), /^<figure data-display="(chart|timeline)"[^]*<svg /);
    }
    assert.equal(cells[7].outputs?.[0].output_type, "display_data");
    assert.equal(
      text(only(8)["text/plain"]),
      `Seeding [${"#".repeat(30)}] 3/3 (100%) ok`,
      "progress updated its one output in place",
    );
    assert.equal(cells[8].outputs?.length, 2);
  });
});
