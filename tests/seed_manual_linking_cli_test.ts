/**
 * `deno task seed --data DIR` on a catalog whose manuals are named by slug only
 * (lib/seed/testdata/foreign_manuals): every manual is linked through what it says inside (front
 * matter, a declared id, the product's name) and the output says how many by each rule; a copy
 * with Windows line endings, a manual for no product and one for two products reports the last
 * two with the reason. Real subprocesses, run concurrently.
 *
 * @module
 */
import { equal, match, ok } from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { VARIABLES } from "../lib/mod.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const fixture = join(root, "lib/seed/testdata/foreign_manuals");

async function seed(dir: string) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "cli/seed.ts", "--data", dir],
    cwd: root,
    // Blank every configuration variable: the embedded stores, whatever the machine's .env says.
    env: { ...Object.fromEntries(VARIABLES.map((v) => [v.name, ""])), NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

async function copyDir(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    if (entry.isDirectory) await copyDir(join(from, entry.name), join(to, entry.name));
    else await Deno.copyFile(join(from, entry.name), join(to, entry.name));
  }
}

Deno.test("cli/seed.ts links manuals named by slug only and says how", async (t) => {
  const copy = await Deno.makeTempDir({ prefix: "contoso-manuals-" });
  try {
    await copyDir(fixture, copy);
    const manuals = join(copy, "manuals");
    const pinch = join(manuals, "pinch.md");
    await Deno.writeTextFile(pinch, (await Deno.readTextFile(pinch)).replace(/\n/g, "\r\n"));
    await Deno.writeTextFile(join(manuals, "mystery.md"), "# Release Notes\n\nNothing we sell.\n");
    await Deno.writeTextFile(
      join(manuals, "ropes-compared.md"),
      "# Our ropes\n\nProduct ID: CR-101\nProduct ID: CR-101D\n\n## Which one\nEither.\n",
    );
    const [plain, mixed] = await Promise.all([seed(fixture), seed(copy)]);

    await t.step("every manual of the fixture is linked, and the rules are counted", () => {
      equal(plain.code, 0, plain.stderr);
      match(plain.stdout, /^Loaded 7 products, 1 customers, 7 manuals, 0 evaluation rows$/m);
      match(
        plain.stdout,
        /^ {2}manuals: 7 linked \(2 by front matter, 2 by declared id, 3 by product name\)$/m,
      );
      ok(!plain.stdout.includes("skipped"), plain.stdout);
      ok(!plain.stdout.includes("have no manual"), plain.stdout);
    });

    await t.step("unmatched and ambiguous manuals are skipped with the reason", () => {
      equal(mixed.code, 0, mixed.stderr);
      match(mixed.stdout, /^Loaded 7 products, 1 customers, 7 manuals, 0 evaluation rows$/m);
      match(mixed.stdout, /manuals: 7 linked \(.*\), 2 skipped$/m);
      match(
        mixed.stdout,
        /skipped .*mystery\.md: cannot tell which product this manual is for: no catalog id/,
      );
      match(
        mixed.stdout,
        /skipped .*ropes-compared\.md: ambiguous: matches "Granite 9\.8 Rope" \(id CR-101\) and "Granite 9\.8 Rope Dry" \(id CR-101D\) by declared id/,
      );
    });

    await t.step("the same passages are seeded whatever the line endings", () => {
      const passages = (out: string) => /(\d+) manual passages/.exec(out)?.[1];
      ok(passages(plain.stdout), plain.stdout);
      equal(passages(mixed.stdout), passages(plain.stdout));
    });
  } finally {
    await Deno.remove(copy, { recursive: true });
  }
});
