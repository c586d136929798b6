import { deepEqual, equal } from "node:assert/strict";
import { parseManual, splitFrontMatter, wordCount } from "./manual_markdown.ts";

Deno.test("splitFrontMatter() takes the YAML between the leading --- lines", async (t) => {
  await t.step("with any line ending and a byte-order mark", () => {
    for (const eol of ["\n", "\r\n", "\r"]) {
      deepEqual(splitFrontMatter(`\uFEFF---${eol}id: 7${eol}---${eol}# Bag`), {
        frontMatter: "id: 7",
        body: "# Bag",
      });
    }
  });
  await t.step("closed by ...; empty front matter", () => {
    deepEqual(splitFrontMatter("---\nid: 7\n...\nText"), { frontMatter: "id: 7", body: "Text" });
    deepEqual(splitFrontMatter("---\n---\nText"), { frontMatter: "", body: "Text" });
  });
  await t.step("a rule with no closing line, or not at the top, is text", () => {
    deepEqual(splitFrontMatter("---\nText"), { body: "---\nText" });
    deepEqual(splitFrontMatter("Intro\n---\nid: 7\n---"), { body: "Intro\n---\nid: 7\n---" });
  });
});

Deno.test("parseManual() finds the title and the ## sections", async (t) => {
  await t.step("the title need not be on the first line; text before it is the overview", () => {
    const m = parseManual("Product ID: 7\n\n# Bag Guide #\nIntro.\n## Care\nWash it.\n");
    equal(m.title, "Bag Guide");
    deepEqual(m.sections, [
      { heading: "Overview", body: "Product ID: 7\n\nIntro." },
      { heading: "Care", body: "Wash it." },
    ]);
  });
  await t.step("### subsections stay in their section, glued to their paragraph", () => {
    const m = parseManual("# Bag\n## Care\n### Washing\n\nCold water.\n\n#### Drying\nFlat.");
    deepEqual(m.sections, [{ heading: "Care", body: "Washing\nCold water.\n\nDrying\nFlat." }]);
  });
  await t.step("later # headings start sections; empty sections are dropped", () => {
    const m = parseManual("# Bag\n# Part Two\nText.\n## Empty\n\n##\n");
    deepEqual(m.sections.map((s) => s.heading), ["Part Two"]);
  });
  await t.step("no headings at all: one overview", () => {
    const m = parseManual("Just some text.\r\nMore.");
    equal(m.title, undefined);
    deepEqual(m.sections, [{ heading: "Overview", body: "Just some text.\nMore." }]);
  });
  await t.step("the front matter is kept apart", () => {
    const m = parseManual("---\nproduct_id: B-202\n---\n# Stove\nText.");
    equal(m.frontMatter, "product_id: B-202");
    deepEqual(m.lines, ["# Stove", "Text."]);
  });
});

Deno.test("wordCount() counts tokens with a letter or digit", () => {
  equal(wordCount("- Weight: 2 kg\n| a | b |\n—"), 5);
  equal(wordCount(""), 0);
});
