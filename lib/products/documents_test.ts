import { deepEqual, equal, ok } from "node:assert/strict";
import {
  embeddingText,
  manualDocuments,
  MIN_PASSAGE_WORDS,
  type Product,
  productDocument,
  productUrl,
} from "./documents.ts";
import { wordCount } from "./manual_markdown.ts";

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

const N = MIN_PASSAGE_WORDS;

/** A section body of `n` words. */
const prose = (n: number, word = "word") =>
  Array.from({ length: n }, (_, i) => (i === n - 1 ? `${word}.` : word)).join(" ");

Deno.test("manualDocuments() chunks a manual by ## section", () => {
  const docs = manualDocuments({
    productId: "1",
    file: "1-summit-dome-2-tent.md",
    markdown: [
      "# Summit Dome 2 Tent — User Manual",
      `An introduction. ${prose(MIN_PASSAGE_WORDS)}`,
      "",
      "## Care & Maintenance",
      `Dry it fully. ${prose(MIN_PASSAGE_WORDS)}`,
      "## Empty Section",
      "",
      "## Warranty",
      `Two years. ${prose(MIN_PASSAGE_WORDS)}`,
    ].join("\r\n"),
  }, tent);
  deepEqual(docs.map((d) => [d.id, d.title, d.content.split(".")[0]]), [
    ["1-manual-overview", "Summit Dome 2 Tent — Overview", "An introduction"],
    ["1-manual-care-maintenance", "Summit Dome 2 Tent — Care & Maintenance", "Dry it fully"],
    ["1-manual-warranty", "Summit Dome 2 Tent — Warranty", "Two years"],
  ]);
  ok(docs.every((d) => d.kind === "manual" && d.productId === "1" && d.category === "Tents"));
  equal(docs[1].url, "/manuals/1-summit-dome-2-tent.md#care-maintenance");
  ok(docs.every((d) => !d.content.includes("\r")));
});

Deno.test("manualDocuments() merges sections too short to stand alone", async (t) => {
  const bag: Product = { ...tent, id: "b7", name: "Dreamhollow 35 Bag", category: "Sleeping Bags" };
  const docs = (markdown: string) =>
    manualDocuments({ productId: "b7", file: "dreamhollow.md", markdown }, bag);
  const view = (markdown: string) => docs(markdown).map((d) => [d.id, d.title, d.content]);

  await t.step("one-line sections join the next section, and keep their headings", () => {
    deepEqual(
      view(`# Information about product item_number: b7
## Category
Sleeping Bags
## Brand
Northpeak
## Temperature Rating
${prose(N + 5, "warm")}`),
      [[
        "b7-manual-temperature-rating",
        "Dreamhollow 35 Bag — Category, Brand, Temperature Rating",
        `Category: Sleeping Bags\n\nBrand: Northpeak\n\nTemperature Rating: ${
          prose(N + 5, "warm")
        }`,
      ]],
    );
  });
  await t.step("a short last section joins the previous one", () => {
    deepEqual(view(`# Bag\n## Care\n${prose(N, "wash")}\n## Warranty\nTwo years.`), [[
      "b7-manual-care",
      "Dreamhollow 35 Bag — Care, Warranty",
      `Care: ${prose(N, "wash")}\n\nWarranty: Two years.`,
    ]]);
  });
  await t.step("short sections that are long enough together make a passage of their own", () => {
    const got = view(
      `# Bag\n## Zip\n${prose(N - 5, "zip")}\n## Hood\n${prose(6, "hood")}\n## Care\n${
        prose(N, "wash")
      }`,
    );
    deepEqual(got.map(([id, title]) => [id, title]), [
      ["b7-manual-zip", "Dreamhollow 35 Bag — Zip, Hood"],
      ["b7-manual-care", "Dreamhollow 35 Bag — Care"],
    ]);
  });
  await t.step("the passage takes the id of its longest section; long sections keep theirs", () => {
    const got = docs(
      `# Bag\nIntro.\n## Specs\n${prose(N + 15, "spec")}\n## Fit\n${prose(N, "fit")}`,
    );
    deepEqual(got.map((d) => [d.id, d.url]), [
      ["b7-manual-specs", "/manuals/dreamhollow.md#specs"],
      ["b7-manual-fit", "/manuals/dreamhollow.md#fit"],
    ]);
    equal(got[0].content, `Overview: Intro.\n\nSpecs: ${prose(N + 15, "spec")}`);
  });
  await t.step("a manual that is all short sections is one passage", () => {
    deepEqual(view("# Bag\n## Category\nSleeping Bags\n## Brand\nNorthpeak"), [[
      "b7-manual-category",
      "Dreamhollow 35 Bag — Category, Brand",
      "Category: Sleeping Bags\n\nBrand: Northpeak",
    ]]);
  });
  await t.step("no passage is shorter than the threshold unless the whole manual is", () => {
    const lengths = [1, 3, 30, 2, 19, 19, 45, 1, 60, 4];
    const markdown = lengths.map((n, i) => `## S${i}\n${prose(n)}`).join("\n\n");
    const got = docs(`# Bag\n${markdown}`);
    ok(got.every((d) => wordCount(d.content) >= MIN_PASSAGE_WORDS), JSON.stringify(got));
    const all = got.map((d) => d.content).join(" ");
    equal(all.match(/\bword\b/g)?.length, lengths.reduce((a, b) => a + b), "nothing is lost");
  });
  await t.step(
    "the headings merged into a passage are in its text for the index and the prompt",
    () => {
      const [doc] = docs("# Bag\n## Category\nSleeping Bags\n## Brand\nNorthpeak");
      ok(
        embeddingText(doc).startsWith(
          "Dreamhollow 35 Bag — Category, Brand\nCategory: Sleeping Bags",
        ),
      );
    },
  );
});

Deno.test("manualDocuments() reads manuals in other layouts", async (t) => {
  const docs = (markdown: string) =>
    manualDocuments({ productId: "1", file: "tent.md", markdown }, tent);
  await t.step("front matter never reaches a passage", () => {
    const got = docs(`---\nproduct_id: 1\ntitle: Tent\n---\n# Tent\n${prose(N)}`);
    deepEqual(got.map((d) => d.id), ["1-manual-overview"]);
    ok(!got[0].content.includes("product_id"), got[0].content);
  });
  await t.step("a title that is not on the first line is not part of the overview", () => {
    const got = docs(`Product ID: 1\n\n# Summit Dome 2 Tent\n${prose(N)}\n## Care\n${prose(N)}`);
    deepEqual(got.map((d) => d.title), [
      "Summit Dome 2 Tent — Overview",
      "Summit Dome 2 Tent — Care",
    ]);
    ok(got[0].content.startsWith("Product ID: 1\n"));
    ok(!got.some((d) => d.content.includes("# ")));
  });
  await t.step("### subsections stay in their ## section", () => {
    const got = docs(
      `# T\n## Setup\n### Poles\n\n${prose(15)}\n### Fly\n${prose(15)}\n## Care\n${prose(N)}`,
    );
    deepEqual(got.map((d) => d.id), ["1-manual-setup", "1-manual-care"]);
    ok(got[0].content.startsWith("Poles\nword"), got[0].content);
  });
  await t.step("a manual with no ## is one section, split by length only", () => {
    const got = docs(`# Tent notes\r\n\r\n${prose(N + 5)}\r\n\r\n${prose(N + 5)}`);
    deepEqual(got.map((d) => [d.id, d.title]), [[
      "1-manual-overview",
      "Summit Dome 2 Tent — Overview",
    ]]);
  });
  await t.step("headings inside fenced code are text", () => {
    const got = docs(`# T\n## Config\n\`\`\`\n## not a heading\n\`\`\`\n${prose(N)}`);
    deepEqual(got.map((d) => d.id), ["1-manual-config"]);
  });
  await t.step("two sections with the same heading get distinct ids", () => {
    const got = docs(`# T\n## Notes\n${prose(N)}\n## Care\n${prose(N)}\n## Notes\n${prose(N)}`);
    deepEqual(got.map((d) => d.id), ["1-manual-notes", "1-manual-care", "1-manual-notes-2"]);
  });
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

Deno.test("manualDocuments() never splits off a short piece of a long section", async (t) => {
  const sentence = "The rain fly sheds water and the seams are taped for storms. ";
  const body = `${sentence.repeat(19)}\n\nDry it.`; // 1,140 characters, then a short tail
  await t.step("a short tail stays with the piece before it", () => {
    const docs = manualDocuments({
      productId: "1",
      file: "1.md",
      markdown: `# T\n## Specs\n${body}`,
    }, tent);
    deepEqual(docs.map((d) => d.id), ["1-manual-specs"]);
    ok(docs[0].content.endsWith("Dry it."));
  });
  await t.step("short sections join the first or the last piece of a long one", () => {
    const long = sentence.repeat(40);
    const docs = manualDocuments({
      productId: "1",
      file: "1.md",
      markdown: `# T\n## Category\nTents\n## Specs\n${long}\n## Weight\n2 kg`,
    }, tent);
    ok(docs.length >= 2);
    ok(docs.every((d) => d.title === "Summit Dome 2 Tent — Category, Specs, Weight"));
    ok(docs[0].content.startsWith("Category: Tents\n\nSpecs:\nThe rain fly"), docs[0].content);
    ok(docs.at(-1)!.content.endsWith("\n\nWeight: 2 kg"));
    deepEqual(docs.map((d) => d.id), docs.map((_, i) => `1-manual-specs-${i + 1}`));
  });
});

Deno.test("embeddingText() is the title and the content", () => {
  equal(
    embeddingText(productDocument(tent)),
    `Summit Dome 2 Tent\n${productDocument(tent).content}`,
  );
});
