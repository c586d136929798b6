import assert from "node:assert/strict";
import { join } from "node:path";
import { listNotebooks, selectNotebooks } from "./_notebook_select.ts";

async function withNotebooks(fn: (dir: string) => Promise<void>) {
  const dir = await Deno.makeTempDir();
  try {
    for (const name of ["2-setup", "1-provision", "3-ideate", "3-ideate-extra"]) {
      await Deno.writeTextFile(join(dir, `${name}.ipynb`), "{}");
    }
    await Deno.writeTextFile(join(dir, "notes.md"), "");
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("selectNotebooks() matches by stem, then by prefix", async () => {
  await withNotebooks(async (dir) => {
    const p = (name: string) => join(dir, `${name}.ipynb`);
    assert.deepEqual(await listNotebooks(dir), [
      p("1-provision"),
      p("2-setup"),
      p("3-ideate"),
      p("3-ideate-extra"),
    ]);
    assert.deepEqual(await selectNotebooks(dir, []), await listNotebooks(dir));
    assert.deepEqual(await selectNotebooks(dir, ["2"]), [p("2-setup")]);
    assert.deepEqual(await selectNotebooks(dir, ["3-ideate"]), [p("3-ideate")]);
    assert.deepEqual(await selectNotebooks(dir, ["3"]), [p("3-ideate"), p("3-ideate-extra")]);
    assert.deepEqual(await selectNotebooks(dir, ["x/y.ipynb", "1"]), [
      "x/y.ipynb",
      p("1-provision"),
    ]);
    await assert.rejects(() => selectNotebooks(dir, ["9"]), TypeError);
  });
});

Deno.test("listNotebooks() is empty for a missing folder", async () => {
  assert.deepEqual(await listNotebooks("/nonexistent/notebooks"), []);
});
