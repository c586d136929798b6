import assert from "node:assert/strict";
import { escapeHtml } from "./escape.ts";

Deno.test("escapeHtml() escapes the five HTML-special characters", () => {
  assert.equal(
    escapeHtml(`<a href="x">Tom & Jerry's</a>`),
    "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;",
  );
  assert.equal(escapeHtml("plain"), "plain");
});
