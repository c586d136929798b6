/**
 * `deno task chat` on the GitHub Models track: with `MODEL_PROVIDER=github`, a `GITHUB_TOKEN` and
 * `GITHUB_MODELS_ENDPOINT` pointing at a loopback fake that plays GitHub Models, the CLI (a real
 * subprocess) seeds the embedded index with the fake's embeddings, answers with the fake's reply,
 * names the provider in `--config`, and never prints the token. Without a token it stops with the
 * variable named; with the daily allowance used up, with a one-line message saying until when.
 *
 * @module
 */
import { equal, match, ok } from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { startFakeOpenAIServer } from "../lib/models/_fake_openai_server.ts";
import { denoTask } from "./_deno_task.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const TOKEN = "github_pat_11TESTONLY0aBcDeFgHiJkLmNoPqRsTuVwXyZ";
const REPLY = "Hi Sarah! The fake GitHub model suggests the Summit Dome 2 Tent. ";

function chat(args: string[], env: Record<string, string>) {
  return denoTask("chat", args, { cwd: root, env: { CONTOSO_INDEX_CACHE_DIR: "off", ...env } });
}

Deno.test("deno task chat answers from GitHub Models (a loopback fake)", async (t) => {
  const server = startFakeOpenAIServer({
    requireToken: TOKEN,
    models: ["openai/gpt-4.1-mini", "openai/text-embedding-3-small"],
    reply: () => REPLY,
    rateLimitHeaders: true,
    streamWords: true,
  });
  const github = {
    MODEL_PROVIDER: "github",
    GITHUB_TOKEN: TOKEN,
    GITHUB_MODELS_ENDPOINT: server.inferenceURL,
    GITHUB_MODELS_EMBEDDING_DIMENSIONS: "64",
  };
  try {
    await t.step("a plain answer, with --config naming the provider", async () => {
      const run = await chat(["Which tent should I take?", "--customer", "1", "--config"], github);
      equal(run.code, 0, run.stderr);
      ok(run.stdout.includes(REPLY.trim()), run.stdout);
      match(
        run.stdout,
        /chat model\s+GitHub Models\s+http:\/\/127\.0\.0\.1:\d+\/inference \(model openai\/gpt-4\.1-mini/,
      );
      match(
        run.stdout,
        /embedding model\s+GitHub Models .*openai\/text-embedding-3-small, 64 dimensions/,
      );
      ok(!run.stdout.includes(TOKEN) && !run.stderr.includes(TOKEN), "the token is never printed");
      const chats = server.requests.filter((r) => r.path === "/inference/chat/completions");
      const embeds = server.requests.filter((r) => r.path === "/inference/embeddings");
      ok(chats.length >= 1 && embeds.length >= 1, "chat and embeddings both went to the fake");
      ok(chats.every((r) => r.body.model === "openai/gpt-4.1-mini"));
      ok(
        embeds.every((r) =>
          r.body.model === "openai/text-embedding-3-small" && r.body.dimensions === 64
        ),
      );
      ok(server.requests.every((r) => r.headers.authorization === `Bearer ${TOKEN}`));
      ok(server.requests.every((r) => r.headers["x-github-api-version"] === "2022-11-28"));
    });
    await t.step("a streamed answer", async () => {
      const run = await chat(["Which tent should I take?", "--customer", "1", "--stream"], github);
      equal(run.code, 0, run.stderr);
      ok(run.stdout.includes(REPLY.trim()), run.stdout);
      ok(server.requests.some((r) => r.body.stream === true));
    });
    await t.step("no token: the variable is named, nothing is sent", async () => {
      const before = server.requests.length;
      const run = await chat(["Which tent?", "--customer", "1"], { ...github, GITHUB_TOKEN: "" });
      ok(run.code !== 0);
      match(run.stderr, /GITHUB_TOKEN is required when MODEL_PROVIDER=github/);
      equal(server.requests.length, before);
    });
  } finally {
    await server.close();
  }
});

Deno.test("deno task chat stops with a clear message when the daily allowance is used up", async () => {
  const server = startFakeOpenAIServer({ requireToken: TOKEN, dailyAllowance: 0 });
  try {
    const run = await chat(["Which tent?", "--customer", "1"], {
      MODEL_PROVIDER: "github",
      GITHUB_TOKEN: TOKEN,
      GITHUB_MODELS_ENDPOINT: server.inferenceURL,
    });
    equal(run.code, 1);
    match(
      run.stderr,
      /^Error: The rate-limit allowance of openai\/text-embedding-3-small is used up until \d{4}-/m,
    );
    ok(!/^\s+at /m.test(run.stderr), `no stack trace:\n${run.stderr}`);
    equal(server.requests.length, 1, "one refused request, nothing retried");
  } finally {
    await server.close();
  }
});
