/**
 * `deno task eval` and `deno task eval:compare` as a CI would run them: real processes on the
 * embedded defaults (offline model, in-process stores), a small data set, exit codes checked.
 *
 * @module
 */
import { equal, ok as assert } from "node:assert/strict";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));

/** Force the embedded defaults even when the developer's `.env` points at Azure. */
const OFFLINE_ENV = {
  AZURE_OPENAI_ENDPOINT: "",
  OPENAI_BASE_URL: "",
  OPENAI_API_KEY: "",
  COSMOS_ENDPOINT: "",
  AZURE_SEARCH_ENDPOINT: "",
  NO_COLOR: "1",
};

async function run(script: string, args: string[]) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(ROOT, "cli", script), ...args],
    cwd: ROOT,
    env: OFFLINE_ENV,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

function runDir(stdout: string): string {
  const match = /Run directory: (\S+)/.exec(stdout);
  assert(match, `no run directory in:\n${stdout}`);
  return match[1];
}

Deno.test({
  name: "deno task eval: --min exit codes, offline report, resume and compare",
  sanitizeResources: false,
  async fn(t) {
    const tmp = await Deno.makeTempDir();
    const data = join(tmp, "small.jsonl");
    const rows = (await Deno.readTextFile(join(ROOT, "data/eval/test.jsonl"))).split("\n").slice(
      0,
      3,
    );
    await Deno.writeTextFile(data, rows.join("\n") + "\n");
    const base = ["--data", data, "--runs-dir", join(tmp, "runs")];
    let first = "";

    await t.step("exit 0 when every mean meets its --min", async () => {
      const r = await run("eval.ts", [
        ...base,
        "--min",
        "f1=0",
        "--min",
        "lexical_groundedness=0.1",
      ]);
      equal(r.code, 0, r.stderr + r.stdout);
      assert(r.stdout.includes("PASS  f1 >= 0"));
      first = runDir(r.stdout);
      const report = await Deno.readTextFile(join(first, "report.md"));
      assert(report.includes("## Skipped evaluators"), "the report lists the skipped judges");
      assert(report.includes("cannot judge"));
      assert(report.includes("| f1 | text |"), "the report lists the text metrics");
      equal((await Deno.readTextFile(join(first, "results.jsonl"))).trim().split("\n").length, 3);
    });

    await t.step("exit 1 when a mean misses its --min", async () => {
      const r = await run("eval.ts", [...base, "--min", "f1=0", "--min", "bleu=0.99"]);
      equal(r.code, 1, r.stderr + r.stdout);
      assert(r.stdout.includes("FAIL  bleu >= 0.99"));
    });

    await t.step("exit 1 when gating on a judge that was skipped", async () => {
      const r = await run("eval.ts", [
        ...base,
        "--min",
        "groundedness=3",
        "--judge-model",
        "gpt-4o",
      ]);
      equal(r.code, 1, r.stderr + r.stdout);
      assert(r.stdout.includes("groundedness was skipped"));
      assert(r.stderr.includes("--judge-model gpt-4o ignored: no real model is configured"));
    });

    await t.step("exit 2 with usage for bad arguments", async () => {
      for (
        const args of [
          ["--min", "f1"],
          ["--min", "nonsense=1"],
          ["--concurrency", "0"],
          ["--bogus"],
          ["--data", join(tmp, "missing.jsonl")],
          ["--max-failed", "lots"],
          ["--min-scored", "2.5"],
          ["--target", "ftp://example.net"],
          ["--api-key", "k"],
          ["--force"],
        ]
      ) {
        const full = args[0] === "--data"
          ? ["--runs-dir", join(tmp, "runs"), ...args]
          : [...base, ...args];
        const r = await run("eval.ts", full);
        equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
        assert(r.stderr.includes("Usage: deno task eval"), `${args.join(" ")}: ${r.stderr}`);
      }
    });

    await t.step("--resume of a finished run evaluates nothing again", async () => {
      const r = await run("eval.ts", ["--resume", first, "--min", "f1=0"]);
      equal(r.code, 0, r.stderr + r.stdout);
      equal(runDir(r.stdout), first);
      assert(r.stderr.includes("3 ok (3 resumed)"), r.stderr);
      equal((await Deno.readTextFile(join(first, "results.jsonl"))).trim().split("\n").length, 3);
    });

    await t.step(
      "--resume refuses a run made with another model, naming it; --force goes on",
      async () => {
        const manifestPath = join(first, "run.json");
        const original = await Deno.readTextFile(manifestPath);
        const manifest = JSON.parse(original);
        assert(manifest.fingerprint, "run.json records the fingerprint");
        manifest.fingerprint.models.chat = { name: "gpt-4o-mini", backend: "openai-compatible" };
        await Deno.writeTextFile(manifestPath, JSON.stringify(manifest));
        const refused = await run("eval.ts", ["--resume", first]);
        equal(refused.code, 2, refused.stderr + refused.stdout);
        assert(
          refused.stderr.includes(
            "chat model: openai-compatible gpt-4o-mini → offline contoso-offline-chat",
          ),
          refused.stderr,
        );
        assert(refused.stderr.includes("--force"), refused.stderr);
        const forced = await run("eval.ts", ["--resume", first, "--force"]);
        equal(forced.code, 0, forced.stderr + forced.stdout);
        equal(JSON.parse(await Deno.readTextFile(manifestPath)).forced.length, 1);
        await Deno.writeTextFile(manifestPath, original);
      },
    );

    await t.step("a failed row fails the gate (exit 1) unless --max-failed allows it", async () => {
      const withUnknown = join(tmp, "unknown-customer.jsonl");
      await Deno.writeTextFile(
        withUnknown,
        rows.join("\n") + "\n" +
          JSON.stringify({ customerId: "no-such-customer", question: "Where is my order?" }) + "\n",
      );
      const args = ["--data", withUnknown, "--runs-dir", join(tmp, "runs"), "--min", "f1=0"];
      const r = await run("eval.ts", args);
      equal(r.code, 1, r.stderr + r.stdout);
      assert(r.stdout.includes("Gate: 3 of 4 rows answered, 1 failed"), r.stdout);
      assert(r.stdout.includes("FAIL  failed rows <= 0: 1 of 4"), r.stdout);
      assert(r.stdout.includes("PASS  f1 >= 0: mean"), r.stdout);
      const allowed = await run("eval.ts", [...args, "--max-failed", "25%"]);
      equal(allowed.code, 0, allowed.stderr + allowed.stdout);
      assert(allowed.stdout.includes("PASS  failed rows <= 25% (1 row): 1 of 4"), allowed.stdout);
      const tooFew = await run("eval.ts", [...args, "--max-failed", "1", "--min-scored", "4"]);
      equal(tooFew.code, 1, tooFew.stderr + tooFew.stdout);
      assert(tooFew.stdout.includes("3 scores, at least 4 needed"), tooFew.stdout);
    });

    await t.step("eval:compare prints deltas and writes a chart", async () => {
      const second = runDir((await run("eval.ts", [...base, "--name", "second"])).stdout);
      const r = await run("eval_compare.ts", [first, second]);
      equal(r.code, 0, r.stderr + r.stdout);
      assert(r.stdout.includes("Δ (B−A)"));
      assert(/f1\s+0\.\d+\s+0\.\d+\s+±0/.test(r.stdout), r.stdout); // deterministic offline model
      assert((await Deno.readTextFile(join(second, "compare.svg"))).startsWith("<svg"));
      equal((await run("eval_compare.ts", [first])).code, 2);
      equal((await run("eval_compare.ts", [first, join(tmp, "nope")])).code, 2);
    });

    await t.step(
      "Ctrl+C stops after the rows in flight (exit 130); --resume finishes",
      async () => {
        const child = new Deno.Command(Deno.execPath(), {
          args: [
            "run",
            "-A",
            join(ROOT, "cli/eval.ts"),
            ...base,
            "--concurrency",
            "1",
            "--name",
            "stopped",
          ],
          cwd: ROOT,
          env: { ...OFFLINE_ENV, OFFLINE_MODEL_LATENCY_MS: "300" },
          stdout: "piped",
          stderr: "piped",
        }).spawn();
        // wait until the first row is written, then interrupt
        const runs = join(tmp, "runs");
        let dir = "";
        for (let i = 0; i < 200 && !dir; i++) {
          await new Promise((r) => setTimeout(r, 50));
          for (const e of Deno.readDirSync(runs)) {
            if (!e.name.endsWith("-stopped")) continue;
            const file = join(runs, e.name, "results.jsonl");
            try {
              if (Deno.readTextFileSync(file).trim()) dir = join(runs, e.name);
            } catch { /* not yet */ }
          }
        }
        assert(dir, "the run wrote a first row");
        child.kill("SIGINT");
        const out = await child.output();
        const stdout = new TextDecoder().decode(out.stdout);
        equal(out.code, 130, stdout + new TextDecoder().decode(out.stderr));
        assert(stdout.includes(`deno task eval --resume ${dir}`), stdout);
        const done =
          (await Deno.readTextFile(join(dir, "results.jsonl"))).trim().split("\n").length;
        assert(done >= 1 && done < 3, `${done} rows before the interruption`);

        const r = await run("eval.ts", ["--resume", dir]);
        equal(r.code, 0, r.stderr + r.stdout);
        assert(r.stderr.includes(`(${done} resumed)`), r.stderr);
        equal((await Deno.readTextFile(join(dir, "results.jsonl"))).trim().split("\n").length, 3);
        equal(JSON.parse(await Deno.readTextFile(join(dir, "summary.json"))).complete, true);
      },
    );

    await Deno.remove(tmp, { recursive: true });
  },
});
