/**
 * The container's command (the Dockerfile's CMD and ENV), run here without a Docker engine:
 * in production mode with the Azure variables missing it exits non-zero naming each of them;
 * with the variables pointed at local stand-ins (the offline model as the Azure OpenAI
 * endpoint, the embedded Cosmos DB server, a minimal Azure AI Search document-count endpoint;
 * the last two over HTTPS with a throw-away certificate, as the Azure SDKs insist) it serves
 * `/health` and `/ready`, then stops cleanly on SIGTERM.
 */
import assert from "node:assert/strict";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { CosmosClient } from "@azure/cosmos";
import { createHttpsServer } from "@vercel/cosmosdb-server";
import { Agent } from "node:https";
import type { AddressInfo } from "node:net";
import { AZURE_VARIABLES } from "../lib/mod.ts";
import { EMULATOR_KEY } from "../lib/customers/embedded_cosmos.ts";
import { EXIT } from "../lib/cli/exit.ts";
import { createOfflineFetch } from "../lib/models/offline/handler.ts";
import { openssl, selfSignedCertificate, type TestCertificate } from "./_azure_tls.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DOCKERFILE = await Deno.readTextFile(`${ROOT}Dockerfile`);

/** The image's CMD as an argv, and its ENV. */
function image(): { argv: string[]; env: Record<string, string> } {
  const cmd = DOCKERFILE.match(/^CMD\s+(\[.*\])\s*$/m);
  assert.ok(cmd, "exec-form CMD");
  const env: Record<string, string> = {};
  for (const block of DOCKERFILE.matchAll(/^ENV\s+((?:.*\\\n)*.*)$/gm)) {
    for (const [, k, v] of block[1].matchAll(/([A-Z_][A-Z0-9_]*)=(\S+)/g)) env[k] = v;
  }
  return { argv: JSON.parse(cmd[1]), env };
}

/** `promise`'s value, or `undefined` after `ms` (the timer is cleared either way). */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<undefined>((resolve) => timer = setTimeout(() => resolve(undefined), ms)),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function spawnContainer(vars: Record<string, string>) {
  const { argv, env } = image();
  assert.equal(argv[0], "deno");
  const base: Record<string, string> = {
    PATH: `${dirname(Deno.execPath())}:/usr/bin:/bin`,
    HOME: Deno.env.get("HOME") ?? "/tmp",
    NO_COLOR: "1",
  };
  for (const name of ["DENO_DIR", "XDG_CACHE_HOME"]) {
    const value = Deno.env.get(name);
    if (value) base[name] = value;
  }
  // Every azure variable explicitly empty, so a developer's .env cannot leak in.
  const unset = Object.fromEntries(AZURE_VARIABLES.map((n) => [n, ""]));
  return new Deno.Command(Deno.execPath(), {
    args: argv.slice(1),
    cwd: ROOT,
    clearEnv: true,
    env: { ...base, ...env, ...unset, ...vars },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  });
}

Deno.test("the container's command without the Azure variables exits 2 (bad configuration) naming each missing one", async () => {
  const out = await spawnContainer({}).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, EXIT.usage, stderr);
  for (const name of ["AZURE_OPENAI_ENDPOINT", "COSMOS_ENDPOINT", "AZURE_SEARCH_ENDPOINT"]) {
    assert.match(stderr, new RegExp(name));
  }
});

Deno.test("the container's command with local stand-ins serves /health and /ready", {
  ignore: openssl.ignore,
}, async () => {
  const dir = await Deno.makeTempDir();
  try {
    await runWithStandIns(await selfSignedCertificate(dir));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

async function runWithStandIns(tls: TestCertificate) {
  // Azure OpenAI: the offline model answers the Azure deployment routes.
  const offline = createOfflineFetch({ dimensions: 1536 });
  const models = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, (r) => offline(r));
  // Azure AI Search: the document count the readiness check asks for.
  const searchCalls: string[] = [];
  const search = Deno.serve({
    port: 0,
    hostname: "127.0.0.1",
    cert: tls.cert,
    key: tls.key,
    onListen() {},
  }, (request) => {
    const url = new URL(request.url);
    searchCalls.push(decodeURIComponent(url.pathname));
    if (decodeURIComponent(url.pathname) === "/indexes('contoso-products')/docs/$count") {
      return new Response("44", { headers: { "content-type": "text/plain" } });
    }
    return Response.json({ error: { code: "NotFound", message: url.pathname } }, { status: 404 });
  });
  // Cosmos DB: the embedded server, with the database and container infra/ would create.
  const cosmosServer = createHttpsServer({ cert: tls.cert, key: tls.key });
  await new Promise<void>((resolve) => cosmosServer.listen(0, "127.0.0.1", () => resolve()));
  const cosmosEndpoint = `https://127.0.0.1:${(cosmosServer.address() as AddressInfo).port}`;
  const admin = new CosmosClient({
    endpoint: cosmosEndpoint,
    key: EMULATOR_KEY,
    connectionPolicy: { enableEndpointDiscovery: false },
    agent: new Agent({ ca: tls.cert }),
  });
  const { database } = await admin.databases.createIfNotExists({ id: "contoso-outdoor" });
  await database.containers.createIfNotExists({ id: "customers", partitionKey: "/id" });

  const child = spawnContainer({
    PORT: "0",
    AZURE_OPENAI_ENDPOINT: `http://127.0.0.1:${models.addr.port}`,
    AZURE_OPENAI_API_KEY: "stand-in",
    AZURE_OPENAI_CHAT_DEPLOYMENT: "gpt-4.1-mini",
    AZURE_OPENAI_EMBEDDING_DEPLOYMENT: "text-embedding-3-small",
    AZURE_OPENAI_EVAL_DEPLOYMENT: "gpt-4.1",
    COSMOS_ENDPOINT: cosmosEndpoint,
    COSMOS_KEY: EMULATOR_KEY,
    AZURE_SEARCH_ENDPOINT: `https://127.0.0.1:${search.addr.port}`,
    AZURE_SEARCH_API_KEY: "stand-in",
    // Production refuses to start without authentication (docs/security.md).
    CONTOSO_API_KEYS: "stand-in-api-key-0123456789",
    NODE_EXTRA_CA_CERTS: tls.certFile,
  }).spawn();
  const stderrText = new Response(child.stderr).text();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let stdout = "";
  try {
    let port: number | undefined;
    const deadline = Date.now() + 60_000;
    while (port === undefined && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      stdout += value;
      port = Number(stdout.match(/"msg":"listening".*?"port":(\d+)/)?.[1]) || undefined;
    }
    assert.ok(
      port,
      `no "listening" log line:\n${stdout}\n${await Promise.race([stderrText, "…"])}`,
    );
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    assert.equal(health.status, 200);
    await health.body?.cancel();
    const ready = await fetch(`http://127.0.0.1:${port}/ready`);
    const body = await ready.json();
    assert.equal(ready.status, 200, JSON.stringify(body));
    assert.equal(body.status, "ready");
    assert.ok(
      searchCalls.some((p) => p.endsWith("/docs/$count")),
      "readiness asked the search stand-in",
    );
    child.kill("SIGTERM");
    assert.equal((await child.status).code, 0);
  } finally {
    // `deno task` forwards SIGTERM to the server it started; SIGKILL would orphan it.
    try {
      child.kill("SIGTERM");
    } catch { /* exited */ }
    const stopped = await within(child.status, 15_000);
    if (stopped === undefined) child.kill("SIGKILL");
    await reader.cancel().catch(() => {});
    await child.status;
    await within(stderrText, 2000);
    admin.dispose();
    cosmosServer.closeAllConnections?.();
    await new Promise<void>((resolve) => cosmosServer.close(() => resolve()));
    await models.shutdown();
    await search.shutdown();
  }
}
