/**
 * The seed CLI end to end: `deno run -A cli/seed.ts` twice prints the same counts (idempotent),
 * `--data DIR` loads another catalog and reports its bad row by file and line, bad arguments
 * exit 2. Real subprocesses, run concurrently.
 *
 * @module
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { VARIABLES } from "../lib/mod.ts";

const root = fileURLToPath(new URL("..", import.meta.url));

async function seed(args: string[], env: Record<string, string> = {}) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "cli/seed.ts", ...args],
    cwd: root,
    // Blank every configuration variable: the embedded stores, whatever the machine's .env says.
    env: { ...Object.fromEntries(VARIABLES.map((v) => [v.name, ""])), NO_COLOR: "1", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

const counts = (stdout: string) => ({
  loaded: /^Loaded .*$/m.exec(stdout)?.[0],
  upserted: /^Upserted .*$/m.exec(stdout)?.[0],
  now: /^Store counts now: .*$/m.exec(stdout)?.[0],
});

Deno.test("cli/seed.ts is idempotent, takes --data, and rejects bad arguments", async (t) => {
  const catalog = join(root, "lib/seed/testdata/paddle_catalog");
  const [first, second, other, bogus] = await Promise.all([
    seed([]),
    seed([]),
    seed(["--data", catalog]),
    seed(["--bogus"]),
  ]);

  await t.step("twice on data/ prints the same counts", () => {
    equal(first.code, 0, first.stderr);
    equal(second.code, 0, second.stderr);
    const a = counts(first.stdout);
    deepEqual(counts(second.stdout), a);
    match(a.loaded!, /^Loaded 24 products, 12 customers, 24 manuals, \d+ evaluation rows$/);
    match(a.now!, /^Store counts now: 12 customers, \d+ search documents$/);
    const docs = Number(/(\d+) search documents\)$/.exec(a.upserted!)?.[1]);
    ok(a.now!.endsWith(`${docs} search documents`), "the index holds what was upserted");
    ok(!first.stdout.includes("skipped"), "the repository's data has no bad records");
  });

  await t.step("--data DIR loads another catalog and reports its bad row", () => {
    equal(other.code, 0, other.stderr);
    match(other.stdout, /^Data folder: .*paddle_catalog$/m);
    const loaded = /^Loaded 18 products, 3 customers, (\d+) manuals, 1 evaluation rows$/m.exec(
      other.stdout,
    );
    ok(loaded, other.stdout);
    match(other.stdout, /skipped .*paddle_catalog\/products\.csv:6: name is empty/);
    // Every manual file is either loaded or reported as skipped, and p4, a2, a3 have none.
    const files = [...Deno.readDirSync(join(catalog, "manuals"))].length;
    const skipped = other.stdout.match(/skipped .*paddle_catalog\/manuals\//g)?.length ?? 0;
    equal(Number(loaded[1]) + skipped, files);
    const none = /note: (\d+) products have no manual \(([^)]*)\)/.exec(other.stdout);
    ok(none, other.stdout);
    equal(Number(none[1]), 18 - Number(loaded[1]));
    for (const id of ["p4", "a2", "a3"]) ok(none[2].split(", ").includes(id), none[2]);
    const docs = /(\d+) search documents\)$/m.exec(other.stdout)?.[1];
    match(
      other.stdout,
      new RegExp(`^Store counts now: 3 customers, ${docs} search documents$`, "m"),
    );
  });

  await t.step("bad arguments exit 2", () => {
    equal(bogus.code, 2);
    match(bogus.stderr, /Unknown option '--bogus'/);
    match(bogus.stderr, /Usage: deno task seed \[--data DIR\]/);
  });
});
