import { deepEqual, equal, ok } from "node:assert/strict";
import {
  embeddingText,
  manualDocuments,
  type Product,
  productDocument,
  productUrl,
} from "./documents.ts";

const tent: Product = {
  id: "1",
  name: "Summit Dome 2 Tent",
  price: 249.99,
  category: "Tents",
  brand: "Northpeak",
  description: "A freestanding two-person tent.",
};

Deno.test("productDocument() maps a catalog row to a search document", () => {
  deepEqual(productDocument(tent), {
    id: "1",
    kind: "product",
    productId: "1",
    title: "Summit Dome 2 Tent",
    content: "A freestanding two-person tent. Category: Tents. Brand: Northpeak. Price: $249.99.",
    url: "/products/1",
    category: "Tents",
    brand: "Northpeak",
  });
  equal(productUrl("a b/c"), "/products/a%20b%2Fc");
});

Deno.test("manualDocuments() chunks a manual by ## section", () => {
  const docs = manualDocuments({
    productId: "1",
    file: "1-summit-dome-2-tent.md",
    markdown: [
      "# Summit Dome 2 Tent — User Manual",
      "An introduction.",
      "",
      "## Care & Maintenance",
      "Dry it fully.",
      "## Empty Section",
      "",
      "## Warranty",
      "Two years.",
    ].join("\r\n"),
  }, tent);
  deepEqual(docs.map((d) => [d.id, d.title, d.content]), [
    ["1-manual-overview", "Summit Dome 2 Tent — Overview", "An introduction."],
    ["1-manual-care-maintenance", "Summit Dome 2 Tent — Care & Maintenance", "Dry it fully."],
    ["1-manual-warranty", "Summit Dome 2 Tent — Warranty", "Two years."],
  ]);
  ok(docs.every((d) => d.kind === "manual" && d.productId === "1" && d.category === "Tents"));
  equal(docs[1].url, "/manuals/1-summit-dome-2-tent.md#care-maintenance");
});

Deno.test("manualDocuments() takes the product name from the heading when the product is unknown", () => {
  const [doc] = manualDocuments({
    productId: "9",
    file: "9.md",
    markdown: "# Lantern - User Manual\n## Batteries\nUse AA.",
  }, undefined);
  equal(doc.title, "Lantern — Batteries");
  equal(doc.category, "");
  const [untitled] = manualDocuments(
    { productId: "9", file: "9.md", markdown: "Just text." },
    undefined,
  );
  equal(untitled.title, "Product 9 — Overview");
});

Deno.test("manualDocuments() splits a long section into numbered passages under the limit", () => {
  const sentence = "The rain fly sheds water and the seams are taped for storms. ";
  const body = sentence.repeat(60); // about 3,700 characters
  const docs = manualDocuments({
    productId: "1",
    file: "1.md",
    markdown: `# T\n## Specs\n${body}`,
  }, tent);
  ok(docs.length >= 3, `${docs.length} passages`);
  deepEqual(docs.map((d) => d.id), docs.map((_, i) => `1-manual-specs-${i + 1}`));
  ok(docs.every((d) => d.content.length <= 1200));
  equal(
    docs.map((d) => d.content).join(" ").replace(/\s+/g, " "),
    body.trim().replace(/\s+/g, " "),
    "nothing is lost",
  );
});

Deno.test("embeddingText() is the title and the content", () => {
  equal(
    embeddingText(productDocument(tent)),
    `Summit Dome 2 Tent\n${productDocument(tent).content}`,
  );
});
