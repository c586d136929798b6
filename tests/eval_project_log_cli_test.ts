/**
 * `deno task eval --log-to-project` as a learner runs it, against loopback stand-ins: the
 * managed-identity token endpoint a Container App (or App Service) exposes through
 * `IDENTITY_ENDPOINT` / `IDENTITY_HEADER`, which the real DefaultAzureCredential calls, and the
 * project's OpenAI-compatible Evals API. The run itself is on the embedded defaults.
 *
 * @module
 */
import assert from "node:assert/strict";
import { denoTask } from "./_deno_task.ts";

const SET = [
  { customerId: "2", question: "Which backpack suits a three-day hike?", chat_history: [] },
  {
    customerId: "4",
    question: "Is the stove I bought good at altitude?",
    chat_history: [],
    truth: "Yes.",
  },
].map((r) => JSON.stringify(r)).join("\n");

interface Seen {
  method: string;
  path: string;
  headers: Headers;
  body?: Record<string, unknown>;
}

function stand_ins(options: { refuse?: number } = {}) {
  const seen: Seen[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const url = new URL(req.url);
    const body = req.method === "POST" ? await req.json() : undefined;
    seen.push({ method: req.method, path: url.pathname + url.search, headers: req.headers, body });
    if (url.pathname === "/msi/token") {
      return Response.json({
        access_token: "mi-token-for-" + url.searchParams.get("resource"),
        expires_on: String(Math.floor(Date.now() / 1000) + 3600),
        resource: url.searchParams.get("resource"),
        token_type: "Bearer",
      });
    }
    if (options.refuse) {
      return Response.json({ error: { message: "denied by the fake" } }, {
        status: options.refuse,
      });
    }
    if (req.method === "GET" && url.pathname.endsWith("/openai/v1/evals")) {
      return Response.json({ data: [] });
    }
    if (req.method === "POST" && url.pathname.endsWith("/openai/v1/evals")) {
      return Response.json({ id: "eval_cli", name: body?.name });
    }
    if (req.method === "POST" && url.pathname.endsWith("/runs")) {
      return Response.json({
        id: "evalrun_cli",
        status: "completed",
        result_counts: { total: 2, passed: 2, failed: 0, errored: 0 },
      });
    }
    return Response.json({ error: { message: "no route" } }, { status: 404 });
  });
  const origin = `http://127.0.0.1:${(server.addr as Deno.NetAddr).port}`;
  return { seen, origin, close: () => server.shutdown() };
}

async function withSet<T>(fn: (data: string, runs: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "eval-project-log-" });
  try {
    await Deno.writeTextFile(`${dir}/mini.jsonl`, SET);
    return await fn(`${dir}/mini.jsonl`, `${dir}/runs`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** `deno task eval --log-to-project` on the set, against the stand-ins' project and identity. */
function evalLoggingTo(
  fake: { origin: string },
  data: string,
  runs: string,
  env: Record<string, string> = {},
) {
  return denoTask("eval", ["--data", data, "--runs-dir", runs, "--log-to-project"], {
    env: {
      AZURE_AI_PROJECT_ENDPOINT: `${fake.origin}/api/projects/workshop`,
      IDENTITY_ENDPOINT: `${fake.origin}/msi/token`,
      IDENTITY_HEADER: "header-secret",
      ...env,
    },
  });
}

Deno.test("deno task eval --log-to-project without AZURE_AI_PROJECT_ENDPOINT exits 2 before any row runs", async () => {
  await withSet(async (data, runs) => {
    const result = await denoTask("eval", ["--data", data, "--runs-dir", runs, "--log-to-project"]);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /--log-to-project needs AZURE_AI_PROJECT_ENDPOINT/);
    assert.match(result.stderr, /deno task provision/);
    assert.doesNotMatch(result.stdout, /Evaluating/);
  });
});

Deno.test("deno task eval --log-to-project records the run with a managed-identity token", async (t) => {
  const fake = stand_ins();
  try {
    await withSet(async (data, runs) => {
      const result = await evalLoggingTo(fake, data, runs, {
        AZURE_AI_PROJECT_ID: "/subscriptions/sub-1/resourceGroups/rg-1/providers/" +
          "Microsoft.CognitiveServices/accounts/acct-1/projects/workshop",
      });
      await t.step("the run passes and says where it was recorded", () => {
        assert.equal(result.code, 0, result.stdout + result.stderr);
        assert.match(result.stdout, /Recorded in the Foundry project: eval .*eval_cli/);
        assert.match(result.stdout, /run evalrun_cli, completed \(2 passed, 0 failed of 2\)/);
        assert.match(
          result.stdout,
          /Evaluations: +https:\/\/ai\.azure\.com\/foundryProject\/evaluation\?wsid=\/subscriptions\/sub-1\//,
        );
      });
      await t.step("the token is asked for the Foundry resource and sent on every call", () => {
        const token = fake.seen.find((s) => s.path.startsWith("/msi/token"));
        assert.ok(token, "no token request");
        assert.equal(
          new URL(token.path, fake.origin).searchParams.get("resource"),
          "https://ai.azure.com",
        );
        const project = fake.seen.filter((s) => s.path.startsWith("/api/projects/workshop/"));
        assert.deepEqual(project.map((s) => `${s.method} ${s.path.replace(/\?.*/, "")}`), [
          "GET /api/projects/workshop/openai/v1/evals",
          "POST /api/projects/workshop/openai/v1/evals",
          "POST /api/projects/workshop/openai/v1/evals/eval_cli/runs",
        ]);
        for (const s of project) {
          assert.equal(s.headers.get("authorization"), "Bearer mi-token-for-https://ai.azure.com");
        }
      });
      await t.step("the run's rows carry the questions of the set", () => {
        const run = fake.seen.find((s) => s.path.endsWith("/runs"))!.body as {
          data_source: { source: { content: { item: { question: string } }[] } };
        };
        assert.deepEqual(
          run.data_source.source.content.map((c) => c.item.question).sort(),
          [
            "Is the stove I bought good at altitude?",
            "Which backpack suits a three-day hike?",
          ],
        );
      });
    });
  } finally {
    await fake.close();
  }
});

Deno.test("deno task eval --log-to-project exits 3 when the project refuses, keeping the run", async () => {
  const fake = stand_ins({ refuse: 403 });
  try {
    await withSet(async (data, runs) => {
      const result = await evalLoggingTo(fake, data, runs);
      assert.equal(result.code, 3, result.stdout + result.stderr);
      assert.match(result.stderr, /not recorded in the Foundry project: .*returned 403/);
      assert.match(result.stderr, /Azure AI User/);
      assert.match(result.stderr, /deno task eval --resume \S+ --log-to-project/);
      assert.match(result.stdout, /Run directory: /);
    });
  } finally {
    await fake.close();
  }
});
