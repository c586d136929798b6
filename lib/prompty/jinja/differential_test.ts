/**
 * The differential test: every template of `lib/prompty/testdata/jinja2/` (with the inputs in
 * the `.json` file of the same name, if any), and the template of every prompt file of the
 * repository (with its sample), is rendered by this interpreter and by real Jinja2 (Debian's `python3-jinja2`, run once for the whole corpus by
 * `render_with_jinja2.py`), and the texts must be equal; where jinja2 fails, we must fail
 * too. In CI a missing Python or jinja2 fails the test; elsewhere it is ignored with a hint.
 *
 * @module
 */
import { equal, ok } from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { compileTemplate, JinjaError } from "./mod.ts";
import { loadPrompty } from "../load.ts";
import { resolveInputs } from "../render.ts";
import { referenceGate, runPythonReference } from "../../../tests/_python_reference.ts";

const CORPUS = fileURLToPath(new URL("../testdata/jinja2/", import.meta.url));
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const PROMPT_DIRS = ["prompts", "tests/testdata/foreign_prompts", "lib/prompty/testdata"];

interface Case {
  name: string;
  template: string;
  inputs: Record<string, unknown>;
}
type Result = { text: string } | { error: string };

function readCorpus(): Case[] {
  const names = [...Deno.readDirSync(CORPUS)]
    .filter((e) => e.isFile && e.name.endsWith(".jinja"))
    .map((e) => e.name.slice(0, -".jinja".length))
    .sort();
  return names.map((name) => {
    let inputs = {};
    try {
      inputs = JSON.parse(Deno.readTextFileSync(join(CORPUS, `${name}.json`)));
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    return { name, template: Deno.readTextFileSync(join(CORPUS, `${name}.jinja`)), inputs };
  });
}

function promptFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of Deno.readDirSync(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) files.push(...promptFiles(path));
    else if (entry.name.endsWith(".prompty")) files.push(path);
  }
  return files.sort();
}

/** Every prompt file that loads (some test files are broken on purpose), with its sample. */
async function readPromptFiles(): Promise<Case[]> {
  const cases: Case[] = [];
  for (const dir of PROMPT_DIRS) {
    let files: string[];
    try {
      files = promptFiles(join(ROOT, dir));
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) continue;
      throw error;
    }
    for (const file of files) {
      let prompty;
      try {
        prompty = await loadPrompty(file, { env: {} });
      } catch {
        continue;
      }
      cases.push({
        name: `prompt file ${file.slice(ROOT.length)}`,
        template: prompty.template,
        inputs: resolveInputs(prompty),
      });
    }
  }
  return cases;
}

/** Real jinja2, in one Python process for the whole corpus. */
const JINJA2 = { module: "jinja2", debianPackage: "python3-jinja2" };

function renderOurs(c: Case): Result {
  try {
    return { text: compileTemplate(c.template).render(c.inputs) };
  } catch (error) {
    if (error instanceof JinjaError) return { error: error.message };
    throw error;
  }
}

const corpus = readCorpus();
const cases = [...corpus, ...await readPromptFiles()];
const gate = referenceGate(
  await runPythonReference<{ jinja2: string; results: Record<string, Result> }>(
    join(CORPUS, "render_with_jinja2.py"),
    cases,
    JINJA2,
  ),
  "Jinja2 differential test",
  JINJA2,
);

Deno.test({
  name: "compileTemplate() renders the corpus exactly as Python's jinja2 does",
  ignore: gate.ignore,
  fn: async (t) => {
    const reference = gate.require();
    ok(corpus.length >= 30, `the corpus has only ${corpus.length} templates`);
    ok(cases.length > corpus.length + 10, "the repository's prompt files are compared too");
    ok(reference.jinja2.startsWith("3."), `jinja2 ${reference.jinja2}`);
    const differ: string[] = [];
    for (const c of cases) {
      await t.step(c.name, () => {
        const expected = reference.results[c.name];
        const actual = renderOurs(c);
        if ("error" in expected) {
          ok("error" in actual, `jinja2 fails (${expected.error}); we rendered instead`);
          if (expected.error.startsWith("UndefinedError")) {
            ok(/is undefined/.test(actual.error), actual.error);
          }
        } else {
          if ("error" in actual) differ.push(c.name);
          ok(
            !("error" in actual),
            `jinja2 renders; we failed: ${"error" in actual && actual.error}`,
          );
          equal(actual.text, expected.text);
        }
      });
    }
    equal(differ.length, 0, `differ: ${differ.join(", ")}`);
  },
});
