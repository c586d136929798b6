/**
 * `deno task search:eval` end to end, as real subprocesses: it prints figures per catalog and
 * query file (`search/*.jsonl`: the development set and the held-out set apart), the misses and
 * a table; the bounds are a gate only when given; bad arguments and a catalog without
 * a query set exit 2.
 *
 * @module
 */
import { equal, match, ok } from "node:assert/strict";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

async function searchEval(args: string[]) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "cli/search_eval.ts", ...args],
    cwd: root,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

Deno.test("cli/search_eval.ts reports, gates only on request, and rejects bad arguments", async (t) => {
  const paddle = "lib/seed/testdata/paddle_catalog";
  const [report, gated, json, bogus, outOfRange, noQueries] = await Promise.all([
    searchEval(["--data", paddle]),
    searchEval(["--data", paddle, "--min-top1", "1", "--min-mrr", "1"]),
    searchEval(["--data", paddle, "--json"]),
    searchEval(["--bogus"]),
    searchEval(["--min-mrr", "2"]),
    searchEval(["--data", "prompts"]),
  ]);

  await t.step("prints the figures, the misses and a table; no bounds, exit 0", () => {
    equal(report.code, 0, report.stderr);
    match(report.stdout, /paddle_catalog: \d+ search documents/);
    for (const [file, n] of [["queries", 30], ["holdout", 12]]) {
      match(
        report.stdout,
        new RegExp(
          `${file}\\.jsonl: ${n} queries {2}top-1 \\d\\.\\d{3} {2}MRR@10 \\d\\.\\d{3} {2}tiny sections won \\d+`,
        ),
      );
      match(report.stdout, new RegExp(`^\\S+paddle_catalog +${file}\\.jsonl +${n} `, "m"));
    }
    match(report.stdout, /^catalog +query set +queries +top-1 +MRR@10 +tiny wins +goal$/m);
    match(report.stdout, /goal: top-1 ≥ 0\.8, MRR ≥ 0\.85/);
  });

  await t.step("--min-top1 / --min-mrr exit 1 when a catalog is below them", () => {
    const r = JSON.parse(json.stdout).catalogs[0];
    equal(r.queries, 30);
    ok(r.top1 >= 0 && r.top1 <= 1 && r.mrr >= r.top1, JSON.stringify(r));
    equal(r.misses.length, Math.round(30 * (1 - r.top1)), "one line per query not first");
    for (const line of r.misses) match(line, /^p\d+ ".+" → expected \w+ .+; got /);
    equal(r.sets.map((s: { file: string }) => s.file).join(), "queries.jsonl,holdout.jsonl");
    const [dev, holdout] = r.sets;
    equal(dev.top1, r.top1);
    equal(holdout.queries, 12);
    equal(holdout.misses.length, Math.round(12 * (1 - holdout.top1)));
    for (const line of holdout.misses) match(line, /^q\d+ ".+" → expected \w+ .+; got /);
    equal(gated.code, r.top1 < 1 || holdout.top1 < 1 ? 1 : 0);
    if (r.top1 < 1) match(gated.stdout, /below the given bounds: .*paddle_catalog/);
  });

  await t.step("bad arguments and a folder without search/queries.jsonl exit 2", () => {
    equal(bogus.code, 2);
    match(bogus.stderr, /Unknown option '--bogus'/);
    match(bogus.stderr, /Usage: deno task search:eval/);
    equal(outOfRange.code, 2);
    match(outOfRange.stderr, /--min-mrr must be between 0 and 1/);
    equal(noQueries.code, 2);
    match(
      noQueries.stderr,
      /Cannot load queries ".*prompts\/search\/queries\.jsonl": file not found/,
    );
  });
});
