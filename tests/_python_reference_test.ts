import { equal, throws } from "node:assert/strict";
import { PYTHON, referenceGate, runPythonReference } from "./_python_reference.ts";

const NEEDS = { module: "no_such_module_here", debianPackage: "python3-nothing" };

Deno.test("referenceGate() ignores a missing reference locally and fails in CI", async (t) => {
  const missing = { unavailable: "no_such_module_here is not installed" };
  await t.step("locally: ignored", () => {
    equal(referenceGate(missing, "probe test", NEEDS, false).ignore, true);
  });
  await t.step("in CI: not ignored, and the body throws naming the package", () => {
    const gate = referenceGate(missing, "probe test", NEEDS, true);
    equal(gate.ignore, false);
    throws(() => gate.require(), /python3-nothing/);
  });
  await t.step("available: the output is returned", () => {
    const gate = referenceGate({ version: "1" }, "probe test", NEEDS, true);
    equal(gate.ignore, false);
    equal(gate.require().version, "1");
  });
});

Deno.test("runPythonReference() names a module Python cannot import", async () => {
  const script = await Deno.makeTempFile({ suffix: ".py" });
  try {
    await Deno.writeTextFile(script, "import no_such_module_here\n");
    const result = await runPythonReference(script, {}, NEEDS);
    const unavailable = (result as { unavailable?: string }).unavailable ?? "";
    equal(
      unavailable.includes(`no_such_module_here is not installed for ${PYTHON}`) ||
        unavailable.includes("cannot be run"),
      true,
      unavailable,
    );
  } finally {
    await Deno.remove(script);
  }
});
