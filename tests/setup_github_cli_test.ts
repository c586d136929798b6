/**
 * `deno task setup:github` as a learner runs it: a real process against the fake GitHub
 * Models server on loopback (and a tiny server for a 403), with the `.env` file in a temporary
 * folder named relative to `INIT_CWD`, as `deno task` sets it.
 *
 * @module
 */
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { startFakeOpenAIServer } from "../lib/models/_fake_openai_server.ts";
import { denoTask } from "./_deno_task.ts";
import { parseDotEnv } from "../lib/config/dotenv.ts";
import { withGitHubBlock, withoutGitHubBlock } from "../cli/setup_github.ts";

const TOKEN = "github_pat_11TEST0secret0value0never0shown";

function setup(args: string[], env: Record<string, string>, cwd: string) {
  // Only deno on the PATH: no `gh` to fall back on.
  return denoTask("setup:github", args, { cwd, env: { PATH: dirname(Deno.execPath()), ...env } });
}

Deno.test("withGitHubBlock() keeps the learner's lines and replaces its own block", async (t) => {
  const mine = "# my settings\nCONTOSO_API_KEY=abc\nMODEL_PROVIDER=azure\n";
  await t.step("a conflicting line outside the block is commented out", () => {
    const text = withGitHubBlock(mine, { MODEL_PROVIDER: "github" });
    assert.equal(parseDotEnv(text).MODEL_PROVIDER, "github");
    assert.equal(parseDotEnv(text).CONTOSO_API_KEY, "abc");
    assert.match(text, /^# replaced by setup:github: MODEL_PROVIDER=azure$/m);
    assert.ok(text.startsWith("# my settings\nCONTOSO_API_KEY=abc\n"));
  });
  await t.step("a second run replaces the block in place, once", () => {
    const once = withGitHubBlock(mine + "LATER=1", { MODEL_PROVIDER: "github" });
    const twice = withGitHubBlock(once, {
      MODEL_PROVIDER: "github",
      GITHUB_MODELS_CHAT_MODEL: "openai/gpt-4.1",
    });
    assert.equal(twice.match(/# >>> GitHub Models/g)?.length, 1);
    assert.equal(parseDotEnv(twice).GITHUB_MODELS_CHAT_MODEL, "openai/gpt-4.1");
    assert.equal(parseDotEnv(twice).LATER, "1");
  });
  await t.step("removing the block leaves the other lines", () => {
    const text = withGitHubBlock("A=1\n", { MODEL_PROVIDER: "github" });
    assert.deepEqual(withoutGitHubBlock(text), { text: "A=1\n", removed: true });
    assert.deepEqual(withoutGitHubBlock("A=1\n"), { text: "A=1\n", removed: false });
  });
});

Deno.test({
  name: "deno task setup:github checks the token and writes .env without it",
  sanitizeResources: false,
  async fn(t) {
    const tmp = await Deno.makeTempDir();
    const fake = startFakeOpenAIServer({
      requireToken: TOKEN,
      models: ["openai/gpt-4.1-mini", "openai/gpt-4.1"],
      rateLimitHeaders: true,
      dailyAllowance: 150,
    });
    const forbidden = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen() {} },
      () =>
        Response.json(
          { error: { code: "no_access", message: `No access to models for ${TOKEN.slice(0, 4)}` } },
          { status: 403 },
        ),
    );
    const endpoint = fake.inferenceURL;
    const noSecret = (r: { stdout: string; stderr: string }) => {
      assert.ok(!r.stdout.includes(TOKEN) && !r.stderr.includes(TOKEN), "the token was printed");
    };
    try {
      await Deno.writeTextFile(join(tmp, "app.env"), "CONTOSO_API_KEY=mine\n");

      await t.step("a working token: MODEL_PROVIDER=github written, the token not", async () => {
        const r = await setup(["--env-file", "app.env"], {
          GITHUB_TOKEN: TOKEN,
          GITHUB_MODELS_ENDPOINT: endpoint,
        }, tmp);
        assert.equal(r.code, 0, r.stderr);
        noSecret(r);
        assert.match(r.stdout, /The token works: openai\/gpt-4\.1-mini answered/);
        assert.match(r.stdout, /149 of 150 requests left/);
        const written = await Deno.readTextFile(join(tmp, "app.env"));
        const env = parseDotEnv(written);
        assert.equal(env.MODEL_PROVIDER, "github");
        assert.equal(env.GITHUB_MODELS_ENDPOINT, endpoint);
        assert.equal(env.CONTOSO_API_KEY, "mine");
        assert.equal(env.GITHUB_TOKEN, undefined);
        assert.ok(!written.includes(TOKEN));
        // One tiny chat completion, with the documented headers and model id.
        const sent = fake.requests.at(-1)!;
        assert.match(sent.path, /\/inference\/chat\/completions$/);
        assert.equal(sent.headers.authorization, `Bearer ${TOKEN}`);
        assert.equal(sent.headers["x-github-api-version"], "2022-11-28");
        assert.equal(sent.headers.accept, "application/vnd.github+json");
        assert.equal(sent.body.model, "openai/gpt-4.1-mini");
        assert.equal(sent.body.max_tokens, 1);
      });

      await t.step("--chat-model and --write-token are written when asked", async () => {
        const r = await setup(
          ["--env-file", join(tmp, "app.env"), "--chat-model", "openai/gpt-4.1", "--write-token"],
          { GITHUB_TOKEN: TOKEN, GITHUB_MODELS_ENDPOINT: endpoint },
          tmp,
        );
        assert.equal(r.code, 0, r.stderr);
        noSecret(r);
        const env = parseDotEnv(await Deno.readTextFile(join(tmp, "app.env")));
        assert.equal(env.GITHUB_MODELS_CHAT_MODEL, "openai/gpt-4.1");
        assert.equal(env.GITHUB_TOKEN, TOKEN);
      });

      await t.step("a used-up allowance (429) still counts as a working token", async () => {
        const spent = startFakeOpenAIServer({ requireToken: TOKEN, dailyAllowance: 0 });
        try {
          const r = await setup(["--env-file", "app.env", "--check-only"], {
            GITHUB_TOKEN: TOKEN,
            GITHUB_MODELS_ENDPOINT: spent.inferenceURL,
          }, tmp);
          assert.equal(r.code, 0, r.stderr);
          assert.match(
            r.stdout,
            /The token works, but today's allowance for openai\/gpt-4\.1-mini is used up \(429\)/,
          );
          noSecret(r);
        } finally {
          await spent.close();
        }
      });

      await t.step("--remove takes the block out", async () => {
        const r = await setup(["--env-file", "app.env", "--remove"], {}, tmp);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(await Deno.readTextFile(join(tmp, "app.env")), "CONTOSO_API_KEY=mine\n");
      });

      const failures: [string, string[], Record<string, string>, RegExp][] = [
        [
          "401: a refused token says how to get one",
          [],
          { GITHUB_TOKEN: "wrong-token", GITHUB_MODELS_ENDPOINT: endpoint },
          /refused the token \(401 Unauthorized\).*"Models" permission/s,
        ],
        [
          "403: a token without the models permission",
          [],
          {
            GITHUB_TOKEN: TOKEN,
            GITHUB_MODELS_ENDPOINT: `http://127.0.0.1:${forbidden.addr.port}/inference`,
          },
          /may not use GitHub Models \(403 Forbidden\).*Models: read/s,
        ],
        [
          "an unknown model names the option to fix it",
          ["--chat-model", "acme/nonexistent"],
          { GITHUB_TOKEN: TOKEN, GITHUB_MODELS_ENDPOINT: endpoint },
          /does not serve the model "acme\/nonexistent" \(400\).*--chat-model/s,
        ],
        [
          "an unreachable endpoint names the variable",
          [],
          { GITHUB_TOKEN: TOKEN, GITHUB_MODELS_ENDPOINT: "http://127.0.0.1:9/inference" },
          /Cannot reach GitHub Models at http:\/\/127\.0\.0\.1:9\/inference\/chat\/completions.*GITHUB_MODELS_ENDPOINT/s,
        ],
        [
          "no token and no gh says where a token comes from",
          [],
          { GITHUB_MODELS_ENDPOINT: endpoint },
          /No GitHub token: GITHUB_TOKEN is not set and `gh auth token` gave none/,
        ],
      ];
      for (const [name, args, env, message] of failures) {
        await t.step(name, async () => {
          const before = await Deno.readTextFile(join(tmp, "app.env"));
          const r = await setup(["--env-file", "app.env", ...args], env, tmp);
          assert.equal(r.code, 1, r.stdout + r.stderr);
          assert.match(r.stderr, message);
          noSecret(r);
          assert.equal(await Deno.readTextFile(join(tmp, "app.env")), before, "file changed");
        });
      }

      await t.step("bad arguments exit 2 with the usage", async () => {
        const r = await setup(["--remove", "--check-only"], {}, tmp);
        assert.equal(r.code, 2);
        assert.match(r.stderr, /Usage: deno task setup:github/);
      });
    } finally {
      await fake.close();
      await forbidden.shutdown();
      await Deno.remove(tmp, { recursive: true });
    }
  },
});
