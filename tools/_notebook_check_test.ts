import assert from "node:assert/strict";
import { join } from "node:path";
import {
  checkNotebook,
  describeCheckError,
  joinCodeCells,
  mapCheckOutput,
} from "./_notebook_check.ts";

const notebook = {
  cells: [
    { cell_type: "code", source: ["const a: number = 1;\n", "a"] },
    { cell_type: "markdown", source: "# not code" },
    { cell_type: "code", source: "const b: string = a;\n[1].map((x) => x);" },
  ],
};

Deno.test("joinCodeCells() separates cells and records where each starts", () => {
  const layout = joinCodeCells(notebook);
  const lines = layout.source.split("\n");
  assert.deepEqual(layout.cells, [
    { cell: 1, start: 2, lines: 2 },
    { cell: 2, start: 6, lines: 2 },
  ]);
  assert.equal(lines[1], "const a: number = 1;");
  assert.equal(lines[3], ";", "a `;` line keeps `a` from continuing into the next cell");
  assert.equal(lines[5], "const b: string = a;");
});

Deno.test("mapCheckOutput() maps deno check errors to cells and other files", () => {
  const layout = joinCodeCells(notebook);
  const output = [
    "TS2322 [ERROR]: Type 'number' is not assignable to type 'string'.",
    "const b: string = a;",
    "      ^",
    "    at file:///nb/.nbcheck-x.ts:6:7",
    "",
    "TS2304 [ERROR]: Cannot find name 'y'.",
    "    at file:///lib/util.ts:4:1",
    "",
    "    'x' is declared here.",
    "        at file:///nb/.nbcheck-x.ts:2:7",
    "",
    "Found 2 errors.",
    "",
    "error: Type checking failed.",
  ].join("\n");
  const errors = mapCheckOutput(output, "/nb/.nbcheck-x.ts", layout);
  assert.deepEqual(errors, [
    {
      cell: 2,
      line: 1,
      column: 7,
      message: "TS2322 [ERROR]: Type 'number' is not assignable to type 'string'.",
    },
    {
      cell: null,
      line: 4,
      column: 1,
      message: "TS2304 [ERROR]: Cannot find name 'y'.",
      file: "../lib/util.ts",
    },
  ]);
  assert.equal(describeCheckError(errors[0]), `cell 2:1: ${errors[0].message}`);
  assert.equal(describeCheckError(errors[1]), `../lib/util.ts:4: ${errors[1].message}`);
});

Deno.test("checkNotebook() reports a syntax error in its cell and removes its temp file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "n.ipynb");
    await Deno.writeTextFile(
      path,
      JSON.stringify({
        cells: [
          { cell_type: "code", source: "const ok = 1;" },
          { cell_type: "code", source: "const x = ok +;" },
        ],
      }),
    );
    const result = await checkNotebook(path);
    assert.equal(result.ok, false);
    assert.equal(result.errors[0].cell, 2);
    assert.match(result.errors[0].message, /SyntaxError/);
    assert.deepEqual(await Array.fromAsync(Deno.readDir(dir), (e) => e.name), ["n.ipynb"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
