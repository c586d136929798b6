/**
 * The source pages on the real runtime (embedded defaults, data/): every url in a real answer's
 * context resolves to a page, a manual passage's `#section` is an anchor of its manual's page,
 * unknown ids are JSON 404s with the request id, and the routes are in the OpenAPI document.
 *
 * @module
 */
import assert from "node:assert/strict";
import { parseHTML } from "linkedom";
import { createRuntime, loadConfig } from "../lib/mod.ts";
import { createApp, runtimeDeps } from "../server/app.ts";
import { createMemoryLogger } from "../server/logger.ts";
import { createTestApp } from "../server/testing.ts";

Deno.test({
  name: "sourceRoutes() serve the products and manuals an answer cites",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const runtime = await createRuntime(loadConfig({}));
    try {
      assert.ok(runtime.sources, "the embedded runtime reads sources back");
      const app = createApp(runtimeDeps(runtime, {
        logger: createMemoryLogger(),
      }));
      const questions = [
        { customerId: "2", question: "How do I clean and store my tent after a wet trip?" },
        { customerId: "1", question: "Which backpack would you suggest for a day hike?" },
      ];
      const urls = new Set<string>();
      for (const q of questions) {
        const res = await app.request("/api/create_response", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ question: q.question, customer_id: q.customerId }),
        });
        assert.equal(res.status, 200);
        const body = await res.json() as { context: { kind: string; url: string }[] };
        for (const item of body.context) urls.add(item.url);
      }
      assert.ok([...urls].some((u) => u.startsWith("/manuals/")), [...urls].join(", "));
      assert.ok([...urls].some((u) => u.startsWith("/products/")), [...urls].join(", "));

      await t.step("every context url is a page; a #section is an anchor on it", async () => {
        for (const url of urls) {
          const [path, anchor] = url.split("#");
          const res = await app.request(path);
          assert.equal(res.status, 200, url);
          assert.match(res.headers.get("content-type") ?? "", /^text\/html/);
          const { document } = parseHTML(await res.text());
          assert.ok(document.querySelector("h1")?.textContent, `${url} has a title`);
          if (anchor) assert.ok(document.getElementById(anchor), `${url}: #${anchor} exists`);
        }
      });

      await t.step("the manual page holds every passage of the manual, in order", async () => {
        const res = await app.request("/manuals/1-summit-dome-2-tent.md");
        assert.equal(res.status, 200);
        const { document } = parseHTML(await res.text());
        const headings = [...document.querySelectorAll("h2")].map((h) => h.getAttribute("id"));
        assert.equal(headings[0], "overview");
        assert.ok(headings.includes("warranty"), headings.join(", "));
        assert.ok(document.getElementById("1-manual-warranty"), "passage ids are anchors too");
        assert.equal(document.querySelectorAll("script").length, 0);
      });

      await t.step("a product page names the product and its facts", async () => {
        const res = await app.request("/products/1");
        const html = await res.text();
        assert.match(html, /<h1>Summit Dome 2 Tent<\/h1>/);
        assert.match(html, /Category: Tents/);
        assert.match(html, /<a href="\/manuals\/1-summit-dome-2-tent\.md">/, "links its manual");
      });

      await t.step("unknown ids are JSON 404s with the request id", async () => {
        for (
          const path of [
            "/products/999999",
            "/manuals/no-such-manual.md",
            "/products/1-manual-warranty",
          ]
        ) {
          const res = await app.request(path);
          assert.equal(res.status, 404, path);
          const body = await res.json();
          assert.equal(body.error.code, "not_found");
          assert.equal(body.error.requestId, res.headers.get("x-request-id"));
        }
      });

      await t.step("ids are percent-decoded and echoed only as JSON text", async () => {
        const res = await app.request(`/products/${encodeURIComponent("<img src=x onerror=1>")}`);
        assert.equal(res.status, 404);
        assert.match(res.headers.get("content-type") ?? "", /application\/json/);
        assert.match((await res.json()).error.message, /^No product "<img src=x onerror=1>"$/);
      });
    } finally {
      await runtime.close();
    }
  },
});

Deno.test("sourceRoutes() without a store, /chat/, and the OpenAPI document", async (t) => {
  const { app } = createTestApp();
  await t.step("no store: every id is unknown", async () => {
    assert.equal((await app.request("/products/1")).status, 404);
    assert.equal((await app.request("/manuals/1-summit-dome-2-tent.md")).status, 404);
  });
  await t.step("/chat/ redirects to /chat", async () => {
    const res = await app.request("/chat/");
    assert.equal(res.status, 308);
    assert.equal(res.headers.get("location"), "/chat");
  });
  await t.step("both pages are documented", async () => {
    const doc = await (await app.request("/openapi.json")).json();
    for (const path of ["/products/{id}", "/manuals/{file}"]) {
      const get = doc.paths[path]?.get;
      assert.ok(get, `${path} is in the document`);
      assert.ok(get.responses["200"].content["text/html"], path);
      assert.ok(get.responses["404"].content["application/json"], path);
    }
  });
});
