/**
 * The composition root as a learner and a container run it: `server/main.ts --dev` (the
 * `deno task start` of the quick start) serves the chat page and answers the original query
 * parameters and a JSON body on the embedded defaults, then stops cleanly on SIGTERM;
 * `--production` without the Azure configuration exits 2 naming every missing variable, and
 * with it but without authentication exits 2 naming what to set.
 *
 * @module
 */
import assert from "node:assert/strict";
import { fileURLToPath as fromFileUrl } from "node:url";
import { loadConfig } from "../lib/mod.ts";
import { formatBanner } from "../server/banner.ts";
import { FAKE_AZURE_ENV } from "../server/testing.ts";
import { outputReader, unconfiguredEnv } from "./_deno_task.ts";

const ROOT = fromFileUrl(new URL("..", import.meta.url));
const MAIN = fromFileUrl(new URL("../server/main.ts", import.meta.url));

/** Empty values win over a developer's `.env`, so these tests always see "not configured". */
function mainCommand(args: string[], env: Record<string, string>) {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--unstable-no-legacy-abort", MAIN, ...args],
    cwd: ROOT,
    env: unconfiguredEnv(env),
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  });
}

Deno.test("formatBanner() names each part's backend and the page URLs, never a secret", () => {
  const config = loadConfig({
    CONTOSO_API_KEY: "banner-secret-1",
    OPENAI_BASE_URL: "http://localhost:11434/v1",
    OPENAI_API_KEY: "banner-secret-2",
  });
  const text = formatBanner({
    mode: "dev",
    version: "1.2.3",
    config,
    url: "http://localhost:8000",
  });
  assert.match(text, /Contoso Chat 1\.2\.3 \(dev mode\)/);
  assert.match(text, /chat model\s+OpenAI-compatible/i);
  assert.match(text, /customers\s+embedded Cosmos DB server/);
  assert.match(text, /products\s+embedded hybrid index/);
  assert.match(text, /Chat page\s+http:\/\/localhost:8000\/chat/);
  assert.match(text, /API docs\s+http:\/\/localhost:8000\/docs/);
  assert.match(text, /requires the API key/);
  assert.ok(!text.includes("banner-secret"));
  const codespace = formatBanner({
    mode: "dev",
    version: "1",
    config: loadConfig({}),
    url: "http://localhost:8000",
    publicUrl: "https://name-8000.app.github.dev",
  });
  assert.match(codespace, /Chat page\s+https:\/\/name-8000\.app\.github\.dev\/chat/);
});

Deno.test("main.ts --production without Azure configuration exits 2 naming every missing variable", async (t) => {
  await t.step("nothing configured", async () => {
    const out = await mainCommand(["--production"], {}).output();
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 2, stderr);
    for (const name of ["AZURE_OPENAI_ENDPOINT", "COSMOS_ENDPOINT", "AZURE_SEARCH_ENDPOINT"]) {
      assert.match(stderr, new RegExp(name));
    }
    assert.ok(!/\bat .+:\d+:\d+/.test(stderr), "no stack trace");
  });
  await t.step("only the endpoint of Azure OpenAI", async () => {
    const out = await mainCommand(["--production"], {
      AZURE_OPENAI_ENDPOINT: "https://example.openai.azure.com",
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 2);
    assert.match(stderr, /AZURE_OPENAI_CHAT_DEPLOYMENT/);
    assert.match(stderr, /AZURE_OPENAI_EMBEDDING_DEPLOYMENT/);
    assert.match(stderr, /COSMOS_ENDPOINT/);
    assert.match(stderr, /AZURE_SEARCH_ENDPOINT/);
  });
  await t.step("unknown arguments exit 2 with the usage", async () => {
    const out = await mainCommand(["--prod"], {}).output();
    assert.equal(out.code, 2);
    assert.match(new TextDecoder().decode(out.stderr), /Usage:/);
  });
});

Deno.test("main.ts --dev serves the chat page and the API on embedded defaults, stops on SIGTERM", async () => {
  const child = mainCommand(["--dev"], { PORT: "0" }).spawn();
  const output = outputReader(child.stdout);
  const readUntil = output.readUntil;
  const stderrText = new Response(child.stderr).text();
  try {
    const [, base] = await readUntil(/Chat page\s+(http:\/\/localhost:\d+)\/chat/);
    assert.match(output.text(), /API docs\s+http:\/\/localhost:\d+\/docs/);
    assert.match(output.text(), /customers\s+embedded Cosmos DB server/);

    const page = await fetch(`${base}/chat`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<select id="customer"/);

    const qs = new URLSearchParams({
      question: "Which tent is best for rain?",
      customer_id: "1",
      chat_history: "[]",
    });
    const byQuery = await fetch(`${base}/api/create_response?${qs}`, { method: "POST" });
    assert.equal(byQuery.status, 200);
    const a = await byQuery.json();
    assert.equal(a.question, "Which tent is best for rain?");
    assert.ok(a.answer.length > 0 && a.context.length > 0);

    const byJson = await fetch(`${base}/api/create_response`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ question: "Hiking boots?", customerId: "2", chat_history: [] }),
    });
    assert.equal(byJson.status, 200);
    assert.ok((await byJson.json()).answer.length > 0);

    child.kill("SIGTERM");
    const status = await child.status;
    await readUntil(/"msg":"stopped"/, 10_000);
    const stdoutLines = output.text().split("\n");
    assert.equal(status.code, 0, await stderrText);
    const stopped = stdoutLines.find((l) => l.includes('"msg":"stopped"'));
    assert.equal(JSON.parse(stopped!).graceful, true);
    // Logs are JSON lines with no question or answer text.
    const logs = stdoutLines.filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
    assert.ok(logs.some((l) => l.msg === "request" && l.path === "/api/create_response"));
    assert.ok(!output.text().includes("Which tent is best for rain"));
    assert.ok(!output.text().includes(a.answer.slice(0, 40)));
  } finally {
    try {
      child.kill("SIGKILL");
    } catch { /* already exited */ }
    await output.cancel();
    await child.status;
    await stderrText;
  }
});

Deno.test("main.ts --production with the Azure variables but no authentication exits 2 naming what to set", async () => {
  const caller = await Deno.makeTempDir({ prefix: "contoso-auth-" });
  try {
    const out = await mainCommand(["--production"], { ...FAKE_AZURE_ENV, INIT_CWD: caller })
      .output();
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 2, stderr);
    assert.match(stderr, /Authentication is required in production/);
    for (const name of ["CONTOSO_API_KEYS", "CONTOSO_AUTH_TENANT_ID", "CONTOSO_AUTH_AUDIENCE"]) {
      assert.match(stderr, new RegExp(name));
    }
    // Only authentication is missing: the Azure variables are not reported.
    assert.doesNotMatch(stderr, /AZURE_OPENAI_ENDPOINT|COSMOS_ENDPOINT is required/);
    assert.doesNotMatch(stderr, /\bat .+:\d+:\d+/, "no stack trace");
    assert.doesNotMatch(new TextDecoder().decode(out.stdout), /listening/);
  } finally {
    await Deno.remove(caller, { recursive: true });
  }
});
