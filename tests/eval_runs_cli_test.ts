/**
 * `deno task eval:summary` and `deno task eval:diff` as real processes, on run directories
 * written here by hand (a fingerprinted run, a rerun with another chat model, an older run
 * without a fingerprint, and a directory that is not a run).
 *
 * @module
 */
import { equal, match, ok as assert } from "node:assert/strict";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));

async function run(script: string, args: string[]) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(ROOT, "cli", script), ...args],
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

type Scores = Record<string, number | null>;

function resultLine(id: string, index: number, answer: string, scores: Scores, failed = false) {
  return JSON.stringify({
    id,
    index,
    fingerprint: `h${index}`,
    status: failed ? "failed" : "ok",
    customerId: String(index + 3),
    question: `Which stove suits question ${id}?`,
    ...(failed ? { error: { message: "HTTP 400 from the chat model", name: "UpstreamError" } } : {
      answer,
    }),
    scores: failed ? {} : Object.fromEntries(
      Object.entries(scores).map((
        [k, v],
      ) => [
        k,
        v === null ? { value: null, reason: "unparseable reply", raw: "hmm" } : { value: v },
      ]),
    ),
    retries: 0,
    durationMs: 12,
  });
}

function metric(name: string, kind: string, range: [number, number], values: number[]) {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return {
    name,
    kind,
    range,
    mean,
    count: values.length,
    missing: 0,
    min: Math.min(...values),
    max: Math.max(...values),
    interval: { low: mean - 0.5, high: mean + 0.25, level: 0.95, method: "bootstrap" },
  };
}

async function writeRun(
  dir: string,
  options: {
    name: string;
    startedAt: string;
    fingerprintId?: string;
    chatModel?: string;
    lines: string[];
    metrics: ReturnType<typeof metric>[];
  },
) {
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(join(dir, "results.jsonl"), options.lines.join("\n") + "\n");
  const fingerprint = options.fingerprintId
    ? {
      fingerprint: {
        dataset: "ds1",
        prompts: { chat: "p1", query: "q1" },
        models: {
          chat: { name: options.chatModel ?? "gpt-4o-mini", backend: "azure" },
          embedding: { name: "te3", backend: "azure" },
        },
        evaluators: ["f1", "groundedness"],
        parameters: {},
      },
      fingerprintId: options.fingerprintId,
    }
    : {};
  await Deno.writeTextFile(
    join(dir, "summary.json"),
    JSON.stringify({
      name: options.name,
      startedAt: options.startedAt,
      finishedAt: options.startedAt,
      complete: true,
      dataset: "stoves.jsonl",
      concurrency: 2,
      rows: { total: 3, ok: 3, failed: 0, pending: 0 },
      retries: 0,
      ...fingerprint,
      metrics: options.metrics,
      skipped: [],
      wallMs: 5,
    }),
  );
}

Deno.test({
  name: "deno task eval:summary and eval:diff read run directories",
  sanitizeResources: false,
  async fn(t) {
    const runs = await Deno.makeTempDir();
    const a = join(runs, "2026-02-01-base"), b = join(runs, "2026-02-02-tuned");
    const old = join(runs, "2025-12-24-old");
    await writeRun(a, {
      name: "base",
      startedAt: "2026-02-01T10:00:00.000Z",
      fingerprintId: "aaaa11112222",
      lines: [
        resultLine("s-1", 0, "The CampCook stove [p-7].", { groundedness: 4, f1: 0.5 }),
        resultLine("s-2", 1, "I do not know.", { groundedness: 2, f1: 0.1 }),
        resultLine("s-3", 2, "Use the Alpine stove.", { groundedness: 5, f1: 0.75 }),
      ],
      metrics: [
        metric("groundedness", "judge", [1, 5], [4, 2, 5]),
        metric("f1", "text", [0, 1], [0.5, 0.1, 0.75]),
      ],
    });
    await writeRun(b, {
      name: "tuned",
      startedAt: "2026-02-02T09:30:00.000Z",
      fingerprintId: "bbbb33334444",
      chatModel: "phi-4",
      lines: [
        resultLine("s-3", 2, "Use the Alpine stove [p-9].", { groundedness: 5, f1: 0.5 }),
        resultLine("s-1", 0, "The CampCook stove [p-7].", { groundedness: 4, f1: 0.5 }),
        resultLine("s-2", 1, "", {}, true),
      ],
      metrics: [
        metric("groundedness", "judge", [1, 5], [5, 4]),
        metric("f1", "text", [0, 1], [0.5, 0.5]),
      ],
    });
    await writeRun(old, {
      name: "old",
      startedAt: "2025-12-24T08:00:00.000Z",
      lines: [resultLine("s-1", 0, "x", { groundedness: 3 })],
      metrics: [metric("groundedness", "judge", [1, 5], [3, 3])],
    });
    await Deno.mkdir(join(runs, "scratch"));

    await t.step("eval:summary: one row per run, oldest first, means with intervals", async () => {
      const r = await run("eval_summary.ts", [runs]);
      equal(r.code, 0, r.stderr);
      const lines = r.stdout.split("\n");
      const header = lines[0];
      for (const col of ["run", "date", "fingerprint", "n", "groundedness", "f1"]) {
        assert(header.includes(col), header);
      }
      const rows = lines.slice(2, 5);
      match(rows[0], /^old\s+2025-12-24 08:00\s+unknown\s+3\/3\s+3 \[2\.50, 3\.25\]/);
      match(
        rows[1],
        /^base\s+2026-02-01 10:00\s+aaaa11112222\s+3\/3\s+3\.67 \[3\.17, 3\.92\]\s+0\.450 \[-0\.050, 0\.700\]/,
      );
      match(rows[2], /^tuned\s+2026-02-02 09:30\s+bbbb33334444/);
      assert(r.stdout.includes("3 runs, 3 fingerprints"), r.stdout);
      assert(r.stdout.includes(`skipped ${join(runs, "scratch")}: no summary.json`), r.stdout);
    });

    await t.step("eval:summary: an empty or missing directory", async () => {
      const empty = await Deno.makeTempDir();
      const r = await run("eval_summary.ts", [empty]);
      equal(r.code, 0);
      assert(r.stdout.startsWith("No runs in"), r.stdout);
      const missing = await run("eval_summary.ts", [join(empty, "nope")]);
      equal(missing.code, 2);
      assert(missing.stderr.includes("no such directory"), missing.stderr);
    });

    await t.step("eval:diff --changed f1: only the question whose f1 changed", async () => {
      const r = await run("eval_diff.ts", [a, b, "--changed", "f1"]);
      equal(r.code, 0, r.stderr);
      assert(r.stdout.includes("fingerprint aaaa11112222") && r.stdout.includes("bbbb33334444"));
      assert(r.stdout.includes("2 of 3 questions where f1 changed"), r.stdout);
      match(r.stdout, /## s-2 \(customer 4\)[^\n]*\n\s+f1: 0\.100 → failed {3}status: ok → failed/);
      match(
        r.stdout,
        /## s-3 \(customer 5\): Which stove suits question s-3\?\n\s+f1: 0\.750 → 0\.500\n/,
      );
      match(r.stdout, /A:\n\s+Use the Alpine stove\.\n\s+B:\n\s+Use the Alpine stove \[p-9\]\./);
      assert(!r.stdout.includes("## s-1"), "an unchanged question is not shown");
    });

    await t.step("eval:diff without --changed: any score or status", async () => {
      const r = await run("eval_diff.ts", [a, b]);
      equal(r.code, 0, r.stderr);
      assert(r.stdout.includes("2 of 3 questions where a score changed"), r.stdout);
      match(r.stdout, /groundedness: 2 → failed/);
      match(r.stdout, /status: ok → failed/);
      match(r.stdout, /\(failed: HTTP 400 from the chat model\)/);
      const same = await run("eval_diff.ts", [a, a]);
      assert(same.stdout.includes("0 of 3 questions"), same.stdout);
    });

    await t.step("eval:diff: bad arguments exit 2", async () => {
      const unknown = await run("eval_diff.ts", [a, b, "--changed", "bleu"]);
      equal(unknown.code, 2);
      assert(unknown.stderr.includes('unknown metric "bleu" (known: groundedness, f1)'));
      equal((await run("eval_diff.ts", [a])).code, 2);
      equal((await run("eval_diff.ts", [a, join(runs, "scratch")])).code, 2);
    });

    await t.step(
      "eval:compare warns that the chat model differs and handles old runs",
      async () => {
        const r = await run("eval_compare.ts", [a, b, "--out", join(runs, "ab.svg")]);
        equal(r.code, 0, r.stderr);
        match(r.stdout, /warning: .*chat model: azure gpt-4o-mini → azure phi-4/);
        // s-1 and s-3 are scored in both (s-2 failed in B): groundedness 4→4, 5→5; f1 .5→.5, .75→.5
        match(r.stdout, /groundedness\s+3\.67\s+4\.50\s+±0\s+\[0\.00, 0\.00\]\s+2\s+no clear/);
        match(r.stdout, /f1\s+0\.450\s+0\.500\s+−0\.125\s+\[-0\.250, 0\.000\]\s+2\s+no clear/);
        const md = await Deno.readTextFile(join(runs, "ab.md"));
        assert(md.includes("| A | base | aaaa11112222 |"), md);
        assert((await Deno.readTextFile(join(runs, "ab.svg"))).startsWith("<svg"));
        const o = await run("eval_compare.ts", [old, a, "--out", join(runs, "oa.svg")]);
        equal(o.code, 0, o.stderr);
        match(o.stdout, /A: .*fingerprint unknown/);
        match(o.stdout, /warning: run A has no fingerprint/);
      },
    );
  },
});
