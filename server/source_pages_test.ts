import { equal, ok } from "node:assert/strict";
import { parseHTML } from "linkedom";
import { manualDocuments, productDocument } from "../lib/products/documents.ts";
import { manualPage, productPage } from "./source_pages.ts";

const product = {
  id: "p<7>",
  name: 'Ridge "Pro" <Pack>',
  price: 120,
  category: "Backpacks",
  brand: "Alpen & Co",
  description: "A 40 l pack. <script>alert(1)</script>",
};
const MANUAL = `# Ridge Pro Pack Guide

Fits torsos from 40 to 52 cm; the hip belt moves up and down so a short or a tall hiker finds the
point where the weight sits on the hips rather than on the shoulders.

## Packing & loading

Put the **sleeping bag** at the bottom, heavy food and water close to your back, and the rain
shell on top where you can reach it. <img src=x onerror="alert(1)"> [bad](javascript:alert(1))
Never hang more than 5 kg from the outside straps: it swings and pulls you off balance.

## Care

- Brush off dirt once it is dry, then sponge the fabric with mild soap and lukewarm water.
- Dry it open, out of the sun; never machine-wash the frame sheet or put the pack in a dryer.
- Store it loose in a dry cupboard so the foam in the back panel keeps its shape for years.
`;

Deno.test("productPage() escapes every value from the store", () => {
  const html = productPage(productDocument(product));
  const { document } = parseHTML(html);
  equal(document.querySelector("h1")?.textContent, 'Ridge "Pro" <Pack>');
  equal(document.querySelectorAll("script").length, 0);
  ok(html.includes("&lt;script&gt;"));
  equal(document.querySelector("article")?.getAttribute("id"), "p<7>");
});

Deno.test("manualPage() has one anchor per section and per passage, Markdown rendered safely", () => {
  const passages = manualDocuments(
    { productId: "p<7>", file: "p7 pack.md", markdown: MANUAL },
    product,
  );
  const html = manualPage("p7 pack.md", passages);
  const { document } = parseHTML(html);
  for (const p of passages) {
    const anchor = p.url.split("#")[1];
    ok(document.getElementById(anchor), `section anchor #${anchor}`);
    ok(document.getElementById(p.id), `passage anchor #${p.id}`);
    ok(document.querySelector(`nav a[href="#${anchor}"]`), `table of contents links #${anchor}`);
  }
  equal(document.getElementById("packing-loading")?.textContent, "Packing & loading");
  ok(document.querySelector("#packing-loading ~ p strong, section strong"), "bold is rendered");
  equal(document.querySelectorAll("img, script, [onerror]").length, 0);
  equal(document.querySelectorAll('a[href^="javascript"]').length, 0);
  equal(document.querySelectorAll("section li").length, 3);
  equal(document.querySelector("h1")?.textContent, 'Ridge "Pro" <Pack> manual');
});
