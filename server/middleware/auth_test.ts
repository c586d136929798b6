/**
 * Authentication of the API as a storefront backend and an attacker meet it: Entra ID bearer
 * tokens signed with `jose` against a JWKS server on loopback (rotation, unknown keys, expiry,
 * audience, issuer, missing claims, another customer), several API keys at once, and the demo
 * routes off in production. (`server/main.ts --production` refusing to start without any
 * authentication is a subprocess test: tests/server_main_test.ts.)
 *
 * @module
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { createSign, KeyObject } from "node:crypto";
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from "jose";
import { loadConfig } from "../../lib/config/load.ts";
import { createTestApp, FAKE_AZURE_ENV } from "../testing.ts";

const TENANT = "3b2c6d0e-8f41-4a7a-9c55-0e1f2a3b4c5d";
const ISSUER = `https://login.microsoftonline.com/${TENANT}/v2.0`;
const AUDIENCE = "api://contoso-chat-test";
const APP_ID = "6a1e0b7c-2d3f-4e5a-8b9c-0d1e2f3a4b5c";

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

async function newKey(kid: string) {
  const pair = await generateKeyPair("RS256", { extractable: true });
  const jwk = { ...(await exportJWK(pair.publicKey)), kid, alg: "RS256", use: "sig" };
  return { kid, pair, jwk };
}

/** A JWKS endpoint on loopback whose published keys a test changes; counts its fetches. */
function startJwksServer(initial: Record<string, unknown>[]) {
  let keys = initial;
  let fetches = 0;
  let failing = false;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    if (new URL(req.url).pathname !== "/discovery/v2.0/keys") {
      return new Response("no", { status: 404 });
    }
    fetches++;
    if (failing) return new Response("down", { status: 500 });
    return Response.json({ keys });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}/discovery/v2.0/keys`,
    publish(next: Record<string, unknown>[]) {
      keys = next;
    },
    fail(value: boolean) {
      failing = value;
    },
    get fetches() {
      return fetches;
    },
    close: () => server.shutdown(),
  };
}

interface TokenOptions {
  kid?: string;
  issuer?: string;
  audience?: string;
  subject?: string | null;
  expiresIn?: number | null;
  claims?: JWTPayload;
}

async function token(key: { kid: string; pair: KeyPair }, options: TokenOptions = {}) {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({ azp: "b5d1e6f7-0a1b-4c2d-9e3f-4a5b6c7d8e9f", ...options.claims })
    .setProtectedHeader({ alg: "RS256", kid: options.kid ?? key.kid, typ: "JWT" })
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? AUDIENCE)
    .setIssuedAt(now - 5)
    .setNotBefore(now - 5);
  if (options.subject !== null) jwt.setSubject(options.subject ?? "mi-storefront-object-id");
  if (options.expiresIn !== null) jwt.setExpirationTime(now + (options.expiresIn ?? 600));
  return await jwt.sign(key.pair.privateKey);
}

function ask(customerId: string, headers: Record<string, string> = {}) {
  return new Request("http://test/api/create_response", {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ question: "Which tent did I buy?", customer_id: customerId }),
  });
}

const bearer = (value: string) => ({ authorization: `Bearer ${value}` });

async function errorOf(res: Response) {
  assert.match(res.headers.get("content-type") ?? "", /application\/json/);
  const body = await res.json();
  assert.equal(typeof body.error?.message, "string");
  return body.error as { code: string; message: string };
}

function entraEnv(jwksUrl: string, extra: Record<string, string> = {}) {
  return {
    CONTOSO_AUTH_TENANT_ID: TENANT,
    CONTOSO_AUTH_AUDIENCE: `${AUDIENCE},${APP_ID}`,
    CONTOSO_AUTH_JWKS_URL: jwksUrl,
    ...extra,
  };
}

Deno.test("authenticate() validates Entra ID tokens against the tenant's JWKS", async (t) => {
  const current = await newKey("key-2026-a");
  const stranger = await newKey("key-2026-a"); // same kid, another key: a forged signature
  const jwks = startJwksServer([current.jwk]);
  try {
    const { app } = createTestApp({
      env: entraEnv(jwks.url, { CONTOSO_AUTH_CUSTOMER_CLAIM: "customer_id" }),
    });

    await t.step("a valid token is 200, and the keys are fetched once", async () => {
      const first = await app.request(ask("1", bearer(await token(current))));
      assert.equal(first.status, 200, await first.clone().text());
      const second = await app.request(
        ask("10", bearer(await token(current, { audience: APP_ID }))),
      );
      assert.equal(second.status, 200);
      assert.equal(jwks.fetches, 1);
    });

    const cases: [string, TokenOptions | (() => Promise<string>), RegExp][] = [
      ["wrong audience", { audience: "api://another-api" }, /audience/],
      ["wrong issuer", { issuer: "https://login.microsoftonline.com/other/v2.0" }, /issued/],
      ["v1 issuer of the same tenant", { issuer: `https://sts.windows.net/${TENANT}/` }, /issued/],
      ["expired", { expiresIn: -300 }, /expired/],
      ["no expiry", { expiresIn: null }, /exp claim/],
      ["no subject", { subject: null }, /sub claim/],
      ["forged signature", () => token(stranger), /signature/],
      ["customer claim not one value", { claims: { customer_id: ["1", "2"] } }, /customer_id/],
      ["customer claim empty", { claims: { customer_id: "" } }, /customer_id claim is empty/],
      ["customer claim null", { claims: { customer_id: null } }, /customer_id claim is empty/],
    ];
    for (const [name, options, message] of cases) {
      await t.step(`${name} is 401 with a JSON error and a Bearer challenge`, async () => {
        const value = typeof options === "function"
          ? await options()
          : await token(current, options);
        const res = await app.request(ask("1", bearer(value)));
        assert.equal(res.status, 401);
        const error = await errorOf(res);
        assert.equal(error.code, "unauthorized");
        assert.match(error.message, message);
        assert.match(res.headers.get("www-authenticate") ?? "", /^Bearer .*error="invalid_token"/);
        assert.ok(!error.message.includes(value.slice(0, 20)), "the token is not echoed");
      });
    }

    await t.step("an HS256 token keyed with anything is 401", async () => {
      const value = await new SignJWT({})
        .setProtectedHeader({ alg: "HS256", kid: current.kid })
        .setIssuer(ISSUER).setAudience(AUDIENCE).setSubject("x").setExpirationTime("5m")
        .sign(new TextEncoder().encode("a-shared-secret-guessed-by-an-attacker"));
      const res = await app.request(ask("1", bearer(value)));
      assert.equal(res.status, 401);
      assert.match((await errorOf(res)).message, /algorithm/);
    });

    await t.step("no credential and a non-Bearer scheme are 401", async () => {
      const none = await app.request(ask("1"));
      assert.equal(none.status, 401);
      assert.match((await errorOf(none)).message, /Entra ID access token/);
      assert.equal(none.headers.get("www-authenticate"), 'Bearer realm="contoso-chat"');
      const basic = await app.request(ask("1", { authorization: "Basic dXNlcjpwYXNz" }));
      assert.equal(basic.status, 401);
      assert.match((await errorOf(basic)).message, /"Basic"/);
      const pasted = await app.request(ask("1", { authorization: "sk_live_0a9b8c7d6e5f4a3b2c1d" }));
      assert.equal(pasted.status, 401);
      assert.doesNotMatch((await errorOf(pasted)).message, /sk_live/);
      const keyOnly = await app.request(ask("1", { "x-api-key": "some-key-0123456789abcdef" }));
      assert.equal(keyOnly.status, 401);
      assert.match((await errorOf(keyOnly)).message, /API keys are not accepted here/);
      const opaque = await app.request(ask("1", bearer("not-a-token-and-no-keys")));
      assert.equal(opaque.status, 401);
    });

    await t.step("a token naming a customer acts only for that customer", async () => {
      const own = await token(current, { claims: { customer_id: "2" } });
      assert.equal((await app.request(ask("2", bearer(own)))).status, 200);
      const other = await app.request(ask("1", bearer(own)));
      assert.equal(other.status, 403);
      const error = await errorOf(other);
      assert.equal(error.code, "forbidden");
      assert.ok(!/Sarah|Lee/.test(error.message));
      const streamed = await app.request(
        new Request(
          "http://test/api/create_response?question=Hi&customer_id=1&chat_history=%5B%5D",
          {
            method: "POST",
            headers: { accept: "text/event-stream", ...bearer(own) },
          },
        ),
      );
      assert.equal(streamed.status, 403, "the workshop's query form, streamed, is refused too");
      assert.match((await errorOf(streamed)).message, /only act for its own customer/);
      const numeric = await token(current, { claims: { customer_id: 10 } });
      assert.equal((await app.request(ask("10", bearer(numeric)))).status, 200);
      const list = await app.request("/api/customers", { headers: bearer(own) });
      assert.equal(list.status, 403);
      assert.equal((await errorOf(list)).code, "forbidden");
    });

    await t.step("a token naming no customer (the storefront backend) acts for any", async () => {
      const service = await token(current);
      assert.equal((await app.request(ask("2", bearer(service)))).status, 200);
      const list = await app.request("/api/customers", { headers: bearer(service) });
      assert.equal(list.status, 200);
    });

    await t.step("health and the API document stay public", async () => {
      assert.equal((await app.request("/health")).status, 200);
      assert.equal((await app.request("/openapi.json")).status, 200);
    });
  } finally {
    await jwks.close();
  }
});

/** An access token built by hand with node:crypto, shaped like the ones Entra ID v2.0 issues. */
function handMadeEntraToken(privateKey: CryptoKey, claims: Record<string, unknown>) {
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const header = { typ: "JWT", alg: "RS256", kid: "hand-made-1", x5t: "hand-made-1" };
  const payload = {
    aud: APP_ID,
    iss: ISSUER,
    iat: now - 60,
    nbf: now - 60,
    exp: now + 3600,
    aio: "k2BgYFj7-opaque",
    azp: "0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
    azpacr: "2",
    idtyp: "app",
    oid: "7e6d5c4b-3a29-4180-9f7e-6d5c4b3a2918",
    rh: "0.opaque.",
    roles: ["Chat.ActForAnyCustomer"],
    sub: "7e6d5c4b-3a29-4180-9f7e-6d5c4b3a2918",
    tid: TENANT,
    uti: "opaque-uti",
    ver: "2.0",
    ...claims,
  };
  const input = `${b64(header)}.${b64(payload)}`;
  const signature = createSign("RSA-SHA256").update(input).sign(
    KeyObject.from(privateKey),
  ).toString("base64url");
  return `${input}.${signature}`;
}

Deno.test("authenticate() accepts an Entra-shaped token signed without jose (node:crypto)", async (t) => {
  const key = await newKey("hand-made-1");
  const jwks = startJwksServer([key.jwk]);
  try {
    const { app } = createTestApp({
      env: entraEnv(jwks.url, { CONTOSO_AUTH_SERVICE_ROLE: "Chat.ActForAnyCustomer" }),
    });
    await t.step("a managed identity's app token with the service role is 200", async () => {
      const res = await app.request(ask("2", bearer(handMadeEntraToken(key.pair.privateKey, {}))));
      assert.equal(res.status, 200, await res.clone().text());
    });
    await t.step("an audience list that includes this API is accepted", async () => {
      const value = handMadeEntraToken(key.pair.privateKey, { aud: ["api://elsewhere", AUDIENCE] });
      assert.equal((await app.request(ask("2", bearer(value)))).status, 200);
    });
    await t.step("one flipped payload byte breaks the signature", async () => {
      const [h, p, sig] = handMadeEntraToken(key.pair.privateKey, {}).split(".");
      const json = Buffer.from(p, "base64url").toString().replace('"ver":"2.0"', '"ver":"2.1"');
      const tampered = `${h}.${Buffer.from(json).toString("base64url")}.${sig}`;
      const res = await app.request(ask("2", bearer(tampered)));
      assert.equal(res.status, 401);
      assert.match((await errorOf(res)).message, /signature/);
    });
  } finally {
    await jwks.close();
  }
});

Deno.test("authenticate() follows a key rotation and refuses keys the tenant never published", async (t) => {
  const old = await newKey("rotating-1");
  const next = await newKey("rotating-2");
  const never = await newKey("never-published");
  const jwks = startJwksServer([old.jwk]);
  try {
    await t.step("an unknown key id refetches the JWKS and finds the new key", async () => {
      const { app } = createTestApp({
        env: entraEnv(jwks.url),
        authOptions: { jwksCooldownMs: 0, jwksCacheMaxAgeMs: 1_500 },
      });
      assert.equal((await app.request(ask("1", bearer(await token(old))))).status, 200);
      assert.equal(jwks.fetches, 1);
      jwks.publish([old.jwk, next.jwk]);
      const rotated = await app.request(ask("1", bearer(await token(next))));
      assert.equal(rotated.status, 200, await rotated.clone().text());
      assert.equal(jwks.fetches, 2);
      const unknown = await app.request(ask("1", bearer(await token(never))));
      assert.equal(unknown.status, 401);
      assert.match((await errorOf(unknown)).message, /key the tenant does not publish/);
      jwks.publish([next.jwk]); // the old key retired: refused once the cached keys are stale
      await new Promise((resolve) => setTimeout(resolve, 1_600));
      const retired = await app.request(ask("1", bearer(await token(old))));
      assert.equal(retired.status, 401);
    });

    await t.step(
      "made-up key ids do not make the server hammer the tenant (cooldown)",
      async () => {
        const { app } = createTestApp({ env: entraEnv(jwks.url) });
        const before = jwks.fetches;
        assert.equal((await app.request(ask("1", bearer(await token(next))))).status, 200);
        for (let i = 0; i < 5; i++) {
          const res = await app.request(
            ask("1", bearer(await token(never, { kid: `made-up-${i}` }))),
          );
          assert.equal(res.status, 401);
        }
        assert.equal(jwks.fetches - before, 1);
      },
    );

    await t.step("an unreachable JWKS is 503, not the caller's 401", async () => {
      jwks.fail(true);
      const { app } = createTestApp({ env: entraEnv(jwks.url) });
      const res = await app.request(ask("1", bearer(await token(next))));
      assert.equal(res.status, 503);
      assert.equal((await errorOf(res)).code, "upstream_error");
      jwks.fail(false);
    });
  } finally {
    await jwks.close();
  }
});

Deno.test("authenticate() with a service role: a token must name a customer or carry the role", async (t) => {
  const key = await newKey("role-key");
  const jwks = startJwksServer([key.jwk]);
  try {
    const { app } = createTestApp({
      env: entraEnv(jwks.url, {
        CONTOSO_AUTH_CUSTOMER_CLAIM: "extension_CustomerId",
        CONTOSO_AUTH_SERVICE_ROLE: "Chat.ActForAnyCustomer",
      }),
    });
    await t.step("missing claim and role is 403", async () => {
      const res = await app.request(ask("1", bearer(await token(key, { claims: { roles: [] } }))));
      assert.equal(res.status, 403);
      const error = await errorOf(res);
      assert.equal(error.code, "forbidden");
      assert.match(error.message, /extension_CustomerId/);
      assert.match(error.message, /Chat\.ActForAnyCustomer/);
    });
    await t.step("the role acts for any customer; the claim for its own", async () => {
      const service = await token(key, { claims: { roles: ["Chat.ActForAnyCustomer"] } });
      assert.equal((await app.request(ask("10", bearer(service)))).status, 200);
      const customer = await token(key, { claims: { extension_CustomerId: "1" } });
      assert.equal((await app.request(ask("1", bearer(customer)))).status, 200);
      assert.equal((await app.request(ask("2", bearer(customer)))).status, 403);
    });
  } finally {
    await jwks.close();
  }
});

Deno.test("authenticate() accepts several API keys at once, so a key rotates without downtime", async (t) => {
  const oldKey = "ck_live_old_4f9d2a7b1c6e8035";
  const newKey1 = "ck_live_new_a83e51c07d9b2f64";
  const { app, logger } = createTestApp({
    env: { CONTOSO_API_KEYS: ` ${newKey1} , `, CONTOSO_API_KEY: oldKey },
  });
  await t.step("each configured key is 200, as x-api-key or Bearer", async () => {
    assert.equal((await app.request(ask("1", { "x-api-key": newKey1 }))).status, 200);
    assert.equal((await app.request(ask("1", { "x-api-key": oldKey }))).status, 200);
    assert.equal((await app.request(ask("1", bearer(oldKey)))).status, 200);
  });
  await t.step("a wrong, truncated or extended key is 401", async () => {
    for (const wrong of [newKey1.slice(0, -1), `${newKey1}x`, newKey1.toUpperCase(), "x"]) {
      const res = await app.request(ask("1", { "x-api-key": wrong }));
      assert.equal(res.status, 401);
      assert.equal((await errorOf(res)).message, "The API key is not valid");
    }
  });
  await t.step("a JWT-shaped bearer is not a token when Entra ID is not configured", async () => {
    const res = await app.request(ask("1", bearer("eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl")));
    assert.equal(res.status, 401);
  });
  await t.step("after rotation the retired key is refused", async () => {
    const { app: rotated } = createTestApp({ env: { CONTOSO_API_KEYS: newKey1 } });
    assert.equal((await rotated.request(ask("1", { "x-api-key": newKey1 }))).status, 200);
    assert.equal((await rotated.request(ask("1", { "x-api-key": oldKey }))).status, 401);
  });
  await t.step("the log names which key matched, never the key", () => {
    const text = JSON.stringify(logger.records);
    assert.ok(!text.includes(oldKey) && !text.includes(newKey1));
    assert.match(text, /api-key#1/);
  });
});

Deno.test("demoRoutes(): the customer list and the chat page are off in production unless enabled", async (t) => {
  const key = "ck_prod_7c2e9a41d05b8f36";
  await t.step("production default: 404, as if absent, even with a valid key", async () => {
    const config = loadConfig({ ...FAKE_AZURE_ENV, CONTOSO_API_KEYS: key }, { requireAzure: true });
    const { app } = createTestApp({ config });
    for (const path of ["/api/customers", "/chat", "/chat/app.js"]) {
      const res = await app.request(path, { headers: { "x-api-key": key } });
      assert.equal(res.status, 404, path);
      assert.equal((await errorOf(res)).code, "not_found");
    }
    assert.equal((await app.request(ask("1", { "x-api-key": key }))).status, 200);
    assert.equal((await app.request(ask("1"))).status, 401);
  });
  await t.step("CONTOSO_DEMO_ROUTES=true turns them on, still behind authentication", async () => {
    const config = loadConfig(
      { ...FAKE_AZURE_ENV, CONTOSO_API_KEYS: key, CONTOSO_DEMO_ROUTES: "true" },
      { requireAzure: true },
    );
    const { app } = createTestApp({ config });
    assert.equal((await app.request("/chat")).status, 200);
    assert.equal((await app.request("/api/customers")).status, 401);
    const list = await app.request("/api/customers", { headers: { "x-api-key": key } });
    assert.equal(list.status, 200);
  });
  await t.step("dev default: on", async () => {
    const { app } = createTestApp();
    assert.equal((await app.request("/api/customers")).status, 200);
    assert.equal((await app.request("/chat")).status, 200);
  });
});
