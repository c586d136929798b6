import assert from "node:assert/strict";
import { fitText, textWidth } from "./_text_width.ts";

Deno.test("textWidth() adds advance widths, bold wider, unknown characters a full em", () => {
  assert.equal(textWidth("", 12), 0);
  assert.ok(Math.abs(textWidth("iii", 10) - 3 * 2.78) < 1e-9);
  assert.ok(textWidth("Search", 14, { bold: true }) > textWidth("Search", 14));
  assert.equal(textWidth("漢", 10), 10);
  assert.ok(Math.abs(textWidth("AB", 20) - 2 * textWidth("AB", 10)) < 1e-9);
});

Deno.test("fitText() cuts with an ellipsis only when the text is too wide", () => {
  assert.equal(fitText("f1", 100, 10), "f1");
  const cut = fitText("lexical_groundedness", 60, 10);
  assert.ok(cut.endsWith("…") && cut.length < "lexical_groundedness".length);
  assert.ok(textWidth(cut, 10) <= 60);
  assert.ok(textWidth(fitText("lexical_groundedness", 60, 10) + "x", 10) > 60 - 10);
  assert.equal(fitText("abc", 1, 10), "…");
});
