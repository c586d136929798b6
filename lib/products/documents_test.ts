import { deepEqual, equal, ok } from "node:assert/strict";
import {
  embeddingText,
  isTinyPassage,
  manualDocuments,
  MIN_PASSAGE_WORDS,
  type Product,
  productDocument,
  productUrl,
  questionEntries,
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

/** A passage's own text: its content after the title line it starts with. */
function text(doc: { title: string; content: string }): string {
  ok(doc.content.startsWith(`${doc.title}\n`), `"${doc.content}" starts with its title`);
  return doc.content.slice(doc.title.length + 1);
}

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
  deepEqual(docs.map((d) => [d.id, d.title, text(d).split(".")[0]]), [
    ["1-manual-overview", "Summit Dome 2 Tent — Overview", "An introduction"],
    ["1-manual-care-maintenance", "Summit Dome 2 Tent — Care & Maintenance", "Dry it fully"],
    ["1-manual-warranty", "Summit Dome 2 Tent — Warranty", "Two years"],
  ]);
  ok(docs.every((d) => d.kind === "manual" && d.productId === "1" && d.category === "Tents"));
  equal(docs[1].url, "/manuals/1-summit-dome-2-tent.md#care-maintenance");
  ok(docs.every((d) => !text(d).includes("\r")));
});

Deno.test("manualDocuments() merges sections too short to stand alone", async (t) => {
  const bag: Product = { ...tent, id: "b7", name: "Dreamhollow 35 Bag", category: "Sleeping Bags" };
  const docs = (markdown: string) =>
    manualDocuments({ productId: "b7", file: "dreamhollow.md", markdown }, bag);
  const view = (markdown: string) => docs(markdown).map((d) => [d.id, d.title, text(d)]);

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
    equal(text(got[0]), `Overview: Intro.\n\nSpecs: ${prose(N + 15, "spec")}`);
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
    ok(got.every((d) => wordCount(text(d)) >= MIN_PASSAGE_WORDS), JSON.stringify(got));
    const all = got.map((d) => text(d)).join(" ");
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
    ok(!text(got[0]).includes("product_id"), text(got[0]));
  });
  await t.step("a title that is not on the first line is not part of the overview", () => {
    const got = docs(`Product ID: 1\n\n# Summit Dome 2 Tent\n${prose(N)}\n## Care\n${prose(N)}`);
    deepEqual(got.map((d) => d.title), [
      "Summit Dome 2 Tent — Overview",
      "Summit Dome 2 Tent — Care",
    ]);
    ok(!text(got[0]).includes("Product ID"), "the declaration is not passage text");
    ok(!got.some((d) => text(d).includes("# ")));
  });
  await t.step("### subsections stay in their ## section", () => {
    const got = docs(
      `# T\n## Setup\n### Poles\n\n${prose(15)}\n### Fly\n${prose(15)}\n## Care\n${prose(N)}`,
    );
    deepEqual(got.map((d) => d.id), ["1-manual-setup", "1-manual-care"]);
    ok(text(got[0]).startsWith("Poles\nword"), text(got[0]));
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
  ok(docs.every((d) => text(d).length <= 1200));
  equal(
    docs.map((d) => text(d)).join(" ").replace(/\s+/g, " "),
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
    ok(text(docs[0]).endsWith("Dry it."));
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
    ok(text(docs[0]).startsWith("Category: Tents\n\nSpecs:\nThe rain fly"), text(docs[0]));
    ok(text(docs.at(-1)!).endsWith("\n\nWeight: 2 kg"));
    deepEqual(docs.map((d) => d.id), docs.map((_, i) => `1-manual-specs-${i + 1}`));
  });
});

Deno.test("embeddingText() is the title and the content, the title once", () => {
  equal(
    embeddingText(productDocument(tent)),
    `Summit Dome 2 Tent\n${productDocument(tent).content}`,
  );
  const [passage] = manualDocuments(
    { productId: "1", file: "1.md", markdown: `# T\n## Care\n${prose(N)}` },
    tent,
  );
  equal(embeddingText(passage), passage.content);
  equal(passage.content, `Summit Dome 2 Tent — Care\n${prose(N)}`);
});

Deno.test("manualDocuments() leaves out lines that only say which product it is", async (t) => {
  const docs = (markdown: string) =>
    manualDocuments({ productId: "1", file: "tent.md", markdown }, tent);
  await t.step("id and name declarations in any common layout", () => {
    const got = docs(
      [
        "# User Guide",
        "Model: Summit Dome 2 Tent",
        "**Item number:** 1",
        "- SKU = 1",
        "`product_id: 1`",
        prose(N, "intro"),
        "## Care",
        "Product: summit dome 2 tent",
        prose(N, "care"),
      ].join("\n"),
    );
    deepEqual(got.map(text), [prose(N, "intro"), prose(N, "care")]);
  });
  await t.step("a line whose value only happens to be the id, or another model, stays", () => {
    const got = docs(`# T\n## Specs\nSeats: 1\nModel: Summit Dome 3 Tent\n${prose(N)}`);
    equal(text(got[0]), `Seats: 1\nModel: Summit Dome 3 Tent\n${prose(N)}`);
  });
  await t.step("a section that was only a declaration is gone", () => {
    const got = docs(`Product ID: 1\n\n# Tent\n## Care\n${prose(N)}`);
    deepEqual(got.map((d) => d.id), ["1-manual-care"]);
  });
});

Deno.test("questionEntries() splits a FAQ at each question", async (t) => {
  await t.step("bold Q: questions, plain questions, ### questions", () => {
    deepEqual(questionEntries("**Q: Is it warm?**\n\nYes.\n\n**Q: Does it pack small?**\nNo."), [
      "**Q: Is it warm?**\n\nYes.",
      "**Q: Does it pack small?**\nNo.",
    ]);
    deepEqual(questionEntries("Q. Can kids use it?\nFrom 8.\n\nWhere is it made?\nPortugal."), [
      "Q. Can kids use it?\nFrom 8.",
      "Where is it made?\nPortugal.",
    ]);
    const parsed = manualDocuments({
      productId: "1",
      file: "1.md",
      markdown:
        "# T\n## Questions\nAsk us.\n\n### Can I wash it?\n\nBy hand.\n\n### Does it float?\nNo.",
    }, tent);
    deepEqual(parsed.map(text), ["Ask us.\n\nCan I wash it?\nBy hand.", "Does it float?\nNo."]);
  });
  await t.step("not a FAQ: one question, a question with no answer, a wrapped prose line", () => {
    equal(questionEntries("**Q: Is it warm?**\nYes, to -5 °C."), undefined);
    equal(questionEntries("Is it warm?\nYes.\n\nDoes it float?"), undefined);
    equal(
      questionEntries("Dry it first. Why does that matter?\nMildew.\nAnd is it covered?\nNo."),
      undefined,
    );
  });
});

Deno.test("manualDocuments() makes each FAQ question a passage of its own", () => {
  const faq = [
    "**Q: Can I use it in winter?**",
    "",
    "No, it is a 3-season tent.",
    "",
    "**Q: Is a footprint included?**",
    "",
    "No, it is sold separately.",
  ].join("\n");
  const docs = manualDocuments({
    productId: "1",
    file: "1.md",
    markdown: `# T\n## Category\nTents\n## FAQ\n${faq}\n## Care\n${prose(N)}`,
  }, tent);
  deepEqual(docs.map((d) => [d.id, d.title]), [
    ["1-manual-faq-1", "Summit Dome 2 Tent — Category, FAQ"],
    ["1-manual-faq-2", "Summit Dome 2 Tent — Category, FAQ"],
    ["1-manual-care", "Summit Dome 2 Tent — Care"],
  ]);
  equal(
    text(docs[0]),
    "Category: Tents\n\nFAQ:\n**Q: Can I use it in winter?**\n\nNo, it is a 3-season tent.",
  );
  equal(text(docs[1]), "**Q: Is a footprint included?**\n\nNo, it is sold separately.");
  ok(wordCount(text(docs[1])) < N, "a short answer stands alone");
  ok(!isTinyPassage(docs[1]), "a question with its answer is not tiny");
});

Deno.test("isTinyPassage() is true below the threshold unless the text is a question and its answer", () => {
  const passage = (body: string) => ({ title: "Canoe — Brand", content: `Canoe — Brand\n${body}` });
  equal(isTinyPassage(passage("Harbor & Hull")), true);
  equal(isTinyPassage({ title: "Canoe — Brand", content: "Harbor & Hull" }), true);
  equal(isTinyPassage(passage(prose(N))), false);
  equal(isTinyPassage(passage("**Q: Does it float?**\nYes, with its air bags.")), false);
  equal(isTinyPassage(passage("Does it float?")), true, "a question alone says nothing");
});
