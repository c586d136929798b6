/**
 * The workshop notebooks as committed: clean (no outputs, no execution counts, so diffs show
 * only what an author changed and learners start from a blank run), tagged for the repo's
 * Deno kernel with TypeScript `language_info` (which `nbconvert --to script` needs), and
 * starting with one cell that imports `../lib/mod.ts` and nothing deeper.
 */
import assert from "node:assert/strict";
import { listNotebooks } from "../tools/_notebook_select.ts";
import { readNotebook, REPO } from "./_jupyter_support.ts";

const notebooks = await listNotebooks(`${REPO}notebooks`);
const IMPORT = /^\s*(?:import|export)\s+(?:type\s+)?(?:[\w*\s{},$]*?\s+from\s+)?["']([^"']+)["']/gm;
const DYNAMIC = /\bimport\s*\(\s*["']([^"']+)["']/g;

function source(cell: { source: string | string[] }): string {
  return Array.isArray(cell.source) ? cell.source.join("") : cell.source;
}

function imports(code: string): string[] {
  return [...code.matchAll(IMPORT), ...code.matchAll(DYNAMIC)].map((m) => m[1]);
}

Deno.test("imports() finds static, type and dynamic imports", () => {
  assert.deepEqual(
    imports(
      'import { a, type B } from "../lib/mod.ts";\nimport type { C } from "x";\n' +
        'import "side";\nconst m = await import("../lib/config/mod.ts");',
    ),
    ["../lib/mod.ts", "x", "side", "../lib/config/mod.ts"],
  );
});

Deno.test("committed notebooks are clean and use the contoso-deno kernel", async (t) => {
  assert.ok(notebooks.length > 0, `No notebooks found in ${REPO}notebooks`);
  for (const path of notebooks) {
    const name = path.slice(path.lastIndexOf("/") + 1);
    await t.step(name, async () => {
      const notebook = await readNotebook(path);
      const code = notebook.cells.filter((c) => c.cell_type === "code");
      code.forEach((cell, i) => {
        assert.deepEqual(cell.outputs, [], `${name}: code cell ${i + 1} has outputs`);
        assert.equal(cell.execution_count, null, `${name}: code cell ${i + 1} has a count`);
      });
      const meta = notebook.metadata as {
        kernelspec?: { name?: string };
        language_info?: { name?: string };
      };
      assert.equal(meta.kernelspec?.name, "contoso-deno", `${name}: kernelspec`);
      assert.equal(meta.language_info?.name, "typescript", `${name}: language_info`);
      assert.ok(code.length > 0, `${name}: no code cells`);
      const first = imports(source(code[0]));
      assert.ok(first.length > 0, `${name}: the first code cell imports nothing`);
      assert.deepEqual([...new Set(first)], ["../lib/mod.ts"], `${name}: first cell imports`);
      code.forEach((cell, i) => {
        const deep = imports(source(cell)).filter((s) => /^\.\.\/lib\/(?!mod\.ts$)/.test(s));
        assert.deepEqual(deep, [], `${name}: code cell ${i + 1} imports inside lib/`);
      });
    });
  }
});
