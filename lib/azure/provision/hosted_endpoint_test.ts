import assert from "node:assert/strict";
import { createFakeRunner } from "../runner.ts";
import { deploySmoke, hostedEndpoint } from "./hosted_endpoint.ts";

const KEY_A = "learner-key-0123456789";
const KEY_B = "azd-env-key-9876543210";
const KEY_C = "after-deploy-key-55555";

Deno.test("hostedEndpoint() takes each of URL and key from the environment, then the azd values", async (t) => {
  await t.step("both from the environment", () => {
    assert.deepEqual(
      hostedEndpoint(
        { SERVICE_API_URI: "http://localhost:8000", CONTOSO_API_KEY: KEY_A },
        { SERVICE_API_URI: "https://ca-api.example.test", CONTOSO_API_KEY: KEY_B },
      ),
      { url: "http://localhost:8000", apiKey: KEY_A },
    );
  });
  await t.step("the URL from azd, the key from the environment", () => {
    assert.deepEqual(
      hostedEndpoint({ CONTOSO_API_KEYS: KEY_A }, {
        SERVICE_API_URI: "https://ca-api.example.test",
      }),
      { url: "https://ca-api.example.test", apiKey: KEY_A },
    );
  });
  await t.step("nothing known", () => {
    assert.deepEqual(hostedEndpoint({}), { url: undefined, apiKey: undefined });
  });
});

Deno.test("deploySmoke() takes the API key from the environment, then the azd values", async (t) => {
  const runner = createFakeRunner();
  await t.step("the environment's first accepted key wins", () => {
    const { smoke } = deploySmoke("dev", {
      runner,
      env: { CONTOSO_API_KEYS: `${KEY_A},${KEY_C}` },
      values: { CONTOSO_API_KEY: KEY_B },
    });
    assert.equal(smoke.apiKey, KEY_A);
  });
  await t.step("else the azd environment's", () => {
    const { smoke } = deploySmoke("dev", { runner, env: {}, values: { CONTOSO_API_KEY: KEY_B } });
    assert.equal(smoke.apiKey, KEY_B);
  });
  await t.step("else none", () => {
    assert.equal(deploySmoke("dev", { runner, env: {} }).smoke.apiKey, undefined);
  });
});

Deno.test("deploySmoke() reads the endpoint from the named azd environment after deploying", async (t) => {
  await t.step("its SERVICE_API_URI, and a key when none was known", async () => {
    const runner = createFakeRunner({
      "azd env get-values": {
        stdout: `AZURE_LOCATION="swedencentral"\nSERVICE_API_URI="https://ca-api.example.test"\n` +
          `CONTOSO_API_KEYS="${KEY_C}"\n`,
      },
    });
    const { smoke, resolveSmokeUrl } = deploySmoke("workshop-7", { runner, cwd: "/repo", env: {} });
    assert.equal(await resolveSmokeUrl(), "https://ca-api.example.test");
    assert.deepEqual(runner.commandLines(), ["azd env get-values --environment workshop-7"]);
    assert.equal(runner.calls[0].cwd, "/repo");
    assert.equal(smoke.apiKey, KEY_C);
  });
  await t.step("a known key is kept", async () => {
    const runner = createFakeRunner({
      "azd env get-values": { stdout: `CONTOSO_API_KEYS="${KEY_C}"\n` },
    });
    const { smoke, resolveSmokeUrl } = deploySmoke("dev", {
      runner,
      env: { CONTOSO_API_KEY: KEY_A },
    });
    assert.equal(await resolveSmokeUrl(), undefined);
    assert.equal(smoke.apiKey, KEY_A);
  });
  await t.step("no URL when azd fails", async () => {
    const runner = createFakeRunner({ "azd env get-values": { code: 1, stderr: "no env" } });
    assert.equal(await deploySmoke("gone", { runner, env: {} }).resolveSmokeUrl(), undefined);
  });
});
