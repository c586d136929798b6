/**
 * `deno task eval` on the GitHub Models track, as a learner in a Codespace runs it: a real
 * process with `MODEL_PROVIDER=github`, `GITHUB_TOKEN` and `GITHUB_MODELS_ENDPOINT` pointing at
 * the fake GitHub Models server on loopback. The AI judges run (the offline track skips them),
 * the remaining allowance is shown and the set is cut to what fits it, and a daily allowance
 * that runs out mid-run stops the run resumably: exit 75, when it comes back, the command that
 * resumes, and `--resume` finishing the same rows once the allowance is back.
 *
 * @module
 */
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type FakeRequest, startFakeOpenAIServer } from "../lib/models/_fake_openai_server.ts";
import { denoTask } from "./_deno_task.ts";

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const TOKEN = "ghu_fakeCodespaceToken0123456789";
const CHAT = "openai/gpt-4.1-mini";
const EMBEDDING = "openai/text-embedding-3-small";
const JUDGES = ["groundedness", "relevance", "coherence", "fluency", "friendliness"];

function systemText(body: Record<string, unknown>): string {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  return messages.filter((m) => m?.role === "system").map((m) => String(m.content)).join("\n");
}

/** A judge's request: its system message sets out a 1-5 scale. */
function isJudgeRequest(r: FakeRequest): boolean {
  return r.path.endsWith("/chat/completions") && /\b1\s*(?:to|–|-)\s*5\b/.test(systemText(r.body));
}

/** What the fake model answers: queries as JSON, a score to judges, a short answer otherwise. */
function reply(body: Record<string, unknown>): string {
  const system = systemText(body);
  if (/search queries/i.test(system)) return '["lightweight tent", "tent care"]';
  if (/\b1\s*(?:to|–|-)\s*5\b/.test(system)) return "4";
  return "Hello! The Summit Dome 2 Tent [1] pairs well with the Dreamhollow 35 bag [19].";
}

function evalTask(args: string[], env: Record<string, string>, cwd: string) {
  return denoTask("eval", args, {
    cwd,
    env: {
      MODEL_PROVIDER: "github",
      GITHUB_TOKEN: TOKEN,
      CONTOSO_INDEX_CACHE_DIR: "off",
      GITHUB_MODELS_EMBEDDING_DIMENSIONS: "16",
      ...env,
    },
  });
}

function runDir(stdout: string): string {
  const match = /Run directory: (\S+)/.exec(stdout);
  assert.ok(match, `no run directory in:\n${stdout}`);
  return match[1];
}

async function readJsonl(path: string): Promise<Record<string, unknown>[]> {
  return (await Deno.readTextFile(path)).split("\n").filter((l) => l.trim()).map((l) =>
    JSON.parse(l)
  );
}

Deno.test({
  name:
    "deno task eval on GitHub Models runs the judges and stops resumably when the allowance ends",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const tmp = await Deno.makeTempDir();
    const fake = startFakeOpenAIServer({
      requireToken: TOKEN,
      models: [CHAT, EMBEDDING],
      rateLimitHeaders: true,
      embeddingDimensions: 16,
      reply,
    });
    const env = { GITHUB_MODELS_ENDPOINT: fake.inferenceURL };
    try {
      // Eight rows of the shipped test set, one customer each, as a learner would copy them.
      const lines = (await Deno.readTextFile(join(ROOT, "data/eval/test.jsonl"))).split("\n")
        .filter((l) => l.trim()).slice(0, 8);
      await Deno.writeTextFile(join(tmp, "eight.jsonl"), lines.join("\n") + "\n");
      const base = [
        "--data",
        join(tmp, "eight.jsonl"),
        "--runs-dir",
        join(tmp, "runs"),
        "--concurrency",
        "1",
      ];

      await t.step("the judges run on the GitHub model, each row once per judge", async () => {
        const before = fake.requests.length;
        const r = await evalTask([...base, "--rows", "2"], env, tmp);
        assert.equal(r.code, 0, r.stdout + r.stderr);
        assert.match(r.stdout, new RegExp(`judges ${CHAT}`));
        assert.match(r.stdout, /Model allowance \(github-models\):/);
        assert.match(r.stdout, /2 of 8 rows, spread over the set \(--rows 2\)/);
        assert.doesNotMatch(r.stdout, /Skipped groundedness/);
        const summary = JSON.parse(
          await Deno.readTextFile(join(runDir(r.stdout), "summary.json")),
        );
        for (const name of JUDGES) {
          const metric = summary.metrics.find((m: { name: string }) => m.name === name);
          assert.equal(metric?.count, 2, `${name} scored on both rows`);
          assert.equal(metric?.mean, 4);
        }
        const sent = fake.requests.slice(before);
        assert.equal(sent.filter(isJudgeRequest).length, 2 * JUDGES.length);
        assert.ok(sent.every((q) => q.headers.authorization === `Bearer ${TOKEN}`));
        assert.ok(!r.stdout.includes(TOKEN) && !r.stderr.includes(TOKEN), "the token was printed");
      });

      await t.step("the default subset fits the documented daily allowance", async () => {
        // 2 pipeline + 5 judge requests a row on the chat model: the documented 150 a day of a
        // fresh tracker cover every one of 8 rows, so nothing is cut.
        const r = await evalTask([...base, "--name", "fits"], env, tmp);
        assert.equal(r.code, 0, r.stdout + r.stderr);
        assert.match(r.stdout, /chat \+ judge \(openai\/gpt-4\.1-mini\): 150 of 150 requests left/);
        assert.match(r.stdout, /this run needs 56/);
        assert.match(r.stdout, /Evaluating \S*eight\.jsonl \(8 rows\)/);
      });

      await t.step("the whole test set is cut to what the day allows, spread over it", async () => {
        // 32 rows x 7 chat-model requests = 224 > 150: 21 rows (147 requests) fit. A fresh
        // server without rate-limit headers, so only the documented 150 a day counts.
        const fresh = startFakeOpenAIServer({
          requireToken: TOKEN,
          models: [CHAT, EMBEDDING],
          embeddingDimensions: 16,
          reply,
        });
        const r = await evalTask(
          ["--runs-dir", join(tmp, "runs"), "--name", "cut"],
          { GITHUB_MODELS_ENDPOINT: fresh.inferenceURL },
          tmp,
        ).finally(() => fresh.close());
        assert.equal(r.code, 0, r.stdout + r.stderr);
        assert.match(r.stdout, /21 of 32 rows, spread over the set, fit the allowance/);
        assert.match(r.stdout, /needs 224 requests for all 32 rows, 150 left\); pass --all/);
        const manifest = JSON.parse(await Deno.readTextFile(join(runDir(r.stdout), "run.json")));
        assert.equal(manifest.subset.ids.length, 21);
        assert.equal(manifest.subset.of, 32);
        assert.notDeepEqual(
          manifest.subset.ids,
          Array.from({ length: 21 }, (_, i) => `row-${String(i + 1).padStart(4, "0")}`),
        );
        assert.ok(manifest.subset.ids.includes("row-0032"), "the end of the set is represented");
      });

      await t.step(
        "an exhausted allowance stops the run: exit 75, reset time, resume command",
        async () => {
          // Each model may answer 16 requests today: seeding's embeddings and three rows' fit
          // the embedding model; the chat model (7 a row) runs out during the third row.
          const limited = startFakeOpenAIServer({
            requireToken: TOKEN,
            models: [CHAT, EMBEDDING],
            // No x-ratelimit-* headers: only the 429 says the day is used up (Retry-After: 2 h).
            rateLimitHeaders: false,
            embeddingDimensions: 16,
            dailyAllowance: 16,
            dailyResetSeconds: 7_200,
            reply,
          });
          try {
            await Deno.writeTextFile(join(tmp, "three.jsonl"), lines.slice(0, 3).join("\n") + "\n");
            const limitedEnv = { GITHUB_MODELS_ENDPOINT: limited.inferenceURL };
            const args = [
              "--data",
              join(tmp, "three.jsonl"),
              "--runs-dir",
              join(tmp, "runs"),
              "--concurrency",
              "1",
            ];
            const r = await evalTask([...args, "--name", "stops"], limitedEnv, tmp);
            assert.equal(r.code, 75, r.stdout + r.stderr);
            if (Deno.env.get("SHOW_OUTPUT")) console.log(r.stdout, r.stderr);
            const dir = runDir(r.stdout);
            assert.match(r.stdout, /Stopped: the model allowance ran out/);
            assert.match(r.stdout, /2 of 3 rows are done and kept; 1 left/);
            assert.match(
              r.stdout,
              /The allowance comes back \d{4}-\d\d-\d\dT[\d:.]+Z \(in (?:1 h 59 min|2 h 0 min)\)/,
            );
            assert.ok(r.stdout.includes(`Resume then with:  deno task eval --resume ${dir}`));
            const done = await readJsonl(join(dir, "results.jsonl"));
            assert.deepEqual(done.map((x) => x.status), ["ok", "ok"]);

            // The next day: the allowance is back, and --resume evaluates only the third row.
            limited.answered.clear();
            const judgedBefore = limited.requests.filter(isJudgeRequest).length;
            const again = await evalTask(["--resume", dir], limitedEnv, tmp);
            assert.equal(again.code, 0, again.stdout + again.stderr);
            // The allowance is shown for what is left: one row, 2 + 5 chat-model requests.
            assert.match(
              again.stdout,
              /chat \+ judge \(openai\/gpt-4\.1-mini\): .* this run needs 7\n/,
            );
            assert.equal(
              limited.requests.filter(isJudgeRequest).length - judgedBefore,
              JUDGES.length,
            );
            const summary = JSON.parse(await Deno.readTextFile(join(dir, "summary.json")));
            assert.equal(summary.rows.ok, 3);
            assert.equal(summary.rows.failed, 0);
            assert.equal(
              summary.metrics.find((m: { name: string }) => m.name === "groundedness")?.count,
              3,
            );
          } finally {
            await limited.close();
          }
        },
      );
    } finally {
      await fake.close();
      await Deno.remove(tmp, { recursive: true }).catch(() => {});
    }
  },
});
