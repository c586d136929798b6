/**
 * The contract between the app's configuration and infra/: every variable lib/config reads
 * with `azure: true` is an output of infra/main.bicep and is set on the Container App, and the
 * reverse; the secret one is a Container Apps secret; the deployment tooling's few extra outputs
 * are declared in lib/azure. Names are read from the Bicep source.
 */
import assert from "node:assert/strict";
import { ALLOWED_REGIONS, AZURE_VARIABLES, DEPLOYMENT_OUTPUTS, VARIABLES } from "../lib/mod.ts";

const INFRA = new URL("../infra/", import.meta.url);
const main = await Deno.readTextFile(new URL("main.bicep", INFRA));
const containerApp = await Deno.readTextFile(new URL("modules/container_app.bicep", INFRA));

/** Names declared by `output NAME type = …` lines. */
function outputs(bicep: string): string[] {
  return [...bicep.matchAll(/^output\s+([A-Za-z_][A-Za-z0-9_]*)\s+\w+\s*=/gm)].map((m) => m[1]);
}

/** Keys of a top-level `var NAME = { … }` object literal. */
function objectKeys(bicep: string, name: string): string[] {
  const start = bicep.search(new RegExp(`^var\\s+${name}\\s*=\\s*\\{`, "m"));
  assert.ok(start >= 0, `var ${name} not found`);
  const end = bicep.indexOf("\n}", start);
  return [...bicep.slice(start, end).matchAll(/^\s{2}([A-Z_][A-Z0-9_]*)\s*:/gm)].map((m) => m[1]);
}

const sorted = (names: readonly string[]) => [...names].sort();

Deno.test("infra/main.bicep outputs exactly the azure variables plus the declared deployment outputs", () => {
  const declared = outputs(main);
  assert.equal(new Set(declared).size, declared.length, "an output is declared twice");
  const tooling = DEPLOYMENT_OUTPUTS.map((o) => o.name);
  assert.deepEqual(
    tooling.filter((n) => AZURE_VARIABLES.includes(n)),
    [],
    "tooling outputs are not app config",
  );
  assert.deepEqual(sorted(declared), sorted([...AZURE_VARIABLES, ...tooling]));
});

Deno.test("every azure variable lib/config reads is an output (the other direction, named)", () => {
  const declared = new Set(outputs(main));
  const missing = AZURE_VARIABLES.filter((n) => !declared.has(n));
  assert.deepEqual(missing, [], `variables the app reads but infra/ does not output: ${missing}`);
  const extra = [...declared].filter((n) =>
    !AZURE_VARIABLES.includes(n) && !DEPLOYMENT_OUTPUTS.some((o) => o.name === n)
  );
  assert.deepEqual(extra, [], `outputs nobody reads: ${extra}`);
});

Deno.test("the Container App's environment is exactly the azure variables; the secret ones as secrets", () => {
  const plain = objectKeys(main, "appSettings");
  const secret = objectKeys(main, "appSecretSettings");
  assert.deepEqual(plain.filter((n) => secret.includes(n)), []);
  assert.deepEqual(sorted([...plain, ...secret]), sorted(AZURE_VARIABLES));
  const secretVariables = VARIABLES.filter((v) => v.azure && v.secret).map((v) => v.name);
  assert.deepEqual(sorted(secret), sorted(secretVariables));
  // Both objects reach the container: main passes them, the module turns them into env.
  assert.match(main, /environmentVariables:\s*union\(appSettings, appAuthSettings\)/);
  assert.match(main, /secretEnvironmentVariables:\s*union\(appSecretSettings, appAuthSecrets\)/);
  assert.match(containerApp, /items\(environmentVariables\)/);
  assert.match(containerApp, /items\(secretEnvironmentVariables\)/);
  assert.match(containerApp, /env:\s*concat\(plainEnv,\s*secretEnv\)/);
  assert.match(containerApp, /secretRef:/);
  assert.match(containerApp, /@secure\(\)\s*\nparam secretEnvironmentVariables object/);
});

Deno.test("the Container App gets the authentication settings; the API keys only as a secret, never an output", () => {
  const plain = objectKeys(main, "appAuthSettings");
  const known = new Map(VARIABLES.map((v) => [v.name, v]));
  for (const name of plain) {
    assert.ok(known.has(name), `${name} is a variable lib/config reads`);
    assert.equal(known.get(name)!.azure, false, `${name} is the operator's, not an output`);
    assert.ok(!known.get(name)!.secret, `${name} is not secret`);
  }
  // Without keys or an audience production cannot start: both reach the container.
  assert.ok(plain.includes("CONTOSO_AUTH_AUDIENCE") && plain.includes("CONTOSO_AUTH_TENANT_ID"));
  assert.match(
    main,
    /var appAuthSecrets = empty\(apiKeys\) \? \{\} : \{ CONTOSO_API_KEYS: apiKeys \}/,
  );
  assert.match(main, /@secure\(\)\s*\nparam apiKeys string = ''/);
  assert.doesNotMatch(main, /^output\s.*\bapiKeys\b/m);
  assert.ok(!outputs(main).some((name) => name.startsWith("CONTOSO_")));
});

Deno.test("each app setting and its output carry the same value expression", () => {
  const settingValue = (name: string) =>
    main.match(new RegExp(`^\\s{2}${name}:\\s*(.+)$`, "m"))?.[1].trim();
  const outputValue = (name: string) =>
    main.match(new RegExp(`^output\\s+${name}\\s+\\w+\\s*=\\s*(.+)$`, "m"))?.[1].trim();
  for (const name of AZURE_VARIABLES) {
    assert.ok(outputValue(name), `output ${name}`);
    assert.equal(settingValue(name), outputValue(name), name);
  }
});

Deno.test("the allowed regions of infra/main.bicep are lib/azure's ALLOWED_REGIONS", () => {
  const block = main.match(/@allowed\(\[([^\]]*)\]\)\s*param location string/);
  assert.ok(block, "@allowed on location");
  const regions = [...block[1].matchAll(/'([a-z0-9]+)'/g)].map((m) => m[1]);
  assert.deepEqual(regions, [...ALLOWED_REGIONS]);
});

Deno.test("main.parameters.json sets only parameters main.bicep declares, from azd variables", async () => {
  const parameters = JSON.parse(
    await Deno.readTextFile(new URL("main.parameters.json", INFRA)),
  ).parameters as Record<string, { value: string }>;
  const declared = [...main.matchAll(/^param\s+(\w+)\s/gm)].map((m) => m[1]);
  for (const [name, { value }] of Object.entries(parameters)) {
    assert.ok(declared.includes(name), `parameter ${name} is not declared`);
    assert.match(value, /^\$\{[A-Z_]+(=[^}]*)?\}$/, `${name} comes from an azd variable`);
  }
  for (const required of ["environmentName", "location", "principalId", "apiImageName"]) {
    assert.ok(required in parameters, required);
  }
  assert.equal(parameters.environmentName.value, "${AZURE_ENV_NAME}");
  assert.equal(parameters.location.value, "${AZURE_LOCATION}");
  assert.equal(parameters.principalId.value, "${AZURE_PRINCIPAL_ID}");
  assert.equal(parameters.apiImageName.value, "${SERVICE_API_IMAGE_NAME=}");
});
