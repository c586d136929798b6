import assert from "node:assert/strict";
import { onPath, requiredTool } from "./_required_tool.ts";

Deno.test("requiredTool() ignores locally and fails on CI when the program is missing", async (t) => {
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (message: string) => warnings.push(message);
  const qpdf = (found: boolean, inCI: boolean) =>
    requiredTool({ what: "qpdf", found, hint: "apt-get install -y qpdf", inCI });
  try {
    await t.step("missing, not CI: ignored, one hint however often asked", () => {
      const gate = qpdf(false, false);
      assert.equal(gate.ignore, true);
      assert.equal(gate.ignore, true);
      assert.deepEqual(warnings, [
        "tests needing qpdf ignored: it is not installed (apt-get install -y qpdf)",
      ]);
      assert.throws(() => gate.require(), {
        message: "Cannot run this test: qpdf is not installed (apt-get install -y qpdf)",
      });
    });
    warnings.length = 0;
    await t.step("missing on CI: registered, and the body fails naming the package", () => {
      const gate = qpdf(false, true);
      assert.equal(gate.ignore, false);
      assert.throws(() => gate.require(), {
        message: "Cannot run this test on CI: qpdf is not installed (apt-get install -y qpdf)",
      });
      assert.deepEqual(warnings, []);
    });
    await t.step("installed: runs everywhere, silently", () => {
      for (const inCI of [false, true]) {
        const gate = qpdf(true, inCI);
        assert.equal(gate.ignore, false);
        gate.require();
      }
      assert.deepEqual(warnings, []);
    });
  } finally {
    console.warn = warn;
  }
});

Deno.test("onPath() finds an executable in PATH's directories only", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/tool`, "#!/bin/sh\n", { mode: 0o755 });
    await Deno.writeTextFile(`${dir}/notes`, "text", { mode: 0o644 });
    assert.equal(onPath("tool", `/nonexistent:${dir}`), true);
    assert.equal(onPath("notes", dir), false, "not executable");
    assert.equal(onPath("tool", "/nonexistent::"), false);
    assert.equal(onPath("tool", ""), false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
