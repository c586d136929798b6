/**
 * `deno task eval:generate` as a learner runs it, on the embedded defaults: the offline draft
 * from the FAQ entries, a catalog without FAQs, and the refusal to write into data/eval.
 *
 * @module
 */
import { equal, ok } from "node:assert/strict";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseDataset } from "../lib/evaluate/dataset.ts";

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));

/** Like `deno task`: the process runs in the project root, INIT_CWD is the caller's folder. */
async function run(args: string[], callerDir = ROOT, extraEnv: Record<string, string> = {}) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(ROOT, "cli", "eval_generate.ts"), ...args],
    cwd: ROOT,
    env: {
      AZURE_OPENAI_ENDPOINT: "",
      OPENAI_BASE_URL: "",
      OPENAI_API_KEY: "",
      INIT_CWD: callerDir,
      NO_COLOR: "1",
      ...extraEnv,
    },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

Deno.test("deno task eval:generate: offline drafts, no-FAQ catalogs and data/eval", async (t) => {
  const tmp = await Deno.makeTempDir();
  try {
    await t.step("offline: every FAQ entry of data/ becomes a row", async () => {
      const r = await run(["--out", "draft.jsonl"], tmp);
      equal(r.code, 0, r.stderr + r.stdout);
      ok(r.stdout.includes("offline"), r.stdout);
      const text = await Deno.readTextFile(join(tmp, "draft.jsonl"));
      const rows = parseDataset(text, "draft.jsonl");
      equal(rows.length, 72);
      ok(text.split("\n").filter(Boolean).every((l) => JSON.parse(l).source === "faq"));
    });
    await t.step("--count samples and --manuals takes another folder", async () => {
      const r = await run([
        "--count",
        "4",
        "--manuals",
        join(ROOT, "data", "manuals"),
        "--out",
        join(tmp, "four.jsonl"),
      ]);
      equal(r.code, 0, r.stderr + r.stdout);
      equal((await Deno.readTextFile(join(tmp, "four.jsonl"))).trim().split("\n").length, 4);
    });
    await t.step("a catalog whose manuals have no FAQ: exit 1, nothing written", async () => {
      const r = await run([
        "--data",
        join(ROOT, "lib/seed/testdata/paddle_catalog"),
        "--out",
        join(tmp, "paddle.jsonl"),
      ]);
      equal(r.code, 1, r.stderr + r.stdout);
      ok(r.stderr.includes("No row could be drafted"));
      ok(!(await Deno.stat(join(tmp, "paddle.jsonl")).then(() => true, () => false)));
    });
    await t.step("never into data/eval; bad --count is a usage error", async () => {
      const r = await run(["--out", join(ROOT, "data", "eval", "draft.jsonl")]);
      equal(r.code, 2, r.stderr + r.stdout);
      ok(r.stderr.includes("must not be inside"));
      equal((await run(["--count", "zero"])).code, 2);
    });
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("deno task eval:generate with a model: an OpenAI-compatible server on loopback", async () => {
  const prompts: string[] = [];
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async (req) => {
    const body = await req.json();
    const user = body.messages.at(-1).content as string;
    prompts.push(user);
    const id = /PASSAGE \[([^\]]+)\]/.exec(user)?.[1];
    const content = JSON.stringify({
      question: `What does passage ${id} tell me?`,
      answer: "It says so.",
    });
    return Response.json({
      id: "c",
      object: "chat.completion",
      created: 0,
      model: body.model,
      choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
      usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
    });
  });
  const tmp = await Deno.makeTempDir();
  try {
    const r = await run(["--count", "3", "--seed", "5", "--out", "model.jsonl"], tmp, {
      OPENAI_BASE_URL: `http://127.0.0.1:${server.addr.port}/v1`,
      OPENAI_API_KEY: "sk-test",
      OPENAI_CHAT_MODEL: "draft-writer",
    });
    equal(r.code, 0, r.stderr + r.stdout);
    ok(r.stdout.includes("with draft-writer (seed 5)"), r.stdout);
    equal(prompts.length, 3);
    const rows = (await Deno.readTextFile(join(tmp, "model.jsonl"))).trim().split("\n").map((l) =>
      JSON.parse(l)
    );
    equal(rows.length, 3);
    for (const row of rows) {
      equal(row.source, "model");
      equal(row.model, "draft-writer");
      equal(row.question, `What does passage ${row.passageId} tell me?`);
    }
    const again = await run(["--count", "3", "--seed", "5", "--faq", "--out", "faq.jsonl"], tmp, {
      OPENAI_BASE_URL: `http://127.0.0.1:${server.addr.port}/v1`,
      OPENAI_API_KEY: "sk-test",
    });
    equal(again.code, 0, again.stderr);
    equal(prompts.length, 3, "--faq makes no model call");
  } finally {
    await server.shutdown();
    await Deno.remove(tmp, { recursive: true });
  }
});
