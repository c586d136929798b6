import assert from "node:assert/strict";
import { html, htmlToText, markdown } from "./text.ts";
import { table } from "./table.ts";

Deno.test("markdown() renders text/markdown with the source as text/plain", () => {
  const name = "Sarah";
  const m = markdown`# Hello ${name}`;
  assert.deepEqual(m.bundle, { "text/markdown": "# Hello Sarah", "text/plain": "# Hello Sarah" });
  assert.equal(markdown("*x*").bundle["text/markdown"], "*x*");
});

Deno.test("html() escapes interpolated values but embeds rendered ones", () => {
  const h = html`<p>${"<img onerror=x>"}</p>${table([{ a: 1 }])}`;
  const markup = h.bundle["text/html"];
  assert.ok(markup.startsWith('<p>&lt;img onerror=x&gt;</p><table data-display="table">'));
  assert.equal(html("<b>trusted</b>").bundle["text/html"], "<b>trusted</b>");
  assert.ok(h.bundle["text/plain"].startsWith("<img onerror=x>"));
});

Deno.test("htmlToText() keeps the text and line structure", () => {
  assert.equal(
    htmlToText("<h2>Title</h2><p>A &amp; B&#39;s <b>bold</b></p><style>p{}</style>x&#x41;"),
    "Title\nA & B's bold\nxA",
  );
});
