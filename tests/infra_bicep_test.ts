/**
 * Review of infra/ without a Bicep compiler (none is installable here): the files are well
 * formed (balanced brackets, module calls pass exactly the parameters the modules declare), every
 * resource type and API version is the one lib/azure's plan prints and is named in its file's
 * header, nothing uses keys (local auth off everywhere, no list*() calls, no admin user), and the
 * Container App has its identity, probes and scale rule. Also azure.yaml, the Dockerfile and
 * .dockerignore.
 */
import assert from "node:assert/strict";
import { parse as parseYaml } from "yaml";
import { INFRA_RESOURCES } from "../lib/mod.ts";

const ROOT = new URL("../", import.meta.url);
const INFRA = new URL("infra/", ROOT);
const FILES = [
  "main.bicep",
  ...[...Deno.readDirSync(new URL("modules/", INFRA))].map((e) => `modules/${e.name}`).sort(),
];
const SOURCES = new Map(FILES.map((f) => [f, Deno.readTextFileSync(new URL(f, INFRA))]));

/**
 * Source without comments and string contents (so brackets in text do not count). One pass, left
 * to right, so `//` inside a string ('https://…') is not taken for a comment, nor a quote inside
 * a comment for a string.
 */
function code(source: string): string {
  return source.replace(
    /'(?:[^'\\]|\\.)*'|\/\/.*$|\/\*[\s\S]*?\*\//gm,
    (token) => token.startsWith("'") ? "''" : "",
  );
}

function resources(source: string): { symbol: string; type: string; apiVersion: string }[] {
  return [...source.matchAll(/^\s*resource\s+(\w+)\s+'([^'@]+)@([^']+)'/gm)].map((m) => ({
    symbol: m[1],
    type: m[2],
    apiVersion: m[3],
  }));
}

function params(source: string): { name: string; required: boolean }[] {
  return [...source.matchAll(/^param\s+(\w+)\s+\w+(\s*=)?/gm)].map((m) => ({
    name: m[1],
    required: !m[2],
  }));
}

/** The body of `{ … }` starting at the first `{` at or after `from`. */
function block(source: string, from: number): string {
  const open = source.indexOf("{", from);
  let depth = 0;
  for (let i = open; i < source.length; i++) {
    if (source[i] === "{") depth++;
    if (source[i] === "}" && --depth === 0) return source.slice(open + 1, i);
  }
  throw new Error("unbalanced braces");
}

Deno.test("infra/*.bicep: brackets balance in every file", () => {
  for (const [file, source] of SOURCES) {
    const stripped = code(source);
    for (const [open, close] of [["{", "}"], ["[", "]"], ["(", ")"]]) {
      let depth = 0;
      for (const ch of stripped) {
        if (ch === open) depth++;
        if (ch === close) depth--;
        assert.ok(depth >= 0, `${file}: unexpected ${close}`);
      }
      assert.equal(depth, 0, `${file}: unclosed ${open}`);
    }
  }
});

Deno.test("infra/main.bicep: each module exists and gets exactly the parameters it declares (all required ones)", () => {
  const main = SOURCES.get("main.bicep")!;
  const calls = [...main.matchAll(/^module\s+(\w+)\s+'([^']+)'\s*=/gm)];
  assert.ok(calls.length >= 7);
  for (const call of calls) {
    const file = call[2];
    const module = SOURCES.get(file);
    assert.ok(module, `${file} exists`);
    const body = block(main, call.index!);
    const passed = [...block(body, body.indexOf("params:")).matchAll(/^\s{4}(\w+)\s*:/gm)]
      .map((m) => m[1]);
    const declared = params(module);
    for (const name of passed) {
      assert.ok(declared.some((p) => p.name === name), `${file} has no param ${name}`);
    }
    for (const p of declared.filter((p) => p.required)) {
      assert.ok(passed.includes(p.name), `${call[1]} does not pass required ${p.name}`);
    }
  }
});

Deno.test("infra/: every parameter is used", () => {
  for (const [file, source] of SOURCES) {
    const stripped = code(source);
    for (const { name } of params(source)) {
      const uses = stripped.match(new RegExp(`\\b${name}\\b`, "g"))?.length ?? 0;
      assert.ok(uses >= 2, `${file}: param ${name} is never used`);
    }
  }
});

Deno.test("infra/: resource types and API versions are those lib/azure prints, each named in its file's header", () => {
  const seen = new Set<string>();
  for (const [file, source] of SOURCES) {
    const header = source.slice(0, source.search(/^(targetScope|param|@)/m));
    for (const r of resources(source)) {
      const known = INFRA_RESOURCES.find((k) => k.type === r.type);
      assert.ok(known, `${file}: ${r.type} is missing from INFRA_RESOURCES`);
      assert.equal(r.apiVersion, known.apiVersion, `${file}: ${r.type}`);
      assert.ok(
        header.includes(r.apiVersion) && header.includes(r.type.split("/").at(-1)!),
        `${file}: header must name ${r.type} ${r.apiVersion}`,
      );
      seen.add(r.type);
    }
  }
  assert.deepEqual(
    INFRA_RESOURCES.map((r) => r.type).filter((t) => !seen.has(t)),
    [],
    "INFRA_RESOURCES lists types infra/ does not declare",
  );
  // Only GA versions, except diagnostic settings (whose newest version is a preview).
  for (const r of INFRA_RESOURCES) {
    if (r.type !== "Microsoft.Insights/diagnosticSettings") {
      assert.match(r.apiVersion, /^\d{4}-\d{2}-\d{2}$/, r.type);
    }
  }
});

Deno.test("infra/: no keys anywhere — local auth off, no list*() calls, no admin user, no key outputs", () => {
  const all = [...SOURCES.values()].join("\n");
  assert.doesNotMatch(code(all), /\blist\w*\(/, "no listKeys()/listSecrets()/listCredentials()");
  assert.doesNotMatch(all, /sharedKey|accountKey|primaryKey|adminUserEnabled:\s*true/);
  const expectations: [string, RegExp][] = [
    ["modules/ai.bicep", /disableLocalAuth:\s*true/],
    ["modules/cosmos.bicep", /disableLocalAuth:\s*true/],
    ["modules/search.bicep", /disableLocalAuth:\s*true/],
    ["modules/monitoring.bicep", /DisableLocalAuth:\s*true/],
    ["modules/registry.bicep", /adminUserEnabled:\s*false/],
    ["modules/registry.bicep", /anonymousPullEnabled:\s*false/],
  ];
  for (const [file, pattern] of expectations) assert.match(SOURCES.get(file)!, pattern, file);
  assert.doesNotMatch(code(SOURCES.get("modules/search.bicep")!), /authOptions/);
  assert.doesNotMatch(SOURCES.get("main.bicep")!, /^output\s+\w*(KEY|PASSWORD)\w*\s/m);
});

Deno.test("infra/: the app's identity and the learner get data-plane roles on each service", () => {
  const roles: [string, string[]][] = [
    ["modules/ai.bicep", ["5e0bd9bd-7b93-4f28-af87-19fc36ad61bd"]], // Cognitive Services OpenAI User
    ["modules/cosmos.bicep", ["00000000-0000-0000-0000-000000000002"]], // Cosmos DB Data Contributor
    ["modules/search.bicep", [
      "1407120a-92aa-4202-b7e9-c0e197c71c8f", // Search Index Data Reader (app)
      "8ebe5a00-799e-43f5-93ac-243d3dce84a7", // Search Index Data Contributor (learner)
      "7ca78c08-252a-4471-8644-bb5ff32d4ba0", // Search Service Contributor (learner: creates the index)
    ]],
    ["modules/registry.bicep", ["7f951dda-4ed3-4680-a7ca-43fe172d538d"]], // AcrPull
    ["modules/monitoring.bicep", ["3913510d-42f4-4e42-8a64-420c390055eb"]], // Monitoring Metrics Publisher
    ["modules/foundry.bicep", ["53ca6127-db72-4b80-b1b0-d745d6d5456d"]], // Azure AI User (project)
  ];
  for (const [file, ids] of roles) {
    const source = SOURCES.get(file)!;
    for (const id of ids) assert.ok(source.includes(id), `${file}: role ${id}`);
    assert.match(source, /principalId:\s*appPrincipalId/, `${file}: app identity`);
    assert.match(
      source,
      /if \(!empty\(userPrincipalId\)\)|empty\(userPrincipalId\) \?/,
      `${file}: learner role only when AZURE_PRINCIPAL_ID is set`,
    );
  }
});

Deno.test("infra/: Cosmos DB is serverless with contoso-outdoor/customers on /id; Search has the free semantic ranker", () => {
  const cosmos = SOURCES.get("modules/cosmos.bicep")!;
  assert.match(cosmos, /EnableServerless/);
  assert.match(cosmos, /paths:\s*\[\s*'\/id'\s*\]/);
  const main = SOURCES.get("main.bicep")!;
  assert.match(main, /var databaseName = 'contoso-outdoor'/);
  assert.match(main, /var containerName = 'customers'/);
  assert.match(main, /param searchSku string = 'basic'/);
  assert.match(SOURCES.get("modules/search.bicep")!, /semanticSearch:\s*'free'/);
  assert.match(SOURCES.get("modules/ai.bicep")!, /@batchSize\(1\)/);
});

Deno.test("infra/: the Container App runs as the identity, with probes on /health and /ready and an HTTP scale rule", () => {
  const app = SOURCES.get("modules/container_app.bicep")!;
  assert.match(app, /type:\s*'UserAssigned'/);
  assert.match(app, /registries:[\s\S]*identity:\s*identityId/);
  assert.match(app, /'azd-service-name':\s*serviceName/);
  for (
    const [type, path] of [["Startup", "/health"], ["Liveness", "/health"], ["Readiness", "/ready"]]
  ) {
    assert.match(
      app,
      new RegExp(`type: '${type}'[\\s\\S]*?path: '${path.replace("/", "\\/")}'`),
      type,
    );
  }
  assert.match(app, /concurrentRequests:/);
  assert.match(app, /param targetPort int = 8000/);
  assert.match(SOURCES.get("main.bicep")!, /serviceName: 'api'/);
});

Deno.test("azure.yaml: the api service is built remotely from the Dockerfile for Container Apps; hooks exist", async () => {
  const project = parseYaml(await Deno.readTextFile(new URL("azure.yaml", ROOT)));
  assert.equal(project.infra.path, "infra");
  assert.equal(project.infra.module, "main");
  const api = project.services.api;
  assert.equal(api.host, "containerapp");
  assert.equal(api.docker.path, "Dockerfile");
  assert.equal(api.docker.remoteBuild, true);
  for (const hook of ["postprovision", "postdeploy"]) {
    for (const os of ["posix", "windows"]) {
      assert.equal(project.hooks[hook][os].run, `deno run -A tools/azure/hooks.ts ${hook}`);
    }
  }
  await Deno.stat(new URL("tools/azure/hooks.ts", ROOT));
});

Deno.test("Dockerfile: the Deno image of this Deno version, dependencies in their own layer, non-root, deno task serve", async () => {
  const docker = await Deno.readTextFile(new URL("Dockerfile", ROOT));
  const from = docker.match(/^FROM denoland\/deno:(\S+)/m);
  assert.ok(from, "FROM denoland/deno");
  assert.equal(
    from[1],
    Deno.version.deno,
    "image pins the Deno version the project is tested with",
  );
  const lockCopy = docker.indexOf("COPY --chown=deno:deno deno.json deno.lock");
  const install = docker.indexOf("RUN deno install --frozen");
  const codeCopy = docker.indexOf("COPY --chown=deno:deno lib/");
  assert.ok(lockCopy > 0 && lockCopy < install && install < codeCopy, "deps layer before the code");
  assert.ok(docker.indexOf("USER deno") < install, "runs as the non-root deno user");
  assert.match(docker, /^CMD \["deno", "task", "serve"\]$/m);
  assert.match(docker, /PORT=8000/);
  const ignore = (await Deno.readTextFile(new URL(".dockerignore", ROOT))).split("\n");
  assert.equal(ignore.find((l) => l.trim() && !l.startsWith("#")), "*", "deny by default");
  for (const dir of ["lib/", "server/", "prompts/", "data/"]) {
    assert.ok(ignore.includes(`!${dir}`), dir);
    assert.match(docker, new RegExp(`COPY --chown=deno:deno ${dir} ${dir}`));
  }
  assert.ok(
    !ignore.some((l) => l.includes(".env") && l.startsWith("!")),
    ".env never enters the image",
  );
});
