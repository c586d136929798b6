import assert from "node:assert/strict";
import { entraIssuer, entraJwksUrl, parseAuthConfig } from "./auth.ts";

const TENANT = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a";

Deno.test("parseAuthConfig() reads API keys, Entra ID settings and the demo switch", async (t) => {
  await t.step("nothing configured: open in dev, demo routes on", () => {
    const { auth, problems } = parseAuthConfig({});
    assert.deepEqual(problems, []);
    assert.deepEqual(auth, { apiKeys: [], entra: undefined, demoRoutes: true, required: false });
  });
  await t.step("several keys, trimmed and without duplicates, the list first", () => {
    const { auth } = parseAuthConfig({
      CONTOSO_API_KEYS: " new-key-aaaaaaaaaaaa ,,old-key-bbbbbbbbbbbb",
      CONTOSO_API_KEY: "old-key-bbbbbbbbbbbb",
    });
    assert.deepEqual(auth.apiKeys, ["new-key-aaaaaaaaaaaa", "old-key-bbbbbbbbbbbb"]);
  });
  await t.step("a tenant id gives the v2.0 issuer and the tenant's keys", () => {
    const { auth, problems } = parseAuthConfig({
      CONTOSO_AUTH_TENANT_ID: TENANT,
      CONTOSO_AUTH_AUDIENCE: "api://contoso-chat, 0f1e2d3c-4b5a-4968-8776-655443322110",
      CONTOSO_AUTH_CUSTOMER_CLAIM: "customer_id",
    });
    assert.deepEqual(problems, []);
    assert.deepEqual(auth.entra, {
      tenantId: TENANT,
      issuers: [`https://login.microsoftonline.com/${TENANT}/v2.0`],
      audiences: ["api://contoso-chat", "0f1e2d3c-4b5a-4968-8776-655443322110"],
      jwksUrl: `https://login.microsoftonline.com/${TENANT}/discovery/v2.0/keys`,
      customerClaim: "customer_id",
    });
    assert.equal(entraIssuer(TENANT), auth.entra?.issuers[0]);
    assert.equal(entraJwksUrl(TENANT), auth.entra?.jwksUrl);
  });
  await t.step("issuer and JWKS URL override the tenant's (v1 tokens, a test server)", () => {
    const { auth, problems } = parseAuthConfig({
      CONTOSO_AUTH_AUDIENCE: "api://x",
      CONTOSO_AUTH_ISSUER: `https://sts.windows.net/${TENANT}/`,
      CONTOSO_AUTH_JWKS_URL: "http://127.0.0.1:9999/keys",
    });
    assert.deepEqual(problems, []);
    assert.deepEqual(auth.entra?.issuers, [`https://sts.windows.net/${TENANT}/`]);
    assert.equal(auth.entra?.jwksUrl, "http://127.0.0.1:9999/keys");
  });
  await t.step("every problem at once, named", () => {
    const { problems } = parseAuthConfig({
      CONTOSO_AUTH_TENANT_ID: "contoso.onmicrosoft.com",
      CONTOSO_AUTH_JWKS_URL: "http://keys.example.com/keys",
      CONTOSO_DEMO_ROUTES: "maybe",
    });
    const text = problems.join("\n");
    assert.match(text, /CONTOSO_AUTH_TENANT_ID must be a directory \(tenant\) id/);
    assert.match(text, /CONTOSO_AUTH_AUDIENCE is required/);
    assert.match(text, /CONTOSO_AUTH_JWKS_URL must be an https URL/);
    assert.match(text, /CONTOSO_DEMO_ROUTES must be true or false/);
  });
  await t.step("a customer claim without Entra ID is a mistake", () => {
    const { problems } = parseAuthConfig({ CONTOSO_AUTH_CUSTOMER_CLAIM: "customer_id" });
    assert.match(problems[0], /CONTOSO_AUTH_TENANT_ID and CONTOSO_AUTH_AUDIENCE/);
  });
});

Deno.test("parseAuthConfig({ requireAuth }) refuses production without a way to authenticate", async (t) => {
  await t.step("nothing: one problem naming the variables", () => {
    const { auth, problems } = parseAuthConfig({}, { requireAuth: true });
    assert.equal(problems.length, 1);
    for (const name of ["CONTOSO_API_KEYS", "CONTOSO_AUTH_TENANT_ID", "CONTOSO_AUTH_AUDIENCE"]) {
      assert.match(problems[0], new RegExp(name));
    }
    assert.equal(auth.demoRoutes, false);
    assert.equal(auth.required, true);
  });
  await t.step("short keys are refused in production, without showing them", () => {
    const { problems } = parseAuthConfig({ CONTOSO_API_KEYS: "abc123,pass" }, {
      requireAuth: true,
    });
    assert.equal(problems.length, 1);
    assert.match(problems[0], /2 key\(s\) shorter than 16/);
    assert.ok(!problems[0].includes("abc123"));
  });
  await t.step("Entra ID alone is enough; the demo routes only when asked", () => {
    const { auth, problems } = parseAuthConfig({
      CONTOSO_AUTH_TENANT_ID: TENANT,
      CONTOSO_AUTH_AUDIENCE: "api://contoso-chat",
      CONTOSO_DEMO_ROUTES: "yes",
    }, { requireAuth: true });
    assert.deepEqual(problems, []);
    assert.equal(auth.demoRoutes, true);
  });
});
