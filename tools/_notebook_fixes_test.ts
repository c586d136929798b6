import assert from "node:assert/strict";
import {
  collectFixes,
  FIX_SOURCES,
  fixesBlock,
  fixSentences,
  INSTRUCTOR_DOC,
  renderFixes,
  tableCells,
} from "./_notebook_fixes.ts";

const REPO = new URL("../", import.meta.url);

Deno.test("collectFixes() matches the table in docs/instructor.md", async () => {
  const block = fixesBlock(await Deno.readTextFile(INSTRUCTOR_DOC));
  assert.ok(block, "docs/instructor.md has no fixes markers");
  assert.deepEqual(
    tableCells(block),
    tableCells(renderFixes(await collectFixes())),
    "The fixes table is stale: run `deno run -A tools/_notebook_fixes.ts --write`",
  );
});

Deno.test("collectFixes() has a scenario for every fix the checks can print", async (t) => {
  const fixes = (await collectFixes()).map((r) => r.fix);
  for (const file of FIX_SOURCES) {
    await t.step(file, async () => {
      const sentences = fixSentences(await Deno.readTextFile(new URL(file, REPO)));
      assert.ok(sentences.length >= 5, `only ${sentences.length} fix sentences in ${file}`);
      const uncovered = sentences.filter((s) => !fixes.some((f) => s.test(f)));
      assert.deepEqual(
        uncovered.map((s) => s.source),
        [],
        `Fixes in ${file} that no scenario of tools/_notebook_fixes.ts prints: add one`,
      );
    });
  }
});

Deno.test("fixSentences() reads literals, not comments, and turns ${…} into wildcards", () => {
  const source = [
    "// Run this comment line is not a fix, though it is long enough.",
    "/* Nor is this block comment, however long it grows. */",
    'const a = "Short one.";',
    "const b = 'Install the tool with the package manager first.';",
    "const c = `Provision ${name} first: \\`deno task provision --env ${name}\\`.`;",
    'const d = "A long sentence without a final period at its end";',
  ].join("\n");
  const found = fixSentences(source);
  assert.equal(found.length, 2);
  assert.ok(found[0].test("Install the tool with the package manager first."));
  assert.ok(found[1].test("Provision dev first: `deno task provision --env dev`."));
  assert.ok(!found[1].test("Provision first: `deno task provision`."));
});

Deno.test("renderFixes() escapes pipes so a cell stays one cell", () => {
  const table = renderFixes([
    { shownBy: "preflight", check: "azd installed", when: "missing", fix: "`curl x | bash`" },
  ]);
  const row = table.split("\n")[3];
  assert.equal(row, "| preflight | azd installed | missing | `curl x \\| bash` |");
  assert.deepEqual(tableCells(table)[1], [
    "preflight",
    "azd installed",
    "missing",
    "`curl x \\| bash`",
  ]);
});

Deno.test("tableCells() reads a table however it is padded", () => {
  const padded = "| a   | b      |\n| --- | ------ |\n| 1   | x \\| y |\n";
  assert.deepEqual(tableCells(padded), [["a", "b"], ["1", "x \\| y"]]);
});
