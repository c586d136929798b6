/**
 * `deno task eval --target URL`: the endpoint adapter on a fake `fetch` (the request it sends,
 * the API's errors mapped to UpstreamError, its own bounded retries reported through
 * `onRetry`, its timeout), and end to end against the real server listening on a loopback
 * port: the target run scores the same rows — the same answers and the same text scores — as
 * the in-process run, and a wrong API key fails every row.
 *
 * @module
 */
import { deepEqual, equal, ok as assert, rejects, throws } from "node:assert/strict";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig } from "../lib/config/load.ts";
import { UpstreamError } from "../lib/errors.ts";
import { createEndpointTarget, targetBaseUrl } from "../lib/evaluate/endpoint_target.ts";
import type { RowResult } from "../lib/evaluate/types.ts";
import { codeEvaluators } from "../lib/evaluate/code_evaluators.ts";
import type { RetryInfo } from "../lib/models/retry.ts";
import { createRuntime } from "../lib/runtime/mod.ts";
import { createApp, runtimeDeps } from "../server/app.ts";
import { createMemoryLogger } from "../server/logger.ts";
import { startServer } from "../server/serve.ts";

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));

/** The embedded defaults, whatever the developer's `.env` says. */
const OFFLINE_ENV = {
  AZURE_OPENAI_ENDPOINT: "",
  OPENAI_BASE_URL: "",
  OPENAI_API_KEY: "",
  COSMOS_ENDPOINT: "",
  AZURE_SEARCH_ENDPOINT: "",
  CONTOSO_API_KEY: "",
  NO_COLOR: "1",
};

const apiError = (status: number, code: string, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ error: { code, message: `Fake ${code}` } }), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });

const CODE_METRICS = new Set(codeEvaluators().map((e) => e.name));
const withoutCode = (scores: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(scores).filter(([name]) => !CODE_METRICS.has(name)));

Deno.test("createEndpointTarget() speaks POST /api/create_response", async (t) => {
  await t.step("the request: JSON body, API key header, the answer mapped back", async () => {
    const seen: { url: string; init: RequestInit }[] = [];
    const target = createEndpointTarget("http://10.1.2.3:8000/", {
      apiKey: "s3cret",
      fetch: (url, init) => {
        seen.push({ url: String(url), init: init! });
        return Promise.resolve(Response.json({
          question: "Is it waterproof?",
          answer: "Yes, to 3000 mm.",
          context: [{
            id: "p9",
            kind: "product",
            productId: "9",
            title: "Alpine Jacket",
            url: "/products/9",
            content: "Waterproof to 3000 mm.",
          }],
        }));
      },
    });
    equal(target.url, "http://10.1.2.3:8000");
    const response = await target.getResponse({
      customerId: "12",
      question: "Is it waterproof?",
      chatHistory: [{ role: "user", content: "I have the Alpine Jacket." }],
    });
    equal(seen.length, 1);
    equal(seen[0].url, "http://10.1.2.3:8000/api/create_response");
    equal(seen[0].init.method, "POST");
    const headers = new Headers(seen[0].init.headers);
    equal(headers.get("x-api-key"), "s3cret");
    equal(headers.get("content-type"), "application/json");
    deepEqual(JSON.parse(String(seen[0].init.body)), {
      question: "Is it waterproof?",
      customer_id: "12",
      chat_history: [{ role: "user", content: "I have the Alpine Jacket." }],
    });
    equal(response.answer, "Yes, to 3000 mm.");
    deepEqual(response.context.map((c) => [c.id, c.kind, c.productId]), [["p9", "product", "9"]]);
  });

  await t.step("429 with Retry-After and 503 are retried, each retry reported", async () => {
    const replies = [
      apiError(429, "rate_limited", { "retry-after": "0" }),
      apiError(503, "upstream_error"),
      Response.json({ question: "q", answer: "a", context: [] }),
    ];
    let sends = 0;
    const target = createEndpointTarget("http://127.0.0.1:1", {
      baseDelayMs: 0,
      fetch: () => Promise.resolve(replies[sends++]),
    });
    const retries: RetryInfo[] = [];
    const response = await target.getResponse({
      customerId: "1",
      question: "q",
      onRetry: (i) => retries.push(i),
    });
    equal(response.answer, "a");
    equal(sends, 3);
    deepEqual(retries.map((r) => [r.attempt, r.error.status]), [[1, 429], [2, 503]]);
    equal(retries[0].delayMs, 0, "Retry-After: 0 honoured");
  });

  await t.step("a persistent 429: 1 + maxRetries sends, then the error", async () => {
    let sends = 0;
    const target = createEndpointTarget("http://127.0.0.1:1", {
      maxRetries: 2,
      fetch:
        () => (sends++, Promise.resolve(apiError(429, "rate_limited", { "retry-after": "0" }))),
    });
    await rejects(target.getResponse({ customerId: "1", question: "q" }), (e: unknown) => {
      assert(e instanceof UpstreamError);
      equal(e.status, 429);
      equal(e.service, "endpoint");
      return true;
    });
    equal(sends, 3);
  });

  await t.step(
    "400, 401 and 404 are not retried; the API's code and message are kept",
    async () => {
      for (
        const [status, code] of [[400, "invalid_request"], [401, "unauthorized"], [
          404,
          "not_found",
        ]] as const
      ) {
        let sends = 0;
        const target = createEndpointTarget("http://127.0.0.1:1", {
          fetch: () => (sends++, Promise.resolve(apiError(status, code))),
        });
        await rejects(target.getResponse({ customerId: "1", question: "q" }), (e: unknown) => {
          assert(e instanceof UpstreamError);
          equal(e.status, status);
          equal(e.isRetryable, false);
          equal(e.message, `The endpoint returned HTTP ${status} (${code}: Fake ${code})`);
          return true;
        });
        equal(sends, 1, `${status}`);
      }
    },
  );

  await t.step("a connection failure is retryable; a timeout is a 504", async () => {
    let sends = 0;
    const down = createEndpointTarget("http://127.0.0.1:1", {
      maxRetries: 1,
      baseDelayMs: 0,
      fetch: () => (sends++, Promise.reject(new TypeError("connection refused"))),
    });
    await rejects(
      down.getResponse({ customerId: "1", question: "q" }),
      /Cannot reach the endpoint/,
    );
    equal(sends, 2);
    const slow = createEndpointTarget("http://127.0.0.1:1", {
      timeoutMs: 20,
      fetch: (_url, init) =>
        new Promise((_resolve, reject) =>
          init!.signal!.addEventListener("abort", () => reject(init!.signal!.reason))
        ),
    });
    await rejects(slow.getResponse({ customerId: "1", question: "q" }), (e: unknown) => {
      assert(e instanceof UpstreamError);
      equal(e.status, 504);
      return true;
    });
  });

  await t.step("targetBaseUrl() takes http(s) URLs only", () => {
    equal(targetBaseUrl("https://chat.example.net/"), "https://chat.example.net");
    for (const bad of ["ftp://x", "localhost:8000", ""]) {
      throws(() => targetBaseUrl(bad), TypeError);
    }
  });
});

async function runCli(args: string[]) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(ROOT, "cli/eval.ts"), ...args],
    cwd: ROOT,
    env: OFFLINE_ENV,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

async function results(stdout: string): Promise<RowResult[]> {
  const dir = /Run directory: (\S+)/.exec(stdout)?.[1];
  assert(dir, stdout);
  const text = await Deno.readTextFile(join(dir, "results.jsonl"));
  return text.trim().split("\n").map((l) => JSON.parse(l) as RowResult)
    .sort((a, b) => a.index - b.index);
}

Deno.test({
  name: "deno task eval --target scores the same rows as the in-process run",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const tmp = await Deno.makeTempDir();
    const data = join(tmp, "target.jsonl");
    const lines = (await Deno.readTextFile(join(ROOT, "data/eval/test.jsonl"))).trim().split("\n");
    // rows from across the set, not just its start
    await Deno.writeTextFile(data, [0, 5, 11, 17].map((i) => lines[i]).join("\n") + "\n");
    const config = loadConfig({ ...OFFLINE_ENV, CONTOSO_API_KEY: "target-test-key" });
    const runtime = await createRuntime(config, { env: OFFLINE_ENV });
    const app = createApp(runtimeDeps(runtime, {
      config,
      logger: createMemoryLogger(),
    }));
    const server = startServer(app, {
      port: 0,
      hostname: "127.0.0.1",
      logger: createMemoryLogger(),
    });
    const url = `http://127.0.0.1:${server.addr.port}`;
    const common = ["--data", data, "--runs-dir", join(tmp, "runs"), "--min", "f1=0"];
    try {
      const local = await runCli(common);
      equal(local.code, 0, local.stderr + local.stdout);
      const remote = await runCli([...common, "--target", url, "--api-key", "target-test-key"]);
      equal(remote.code, 0, remote.stderr + remote.stdout);
      assert(remote.stdout.includes(`target ${url}`), remote.stdout);

      await t.step("same answers, same context, same text scores", async () => {
        const a = await results(local.stdout);
        const b = await results(remote.stdout);
        equal(a.length, 4);
        equal(b.length, 4);
        for (let i = 0; i < a.length; i++) {
          equal(b[i].status, "ok");
          equal(b[i].answer, a[i].answer, `row ${a[i].id}`);
          deepEqual(b[i].context?.map((c) => c.id), a[i].context?.map((c) => c.id));
          // Code metrics measure the call (latency, tokens the endpoint does not report, cost):
          // they differ by design; every text and safety score must be the same.
          deepEqual(withoutCode(b[i].scores), withoutCode(a[i].scores), `row ${a[i].id}`);
          equal(b[i].scores.has_citation?.value, a[i].scores.has_citation?.value);
        }
      });

      await t.step(
        "the fingerprint records the target; compare would tell the runs apart",
        async () => {
          const dirOf = (s: string) => /Run directory: (\S+)/.exec(s)![1];
          const summaryOf = async (s: string) =>
            JSON.parse(await Deno.readTextFile(join(dirOf(s), "summary.json")));
          const a = await summaryOf(local.stdout);
          const b = await summaryOf(remote.stdout);
          equal(a.fingerprint.target, undefined);
          equal(b.fingerprint.target, url);
          equal(b.fingerprint.models.chat.backend, "endpoint");
          equal(a.fingerprint.dataset, b.fingerprint.dataset);
        },
      );

      await t.step("a wrong API key fails every row with 401 (exit 1)", async () => {
        const r = await runCli([...common, "--target", url, "--api-key", "wrong"]);
        equal(r.code, 1, r.stderr + r.stdout);
        assert(r.stdout.includes("Gate: 0 of 4 rows answered, 4 failed"), r.stdout);
        assert(r.stdout.includes("The endpoint returned HTTP 401 (unauthorized"), r.stdout);
      });
    } finally {
      await server.shutdown();
      await runtime.close();
      await Deno.remove(tmp, { recursive: true });
    }
  },
});
