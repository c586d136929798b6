/**
 * The provisioning defects of issue 14 that live in infra/, each pinned by what the template
 * does rather than how it is spelled: (1) Cosmos DB's data-plane role assignments are ordered
 * one after the other and after the container (dependency graph from dependsOn and references);
 * (2) a provision from a fresh azd environment keeps the running image (the image choice
 * evaluated across main.parameters.json, main.bicep, modules/existing_image.bicep and
 * modules/container_app.bicep); (6) every probe is within the Container Apps limits and the
 * startup budget is kept; (7) every file an infra/ comment names exists.
 */
import assert from "node:assert/strict";
import {
  arrayObjects,
  azdSubstitute,
  evaluate,
  moduleBlocks,
  outputExpression,
  properties,
  readInfra,
  references,
  resourceBlocks,
  varExpression,
} from "./_bicep.ts";

const ROOT = new URL("../", import.meta.url);
const SOURCES = readInfra();
const source = (file: string) => {
  const text = SOURCES.get(file);
  assert.ok(text, `infra/${file} exists`);
  return text;
};

/** Symbols each resource of a file waits for: explicit dependsOn, parent and references. */
function dependencies(file: string): Map<string, Set<string>> {
  const blocks = resourceBlocks(source(file));
  const symbols = blocks.map((b) => b.symbol);
  return new Map(blocks.map((b) => [b.symbol, new Set(references(b.body, symbols))]));
}

/** Whether `from` waits (transitively) for `to`. */
function waitsFor(graph: Map<string, Set<string>>, from: string, to: string): boolean {
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length) {
    const next = stack.pop()!;
    for (const dep of graph.get(next) ?? []) {
      if (dep === to) return true;
      if (!seen.has(dep)) (seen.add(dep), stack.push(dep));
    }
  }
  return false;
}

Deno.test("dependencies() reads dependsOn, parent and references, not words in strings or comments", () => {
  const sample = [
    "resource a 'X/y@1' = {",
    "  name: 'b c'",
    "  // waits for c? no, a comment",
    "}",
    "resource b 'X/y@1' = {",
    "  name: '${a.name}-b'",
    "}",
    "resource c 'X/y@1' = {",
    "  name: 'c'",
    "  dependsOn: [",
    "    b",
    "  ]",
    "}",
  ].join("\n");
  const blocks = resourceBlocks(sample);
  const graph = new Map(
    blocks.map((x) => [x.symbol, new Set(references(x.body, blocks.map((y) => y.symbol)))]),
  );
  assert.deepEqual([...graph.get("a")!], []);
  assert.deepEqual([...graph.get("b")!], ["a"]);
  assert.ok(waitsFor(graph, "c", "a"));
  assert.ok(!waitsFor(graph, "a", "c"));
});

Deno.test("defect 1: Cosmos DB's SQL role assignments run one after the other, after the container", async (t) => {
  // Every sqlRoleAssignments anywhere in infra/ (a new one added elsewhere is held too).
  const files = [...SOURCES.keys()].filter((f) =>
    resourceBlocks(source(f)).some((b) =>
      b.type === "Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments"
    )
  );
  assert.deepEqual(files, ["modules/cosmos.bicep"]);
  const blocks = resourceBlocks(source("modules/cosmos.bicep"));
  const graph = dependencies("modules/cosmos.bicep");
  const assignments = blocks.filter((b) =>
    b.type === "Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments"
  );
  const container = blocks.find((b) =>
    b.type === "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers"
  )!;
  assert.ok(assignments.length >= 2, "the app's and the learner's");

  await t.step("each assignment waits for the container", () => {
    for (const a of assignments) {
      assert.ok(waitsFor(graph, a.symbol, container.symbol), `${a.symbol} after the container`);
    }
  });
  await t.step("any two assignments are ordered (no two in flight at once)", () => {
    for (const a of assignments) {
      for (const b of assignments) {
        if (a === b) continue;
        assert.ok(
          waitsFor(graph, a.symbol, b.symbol) || waitsFor(graph, b.symbol, a.symbol),
          `${a.symbol} and ${b.symbol} may run concurrently`,
        );
      }
    }
  });
  await t.step("none is a loop (no batch to reorder)", () => {
    for (const a of assignments) assert.doesNotMatch(a.body, /^\s*for\s/m, a.symbol);
  });
  await t.step("the conditional learner assignment does not break the chain for the app", () => {
    // The learner's is the conditional one; it must come last so the app's never waits on a
    // resource that is skipped (a dependsOn on a skipped resource is allowed, but keep it simple).
    const conditional = assignments.filter((a) => a.condition);
    for (const c of conditional) {
      for (const other of assignments.filter((a) => !a.condition)) {
        assert.ok(waitsFor(graph, c.symbol, other.symbol), `${c.symbol} after ${other.symbol}`);
      }
    }
  });
});

Deno.test("defect 2: a provision keeps the running image unless azd names one", async (t) => {
  const parameters = JSON.parse(
    await Deno.readTextFile(new URL("infra/main.parameters.json", ROOT)),
  ).parameters as Record<string, { value: string }>;
  const main = source("main.bicep");
  const imageModule = source("modules/existing_image.bicep");
  const containerApp = source("modules/container_app.bicep");

  const modules = moduleBlocks(main);
  const fetcher = modules.find((m) => m.path === "modules/existing_image.bicep");
  assert.ok(fetcher, "main.bicep calls modules/existing_image.bicep");
  const app = modules.find((m) => m.path === "modules/container_app.bicep")!;
  const fetcherParams = properties(properties(fetcher.body).get("params")!.slice(1, -1));
  const appParams = properties(properties(app.body).get("params")!.slice(1, -1));
  const current = resourceBlocks(imageModule).find((b) => b.existing)!;
  const appResource = resourceBlocks(containerApp).find((b) =>
    b.type === "Microsoft.App/containerApps"
  )!;
  const container = arrayObjects(
    properties(properties(properties(appResource.body).get("properties")!.slice(1, -1))
      .get("template")!.slice(1, -1)).get("containers")!,
  )[0];
  const imageExpression = properties(container).get("image")!;
  const placeholder = evaluate(varExpression(containerApp, "placeholderImage")!, {});

  await t.step("the existing reference is to the app main.bicep deploys, and conditional", () => {
    assert.equal(current.type, "Microsoft.App/containerApps");
    assert.equal(current.condition, "exists");
    assert.equal(fetcherParams.get("appName"), appParams.get("appName"), "same app name");
    assert.equal(fetcherParams.get("exists"), "apiExists");
    assert.match(main, /^param apiExists bool = false$/m);
  });

  /** The image the Container App gets, as the templates compute it. */
  const imageFor = (env: Record<string, string>, running?: string) => {
    const apiImageName = azdSubstitute(parameters.apiImageName.value, env);
    const apiExists = azdSubstitute(parameters.apiExists.value, env) === "true";
    const moduleScope = {
      exists: evaluate(fetcherParams.get("exists")!, { apiExists }),
      // Not there unless it exists: a read of it on the first provision throws.
      current: apiExists
        ? { properties: { template: { containers: [{ image: running }] } } }
        : undefined,
    };
    const fetched = evaluate(outputExpression(imageModule, "image")!, moduleScope);
    const imageName = evaluate(appParams.get("imageName")!, {
      apiImageName,
      apiCurrentImage: { outputs: { image: fetched } },
    });
    return evaluate(imageExpression, { imageName, placeholderImage: placeholder });
  };
  const running = "crcontoso7q3.azurecr.io/contoso-chat/api-dev:azd-deploy-1764590000";

  await t.step("fresh azd environment (new Codespace), app exists: the running image stays", () => {
    assert.equal(imageFor({ SERVICE_API_RESOURCE_EXISTS: "true" }, running), running);
  });
  await t.step("azd names an image (deploy, or the same environment): that image", () => {
    const named = "crcontoso7q3.azurecr.io/contoso-chat/api-dev:azd-deploy-1764599999";
    assert.equal(
      imageFor({ SERVICE_API_RESOURCE_EXISTS: "true", SERVICE_API_IMAGE_NAME: named }, running),
      named,
    );
  });
  await t.step(
    "first provision (no app, variable unset): the placeholder, the app never read",
    () => {
      assert.equal(imageFor({}), placeholder);
      assert.equal(imageFor({ SERVICE_API_RESOURCE_EXISTS: "false" }), placeholder);
      assert.match(String(placeholder), /^mcr\.microsoft\.com\//);
    },
  );
  await t.step("the parameter comes from azd's own variable, false by default", () => {
    assert.equal(parameters.apiExists.value, "${SERVICE_API_RESOURCE_EXISTS=false}");
  });
});

/** Documented limits of a Container Apps probe (Microsoft.App/containerApps probe reference). */
const PROBE_LIMITS: Record<string, [number, number]> = {
  failureThreshold: [1, 10],
  periodSeconds: [1, 240],
  initialDelaySeconds: [1, 60],
  timeoutSeconds: [1, 240],
  successThreshold: [1, 10],
};

Deno.test("defect 6: every probe is within the documented limits; the startup budget is kept", async (t) => {
  const app = resourceBlocks(source("modules/container_app.bicep")).find((b) =>
    b.type === "Microsoft.App/containerApps"
  )!;
  const template = properties(properties(app.body).get("properties")!.slice(1, -1)).get(
    "template",
  )!;
  const container = arrayObjects(properties(template.slice(1, -1)).get("containers")!)[0];
  const probes = arrayObjects(properties(container).get("probes")!).map((p) => properties(p));
  assert.deepEqual(probes.map((p) => p.get("type")), ["'Startup'", "'Liveness'", "'Readiness'"]);

  for (const probe of probes) {
    await t.step(`${probe.get("type")} probe`, () => {
      for (const [field, [min, max]] of Object.entries(PROBE_LIMITS)) {
        if (!probe.has(field)) continue;
        const value = Number(probe.get(field));
        assert.ok(Number.isInteger(value), `${field} is a number literal`);
        assert.ok(value >= min && value <= max, `${field} ${value} outside ${min}-${max}`);
      }
      if (probe.get("type") !== "'Readiness'" && probe.has("successThreshold")) {
        assert.equal(probe.get("successThreshold"), "1", "must be 1 for startup and liveness");
      }
    });
  }
  await t.step("startup: still about a minute before a slow cold start is restarted", () => {
    const startup = probes[0];
    const number = (field: string, fallback: number) =>
      startup.has(field) ? Number(startup.get(field)) : fallback;
    // Defaults as documented: period 10 s, failureThreshold 3, initial delay 0.
    const budget = number("initialDelaySeconds", 0) +
      number("periodSeconds", 10) * number("failureThreshold", 3);
    assert.ok(budget >= 62, `startup budget ${budget} s, was 62 s (2 + 3 x 20)`);
    assert.ok(budget <= 120, `startup budget ${budget} s: a broken image should fail fast`);
  });
});

Deno.test("defect 7: every file infra/ names exists (and lib/azure/outputs.ts is gone)", async () => {
  const named = new Map<string, string>();
  for (const [file, text] of SOURCES) {
    // Comments and module paths alike: paths are relative to the repository, module paths
    // (modules/…) to infra/.
    const pattern =
      /\b((?:lib|tools|server|cli|tests|modules|infra|docs)\/[\w./-]*\.(?:ts|bicep|json|yaml|md))\b/g;
    for (const m of text.matchAll(pattern)) named.set(m[1], file);
  }
  assert.ok(named.size >= 3, `comments name files: ${[...named.keys()]}`);
  for (const [path, file] of named) {
    const url = path.startsWith("modules/") ? new URL(`infra/${path}`, ROOT) : new URL(path, ROOT);
    const exists = await Deno.stat(url).then(() => true, () => false);
    assert.ok(exists, `infra/${file} names ${path}, which does not exist`);
  }
  assert.ok(![...named.keys()].includes("lib/azure/outputs.ts"));
  assert.ok(named.has("lib/azure/infra.ts"), "main.bicep names the file DEPLOYMENT_OUTPUTS is in");
  const infra = await Deno.readTextFile(new URL("lib/azure/infra.ts", ROOT));
  assert.match(infra, /export const DEPLOYMENT_OUTPUTS/);
});
