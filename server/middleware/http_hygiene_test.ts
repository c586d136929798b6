/**
 * HTTP hygiene of the app: compressed static assets (decoded with Node's zlib and the web
 * DecompressionStream and compared with the plain bytes), entity tags and 304, HEAD answering
 * with GET's headers over a real socket, `Cache-Control: no-store` on API answers, 405 with
 * `Allow` on known paths, and the cross-site write guard (a simple cross-site form POST never
 * reaches the model).
 */
import assert from "node:assert/strict";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { chooseCoding } from "../routes/assets.ts";
import { etagMatches } from "./http_hygiene.ts";
import { startServer } from "../serve.ts";
import { createTestApp } from "../testing.ts";

const BUNDLE = "/docs/swagger-ui-bundle.js";

async function gunzipWeb(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

Deno.test("assetRoutes() compresses what the client accepts and the bytes decode to the file", async (t) => {
  const { app } = createTestApp();
  const plainResponse = await app.request(BUNDLE, { headers: { "Accept-Encoding": "identity" } });
  assert.equal(plainResponse.status, 200);
  assert.equal(plainResponse.headers.get("Content-Encoding"), null);
  const plain = new Uint8Array(await plainResponse.arrayBuffer());
  assert.ok(plain.byteLength > 1_000_000, `bundle is ${plain.byteLength} bytes`);
  assert.equal(plainResponse.headers.get("Content-Length"), String(plain.byteLength));

  await t.step("gzip decodes (zlib and DecompressionStream) to the same bytes", async () => {
    const res = await app.request(BUNDLE, { headers: { "Accept-Encoding": "gzip, deflate" } });
    assert.equal(res.headers.get("Content-Encoding"), "gzip");
    assert.match(res.headers.get("Vary") ?? "", /Accept-Encoding/);
    const body = new Uint8Array(await res.arrayBuffer());
    assert.ok(body.byteLength < plain.byteLength / 3, `gzip ${body.byteLength} bytes`);
    assert.equal(res.headers.get("Content-Length"), String(body.byteLength));
    assert.deepEqual(new Uint8Array(gunzipSync(body)), plain);
    assert.deepEqual(await gunzipWeb(body), plain);
  });

  await t.step("brotli is preferred and decodes to the same bytes", async () => {
    const res = await app.request(BUNDLE, { headers: { "Accept-Encoding": "gzip, br" } });
    assert.equal(res.headers.get("Content-Encoding"), "br");
    const body = new Uint8Array(await res.arrayBuffer());
    assert.ok(body.byteLength < plain.byteLength / 3, `br ${body.byteLength} bytes`);
    assert.deepEqual(new Uint8Array(brotliDecompressSync(body)), plain);
  });

  await t.step("a coding refused with q=0 is not used", async () => {
    const res = await app.request(BUNDLE, { headers: { "Accept-Encoding": "br;q=0, gzip;q=0.5" } });
    assert.equal(res.headers.get("Content-Encoding"), "gzip");
    await res.body?.cancel();
  });

  await t.step("files under 1 KB are sent as they are", async () => {
    const { app: tiny } = createTestApp();
    const sizes = await Promise.all(
      ["/docs/init.js", "/chat/app.js", "/chat/app.css"].map(async (path) => {
        const res = await tiny.request(path, { headers: { "Accept-Encoding": "br" } });
        const bytes = (await res.arrayBuffer()).byteLength;
        return { path, bytes, encoding: res.headers.get("Content-Encoding") };
      }),
    );
    for (const { path, bytes, encoding } of sizes) {
      if (encoding === null) {
        const plain = await (await tiny.request(path)).arrayBuffer();
        assert.ok(plain.byteLength < 1024, `${path}: ${plain.byteLength} bytes sent plain`);
      } else assert.equal(encoding, "br", `${path} (${bytes} bytes)`);
    }
  });
});

Deno.test("/openapi.json is compressed and revalidated like the assets", async (t) => {
  const { app } = createTestApp();
  const plain = await app.request("/openapi.json", { headers: { "Accept-Encoding": "identity" } });
  const text = await plain.text();
  const document = JSON.parse(text);
  await t.step("gzip decodes to the same document", async () => {
    const res = await app.request("/openapi.json", { headers: { "Accept-Encoding": "gzip" } });
    assert.equal(res.headers.get("Content-Encoding"), "gzip");
    const bytes = new Uint8Array(await res.arrayBuffer());
    assert.ok(bytes.byteLength < text.length / 3, `${bytes.byteLength} of ${text.length} bytes`);
    assert.deepEqual(JSON.parse(new TextDecoder().decode(gunzipSync(bytes))), document);
  });
  await t.step("its ETag gives 304, and it is revalidated rather than cached blind", async () => {
    const etag = plain.headers.get("ETag");
    assert.ok(etag);
    assert.equal(plain.headers.get("Cache-Control"), "no-cache");
    const again = await app.request("/openapi.json", {
      headers: { "Accept-Encoding": "identity", "If-None-Match": etag },
    });
    assert.equal(again.status, 304);
    assert.equal(await again.text(), "");
  });
});

Deno.test("chooseCoding() reads Accept-Encoding like a server should", async (t) => {
  const cases: [string | null, string][] = [
    [null, "identity"],
    ["", "identity"],
    ["gzip", "gzip"],
    ["GZIP;q=1.0, BR;q=0.8", "br"],
    ["*", "br"],
    ["*;q=0, gzip", "gzip"],
    ["deflate, compress", "identity"],
    ["br;q=0, gzip;q=0", "identity"],
  ];
  for (const [header, expected] of cases) {
    await t.step(`${JSON.stringify(header)} -> ${expected}`, () => {
      assert.equal(chooseCoding(header), expected);
    });
  }
});

Deno.test("assetRoutes() answers If-None-Match with 304 per representation", async (t) => {
  const { app } = createTestApp();
  const CSS = "/docs/swagger-ui.css";
  const first = await app.request(CSS, { headers: { "Accept-Encoding": "gzip" } });
  const etag = first.headers.get("ETag");
  assert.ok(etag && /^"[^"]+"$/.test(etag), `strong ETag, got ${etag}`);
  await first.body?.cancel();

  await t.step("the same tag gives 304 with no body and the same validators", async () => {
    const res = await app.request(CSS, {
      headers: { "Accept-Encoding": "gzip", "If-None-Match": etag },
    });
    assert.equal(res.status, 304);
    assert.equal(res.headers.get("ETag"), etag);
    assert.equal(res.headers.get("Cache-Control"), first.headers.get("Cache-Control"));
    assert.equal(await res.text(), "");
  });

  await t.step("a weak form of the tag inside a list matches", async () => {
    const res = await app.request(CSS, {
      headers: { "Accept-Encoding": "gzip", "If-None-Match": `"other", W/${etag}` },
    });
    assert.equal(res.status, 304);
  });

  await t.step("another coding is another representation with its own tag", async () => {
    const res = await app.request(CSS, {
      headers: { "Accept-Encoding": "identity", "If-None-Match": etag },
    });
    assert.equal(res.status, 200);
    assert.notEqual(res.headers.get("ETag"), etag);
    await res.body?.cancel();
  });

  await t.step("a stale tag gets the file", async () => {
    const res = await app.request(CSS, { headers: { "If-None-Match": '"stale"' } });
    assert.equal(res.status, 200);
    assert.ok((await res.text()).length > 0);
  });
});

Deno.test("etagMatches() compares entity tags weakly", () => {
  assert.equal(etagMatches('"a"', '"a"'), true);
  assert.equal(etagMatches('W/"a"', '"a"'), true);
  assert.equal(etagMatches(' "x" ,"a"', '"a"'), true);
  assert.equal(etagMatches("*", '"a"'), true);
  assert.equal(etagMatches('"ab"', '"a"'), false);
  assert.equal(etagMatches(null, '"a"'), false);
});

Deno.test("HEAD over a real socket sends GET's headers, its Content-Length and no body", async (t) => {
  const { app } = createTestApp();
  const server = startServer(app, { port: 0, hostname: "127.0.0.1" });
  try {
    for (
      const [path, encoding] of [
        ["/health", "identity"],
        ["/api/customers", "identity"],
        ["/openapi.json", "identity"],
        ["/docs", "identity"],
        [BUNDLE, "gzip"],
        [BUNDLE, "identity"],
      ]
    ) {
      await t.step(`${path} (${encoding})`, async () => {
        const headers = { "Accept-Encoding": encoding };
        const get = await fetch(`${server.url}${path}`, { headers });
        const body = new Uint8Array(await get.arrayBuffer());
        const head = await fetch(`${server.url}${path}`, { method: "HEAD", headers });
        assert.equal(head.status, 200);
        // fetch decodes gzip, so the sent length is GET's header; identity also checks bytes.
        assert.ok(body.byteLength > 0);
        const length = get.headers.get("Content-Length");
        if (encoding === "identity") assert.equal(length, String(body.byteLength));
        assert.equal(head.headers.get("Content-Length"), length);
        for (const name of ["Content-Type", "Content-Encoding", "Cache-Control", "ETag"]) {
          assert.equal(head.headers.get(name), get.headers.get(name), name);
        }
        assert.equal((await head.arrayBuffer()).byteLength, 0);
      });
    }
  } finally {
    await server.shutdown();
  }
});

Deno.test("API answers carry Cache-Control: no-store, assets keep their own", async (t) => {
  const { app } = createTestApp();
  const cases: [string, RequestInit, number][] = [
    ["/api/customers", {}, 200],
    ["/api/create_response?question=Tents%3F&customer_id=1", { method: "POST" }, 200],
    ["/api/create_response", { method: "POST" }, 400],
    ["/api/create_response?question=x&customer_id=999", { method: "POST" }, 404],
    [
      "/api/create_response?question=Tents%3F&customer_id=1",
      { method: "POST", headers: { Accept: "text/event-stream" } },
      200,
    ],
    ["/health", {}, 200],
    ["/no/such/page", {}, 404],
  ];
  for (const [path, init, status] of cases) {
    await t.step(`${init.method ?? "GET"} ${path} -> ${status}`, async () => {
      const res = await app.request(path, init);
      assert.equal(res.status, status);
      assert.match(res.headers.get("Cache-Control") ?? "", /^no-store(, no-transform)?$/);
      await res.body?.cancel();
    });
  }
  await t.step("the Swagger bundle may be cached", async () => {
    const res = await app.request(BUNDLE);
    assert.match(res.headers.get("Cache-Control") ?? "", /max-age=\d+/);
    await res.body?.cancel();
  });
});

Deno.test("known paths asked with another method are 405 with Allow", async (t) => {
  const { app, pipeline } = createTestApp();
  const cases: [string, string, string[]][] = [
    ["POST", "/api/customers", ["GET", "HEAD"]],
    ["DELETE", "/api/customers", ["GET", "HEAD"]],
    ["POST", "/health", ["GET", "HEAD"]],
    ["PUT", "/ready", ["GET", "HEAD"]],
    ["GET", "/api/create_response", ["POST"]],
    ["PATCH", "/docs/swagger-ui.css", ["GET", "HEAD"]],
  ];
  for (const [method, path, allowed] of cases) {
    await t.step(`${method} ${path}`, async () => {
      const res = await app.request(path, { method });
      assert.equal(res.status, 405);
      const allow = (res.headers.get("Allow") ?? "").split(/,\s*/);
      for (const m of allowed) assert.ok(allow.includes(m), `Allow: ${allow} lacks ${m}`);
      assert.ok(!allow.includes(method), `Allow: ${allow} includes ${method}`);
      const body = await res.json();
      assert.equal(body.error.code, "method_not_allowed");
      assert.equal(typeof body.error.requestId, "string");
    });
  }
  await t.step("an unknown path stays 404", async () => {
    const res = await app.request("/api/orders", { method: "POST" });
    assert.equal(res.status, 404);
    await res.body?.cancel();
  });
  assert.equal(pipeline.requests.length, 0);
});

Deno.test("rejectCrossSiteWrites() stops browser writes from other sites before the model runs", async (t) => {
  const shop = "https://shop.contoso-outdoor.example";
  const { app, pipeline } = createTestApp({ env: { ALLOWED_ORIGINS: shop } });
  const ask = "/api/create_response?question=Which%20tent%3F&customer_id=2";
  // What a form on another site sends: urlencoded, no body fields, no preflight.
  const form = { "Content-Type": "application/x-www-form-urlencoded" };
  const cases: [string, Record<string, string>, number][] = [
    ["cross-site form POST", {
      ...form,
      Origin: "https://evil.example",
      "Sec-Fetch-Site": "cross-site",
    }, 403],
    ["cross-site POST with only Origin (older browser)", { Origin: "https://evil.example" }, 403],
    ["same-site but other origin", {
      Origin: "https://blog.localhost",
      "Sec-Fetch-Site": "same-site",
    }, 403],
    ["opaque origin (sandboxed frame)", { Origin: "null", "Sec-Fetch-Site": "cross-site" }, 403],
    ["cross-site without Origin", { "Sec-Fetch-Site": "cross-site" }, 403],
    ["look-alike of the allowed origin", { Origin: `${shop}.evil.example` }, 403],
    ["allowed storefront origin", { Origin: shop, "Sec-Fetch-Site": "cross-site" }, 200],
    [
      "this server's own page",
      { Origin: "http://localhost", "Sec-Fetch-Site": "same-origin" },
      200,
    ],
    ["own origin by Host, no Fetch metadata", { Origin: "http://localhost" }, 200],
    ["not a browser (no Origin, no Fetch metadata)", {}, 200],
    ["typed by the user", { "Sec-Fetch-Site": "none" }, 200],
  ];
  let answered = 0;
  for (const [name, headers, status] of cases) {
    await t.step(`${name} -> ${status}`, async () => {
      const res = await app.request(ask, { method: "POST", headers });
      assert.equal(res.status, status, await res.clone().text());
      if (status === 403) {
        const body = await res.json();
        assert.equal(body.error.code, "forbidden");
        assert.ok(!JSON.stringify(body).includes("evil"), "the origin is not echoed");
      } else {
        answered++;
        await res.body?.cancel();
      }
      assert.equal(pipeline.requests.length, answered, "only allowed requests reach the model");
    });
  }
  await t.step("cross-site reads and CORS preflights are not writes", async () => {
    const get = await app.request("/health", { headers: { Origin: "https://evil.example" } });
    assert.equal(get.status, 200);
    const preflight = await app.request("/api/create_response", {
      method: "OPTIONS",
      headers: { Origin: "https://evil.example", "Access-Control-Request-Method": "POST" },
    });
    assert.ok(preflight.status < 400, `preflight ${preflight.status}`);
    assert.equal(preflight.headers.get("Access-Control-Allow-Origin"), null);
  });
});
