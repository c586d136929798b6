/**
 * Contract: the Cosmos DB customer store (`createCosmosCustomerStore`) against the documented
 * REST shape of a point read, at the HTTP boundary: a tiny fake Cosmos DB server (Deno.serve on
 * 127.0.0.1:0) records every request and answers with recorded responses. A read is `GET
 * /dbs/{db}/colls/{coll}/docs/{id}` with `x-ms-documentdb-partitionkey: ["<id>"]` (partition key
 * `/id`); key auth signs it `type=master`, keyless auth sends `type=aad` with the Entra ID token.
 * And the shared CustomerStore contract, keyless over HTTPS against the Cosmos DB server on
 * loopback standing in for Azure.
 *
 * @module
 */
import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { CosmosClient } from "@azure/cosmos";
import type { AccessToken, TokenCredential } from "@azure/identity";
import {
  createCosmosCustomerStore,
  EMULATOR_KEY,
  NotFoundError,
  UpstreamError,
} from "../lib/mod.ts";
import { createHttpsServer } from "@vercel/cosmosdb-server";
import { Agent } from "node:https";
import type { AddressInfo } from "node:net";
import { testCustomerStoreContract } from "../lib/customers/store_contract.ts";
import { openssl, selfSignedCertificate } from "./_azure_tls.ts";

const recorded = (name: string) =>
  Deno.readTextFileSync(new URL(`./testdata/azure/${name}`, import.meta.url));

interface SeenRequest {
  method: string;
  path: string;
  headers: Headers;
}

/**
 * A fake Cosmos DB account: serves the recorded customer "1", a recorded 404 for other ids, and
 * `throttleFirst` recorded 429s before that.
 */
function startFakeCosmos(options: { throttleFirst?: number } = {}) {
  const seen: SeenRequest[] = [];
  let throttles = options.throttleFirst ?? 0;
  const headers = {
    "content-type": "application/json",
    "x-ms-request-charge": "1",
    "x-ms-activity-id": "00000000-0000-0000-0000-000000000001",
  };
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    const path = decodeURIComponent(new URL(request.url).pathname);
    seen.push({ method: request.method, path, headers: request.headers });
    if (throttles > 0) {
      throttles--;
      return new Response(recorded("cosmos_throttled_429.json"), {
        status: 429,
        headers: { ...headers, "x-ms-retry-after-ms": "1", "x-ms-substatus": "3200" },
      });
    }
    const doc = /^\/dbs\/([^/]+)\/colls\/([^/]+)\/docs\/([^/]+)$/.exec(path);
    if (request.method === "GET" && doc?.[3] === "1") {
      return new Response(recorded("cosmos_customer_document.json"), {
        headers: { ...headers, etag: '"0b00c1a4-0000-0700-0000-6833a5b10000"' },
      });
    }
    return new Response(recorded("cosmos_not_found.json"), { status: 404, headers });
  });
  return {
    endpoint: `http://127.0.0.1:${server.addr.port}`,
    seen,
    close: () => server.shutdown(),
  };
}

const maya = JSON.parse(recorded("cosmos_customer_document.json"));

Deno.test("Cosmos point read with a key: GET docs/<id> with the partition key header", async () => {
  const cosmos = startFakeCosmos();
  const client = new CosmosClient({
    endpoint: cosmos.endpoint,
    key: EMULATOR_KEY,
    connectionPolicy: { enableEndpointDiscovery: false },
  });
  try {
    const store = await createCosmosCustomerStore(client, {
      database: "contoso-outdoor",
      container: "customers",
    });
    const customer = await store.get("1");
    equal(cosmos.seen.length, 1, "a point read is one request");
    const [read] = cosmos.seen;
    equal(read.method, "GET");
    equal(read.path, "/dbs/contoso-outdoor/colls/customers/docs/1");
    equal(read.headers.get("x-ms-documentdb-partitionkey"), '["1"]');
    const auth = decodeURIComponent(read.headers.get("authorization") ?? "");
    ok(auth.startsWith("type=master&ver=1.0&sig="), auth);
    ok(read.headers.get("x-ms-date"), "the signature covers x-ms-date");
    ok(/^\d{4}-\d{2}-\d{2}$/.test(read.headers.get("x-ms-version") ?? ""));

    // The domain record has no Cosmos system properties.
    const { _rid: _1, _self: _2, _etag: _3, _attachments: _4, _ts: _5, ...expected } = maya;
    deepEqual(customer, expected);
    ok(!Object.keys(customer).some((k) => k.startsWith("_")));
  } finally {
    client.dispose();
    await cosmos.close();
  }
});

Deno.test("Cosmos point read of an unknown id is a NotFoundError", async () => {
  const cosmos = startFakeCosmos();
  const client = new CosmosClient({
    endpoint: cosmos.endpoint,
    key: EMULATOR_KEY,
    connectionPolicy: { enableEndpointDiscovery: false },
  });
  try {
    const store = await createCosmosCustomerStore(client, {
      database: "contoso-outdoor",
      container: "customers",
    });
    await rejects(
      store.get("42"),
      (e: Error) => e instanceof NotFoundError && e.message === 'Cannot find customer "42"',
    );
    equal(cosmos.seen[0].path, "/dbs/contoso-outdoor/colls/customers/docs/42");
    equal(cosmos.seen[0].headers.get("x-ms-documentdb-partitionkey"), '["42"]');
  } finally {
    client.dispose();
    await cosmos.close();
  }
});

Deno.test("Cosmos throttling (429 with x-ms-retry-after-ms) is retried by the client", async () => {
  const cosmos = startFakeCosmos({ throttleFirst: 2 });
  const client = new CosmosClient({
    endpoint: cosmos.endpoint,
    key: EMULATOR_KEY,
    connectionPolicy: { enableEndpointDiscovery: false },
  });
  try {
    const store = await createCosmosCustomerStore(client, {
      database: "contoso-outdoor",
      container: "customers",
    });
    equal((await store.get("1")).firstName, "Maya");
    equal(cosmos.seen.length, 3);
  } finally {
    client.dispose();
    await cosmos.close();
  }
});

Deno.test("Cosmos point read cached for the TTL: one request for repeated reads", async () => {
  const cosmos = startFakeCosmos();
  const client = new CosmosClient({
    endpoint: cosmos.endpoint,
    key: EMULATOR_KEY,
    connectionPolicy: { enableEndpointDiscovery: false },
  });
  try {
    const store = await createCosmosCustomerStore(client, {
      database: "contoso-outdoor",
      container: "customers",
      cacheTtlMs: 60_000,
    });
    const first = await store.get("1");
    first.firstName = "Mutated";
    equal((await store.get("1")).firstName, "Maya", "callers get copies");
    equal(cosmos.seen.length, 1);
  } finally {
    client.dispose();
    await cosmos.close();
  }
});

Deno.test("Cosmos keyless: authorization is type=aad with the Entra ID token", async () => {
  const cosmos = startFakeCosmos();
  const scopes: string[] = [];
  const credential: TokenCredential = {
    getToken(scope: string | string[]): Promise<AccessToken> {
      scopes.push(...[scope].flat());
      return Promise.resolve({
        token: "cosmos-entra-token",
        expiresOnTimestamp: Date.now() + 3600e3,
      });
    },
  };
  // The SDK refuses bearer tokens over plain http, so the account is addressed by its https
  // URL and the client's httpClient carries each request to the fake server instead.
  const forward = {
    async sendRequest(request: {
      url: string;
      method: string;
      headers: { toJSON(): Record<string, string> };
    }) {
      const url = new URL(request.url);
      const res = await fetch(`${cosmos.endpoint}${url.pathname}${url.search}`, {
        method: request.method,
        headers: request.headers.toJSON(),
      });
      const text = await res.text();
      const map = new Map([...res.headers]);
      return {
        request,
        status: res.status,
        bodyAsText: text,
        headers: {
          get: (n: string) => map.get(n.toLowerCase()),
          has: (n: string) => map.has(n.toLowerCase()),
          set: (n: string, v: string) => void map.set(n.toLowerCase(), v),
          delete: (n: string) => void map.delete(n.toLowerCase()),
          toJSON: () => Object.fromEntries(map),
          [Symbol.iterator]: () => map.entries(),
        },
      };
    },
  };
  const client = new CosmosClient({
    endpoint: "https://contoso-cosmos.documents.azure.com:443/",
    aadCredentials: credential,
    connectionPolicy: { enableEndpointDiscovery: false },
    // deno-lint-ignore no-explicit-any
    httpClient: forward as any,
  });
  try {
    const store = await createCosmosCustomerStore(client, {
      database: "contoso-outdoor",
      container: "customers",
    });
    equal((await store.get("1")).firstName, "Maya");
    const [read] = cosmos.seen;
    equal(read.path, "/dbs/contoso-outdoor/colls/customers/docs/1");
    equal(read.headers.get("x-ms-documentdb-partitionkey"), '["1"]');
    equal(
      decodeURIComponent(read.headers.get("authorization") ?? ""),
      "type=aad&ver=1.0&sig=cosmos-entra-token",
    );
    ok(scopes.length >= 1 && scopes.every((s) => s.endsWith("/.default")), scopes.join());
    ok(scopes.some((s) => /documents\.azure\.com|cosmos\.azure\.com/.test(s)), scopes.join());
  } finally {
    client.dispose();
    await cosmos.close();
  }
});

Deno.test("Cosmos failures other than 404 are UpstreamErrors of the customers service", async () => {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () =>
      new Response(JSON.stringify({ code: "Forbidden", message: "Request blocked by Auth" }), {
        status: 403,
        headers: { "content-type": "application/json" },
      }),
  );
  const client = new CosmosClient({
    endpoint: `http://127.0.0.1:${server.addr.port}`,
    key: EMULATOR_KEY,
    connectionPolicy: { enableEndpointDiscovery: false },
  });
  try {
    const store = await createCosmosCustomerStore(client, {
      database: "contoso-outdoor",
      container: "customers",
    });
    await rejects(store.get("1"), (e: Error) => {
      ok(e instanceof UpstreamError);
      equal(e.service, "customers");
      equal(e.status, 403);
      equal(e.isRetryable, false);
      equal(e.message, "The customer store failed to read a customer (HTTP 403)");
      return true;
    });
  } finally {
    client.dispose();
    await server.shutdown();
  }
});

Deno.test(
  "createCosmosCustomerStore() on Azure Cosmos DB (keyless, HTTPS stand-in on loopback) keeps the CustomerStore contract",
  {
    ignore: openssl.ignore,
  },
  async (t) => {
    // The Azure SDK sends a bearer token only over HTTPS: the Cosmos DB server stand-in listens
    // with a throw-away certificate the client trusts, as it would trust Azure's.
    const dir = await Deno.makeTempDir({ prefix: "contoso-cosmos-contract-" });
    const tls = await selfSignedCertificate(dir);
    const server = createHttpsServer({ cert: tls.cert, key: tls.key });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    const credential: TokenCredential = {
      getToken: () =>
        Promise.resolve({ token: "cosmos-entra-token", expiresOnTimestamp: Date.now() + 3600e3 }),
    };
    const client = new CosmosClient({
      endpoint: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
      aadCredentials: credential,
      connectionPolicy: { enableEndpointDiscovery: false },
      agent: new Agent({ ca: tls.cert }),
    });
    let n = 0;
    try {
      // Azure's database and container are provisioned (Bicep): the store opens them as they are.
      const { database } = await client.databases.createIfNotExists({ id: "contoso-outdoor" });
      await testCustomerStoreContract(t, {
        async open() {
          const container = `customers-${++n}`;
          await database.containers.createIfNotExists({ id: container, partitionKey: "/id" });
          const store = await createCosmosCustomerStore(client, {
            database: "contoso-outdoor",
            container,
          });
          return { store };
        },
      });
    } finally {
      client.dispose();
      server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Deno.remove(dir, { recursive: true });
    }
  },
);
