import { deepEqual, equal, match, ok } from "node:assert/strict";
import type { Manual, Product } from "../products/documents.ts";
import { linkManual, manualLinkSummary } from "./link_manual.ts";

const product = (id: string, name: string): Product => ({
  id,
  name,
  price: 10,
  category: "",
  brand: "",
  description: "",
});

// A catalog laid out by another team: letter ids, ids with dashes, names that contain others.
const catalog = [
  product("1", "Summit Dome 2"),
  product("12", "Summit Dome 2 Tent"),
  product("7", "Polar Vault 0° Expedition Sleeping Bag"),
  product("B", "Billy Can"),
  product("B-202", "Trail Stove"),
  product("k1", "Riverrun 12 Touring Kayak"),
  product("HX-9", "Harbor & Hull Deck Bag"),
];

const link = (file: string, markdown: string, products = catalog) =>
  linkManual(file, markdown, products);

Deno.test("linkManual() links by the leading id of the file name, longest id first", async (t) => {
  await t.step("an id followed by a slug, or the whole name", () => {
    deepEqual(link("12-summit-dome-2-tent.md", ""), { productId: "12", rule: "file name" });
    deepEqual(link("12.md", ""), { productId: "12", rule: "file name" });
    deepEqual(link("1_summit.md", ""), { productId: "1", rule: "file name" });
    deepEqual(link("k1 riverrun.markdown", ""), { productId: "k1", rule: "file name" });
  });
  await t.step("ids that contain a dash: the longest matching id wins", () => {
    deepEqual(link("B-202-trail-stove.md", ""), { productId: "B-202", rule: "file name" });
    deepEqual(link("B-billy-can.md", ""), { productId: "B", rule: "file name" });
    deepEqual(link("b-202.md", ""), { productId: "B-202", rule: "file name" });
  });
  await t.step("an id must end at a separator, and must be in the catalog", () => {
    equal(link("120-lantern.md", "").rule, undefined);
    equal(link("99-other.md", "no heading").productId, undefined);
  });
  await t.step("the file name comes before what the manual says", () => {
    deepEqual(link("12-tent.md", "---\nproduct_id: B-202\n---\n# Trail Stove"), {
      productId: "12",
      rule: "file name",
    });
  });
});

Deno.test("linkManual() links by a front-matter productId, product_id or id", async (t) => {
  await t.step("each field name, with ids that YAML would read as numbers or dates", () => {
    for (const field of ["productId", "product_id", "id", "Product-ID"]) {
      deepEqual(link("guide.md", `---\n${field}: B-202\n---\n# Guide`), {
        productId: "B-202",
        rule: "front matter",
      }, field);
    }
    deepEqual(link("a.md", "---\nid: 012\n---\n"), { productId: "12", rule: "front matter" });
    deepEqual(link("a.md", "---\r\nproductId: 'k1'\r\n---\r\n# Kayak"), {
      productId: "k1",
      rule: "front matter",
    });
    deepEqual(link("a.md", "---\nproduct:\n  id: HX-9\n  sku: 4411\n---\n"), {
      productId: "HX-9",
      rule: "front matter",
    });
  });
  await t.step("productId beats a document id that also names a product", () => {
    deepEqual(link("a.md", "---\nid: 1\nproduct_id: 7\n---\n"), {
      productId: "7",
      rule: "front matter",
    });
  });
  await t.step("an unknown id is passed over and named if nothing else links", () => {
    deepEqual(link("a.md", "---\nid: manual-0042\nproduct_id: 12\n---\n"), {
      productId: "12",
      rule: "front matter",
    });
    const unknown = link("a.md", "---\nproduct_id: Z-1\n---\n# Notes");
    match(unknown.reason!, /^cannot tell which product this manual is for/);
    match(unknown.reason!, /front matter product_id "Z-1" is not in the catalog/);
  });
  await t.step("broken YAML is reported, and the body is still read", () => {
    const broken = link("a.md", "---\nproduct_id: [B-202\n---\n# Notes");
    match(broken.reason!, /the front matter is not valid YAML/);
    deepEqual(link("a.md", "---\nproduct_id: [B-202\n---\n# Trail Stove Manual"), {
      productId: "B-202",
      rule: "product name",
    });
  });
  await t.step("two products in the same field are ambiguous", () => {
    equal(
      link("a.md", "---\nproduct_id: [B-202, k1]\n---\n").reason,
      'ambiguous: matches "Trail Stove" (id B-202) and "Riverrun 12 Touring Kayak" (id k1) by front matter',
    );
  });
});

Deno.test("linkManual() links by an id declared in the first lines", async (t) => {
  const declared = (markdown: string) => link("guide.md", markdown);
  await t.step("the layouts other teams write", () => {
    const cases: [string, string][] = [
      ["# Information about product item_number: 7\n\n## Care", "7"],
      ["Product ID: 7\n\n# Bag", "7"],
      ["# User Guide\n\n**Product ID:** B-202\n", "B-202"],
      ["# Guide\nSKU: B-202.", "B-202"],
      ["# Guide\n\n> id: k1", "k1"],
      ["# Guide\n`item-no: HX-9`", "HX-9"],
      ["# Guide\nProductId = 12", "12"],
      ["# Guide\nThis sheet covers Item #7 only.", "7"],
      ["# Guide\n| Product number: | 007 |", "7"],
      ["# Guide\n| Field | Value |\n| --- | --- |\n| SKU | B-202 |", "B-202"],
      ["\n\n\n# Guide\nline\nline\nline\nline\nline\nline\nline\nline\nid: 12", "12"],
    ];
    for (const [markdown, id] of cases) {
      deepEqual(declared(markdown), { productId: id, rule: "declared id" }, markdown);
    }
  });
  await t.step("only the first 10 non-empty lines are read", () => {
    const late = ["# Guide", ...Array.from({ length: 10 }, (_, i) => `Line ${i}.`), "id: 12"];
    equal(declared(late.join("\n")).productId, undefined);
  });
  await t.step("words that merely contain 'id', and ids not in the catalog, do not count", () => {
    equal(declared("# Guide\nValid: 12 months\nPaid: 7").productId, undefined);
    match(declared("# Guide\nProduct ID: 404").reason!, /"Product ID: 404" names no product/);
  });
  await t.step("a declared id beats a product name", () => {
    deepEqual(declared("# Trail Stove guide\nitem_number: 7"), {
      productId: "7",
      rule: "declared id",
    });
  });
  await t.step("two different declared products are ambiguous", () => {
    match(
      declared("# Guide\nProduct ID: 7\nReplaces product ID: 12").reason!,
      /^ambiguous: matches "Polar Vault 0° Expedition Sleeping Bag" \(id 7\) and "Summit Dome 2 Tent" \(id 12\) by declared id$/,
    );
  });
});

Deno.test("linkManual() links by the product's name in the title or the first lines", async (t) => {
  const named = (markdown: string, file = "guide.md") => link(file, markdown);
  await t.step("in the title, ignoring case, accents and punctuation", () => {
    deepEqual(named("# Summit Dome 2 Tent — User Manual"), {
      productId: "12",
      rule: "product name",
    });
    deepEqual(named("# The SUMMIT-DOME 2 tent: care guide"), {
      productId: "12",
      rule: "product name",
    });
    deepEqual(named("# Polar Vault 0 Expedition Sleeping-Bag"), {
      productId: "7",
      rule: "product name",
    });
    deepEqual(named("# Harbor and Hull Deck Bag").productId, undefined);
    deepEqual(named("# harbor & hull deck bag").productId, "HX-9");
  });
  await t.step("the longest name wins; a shorter one inside it does not make it ambiguous", () => {
    equal(named("# Summit Dome 2 Tent").productId, "12");
    equal(named("# Summit Dome 2 footprint").productId, "1");
  });
  await t.step("whole words only", () => {
    equal(named("# Summit Dome 21 Tent").productId, undefined);
    equal(named("# Trail Stoves compared").productId, undefined);
  });
  await t.step("under a generic title, in a Model: line or the first paragraph", () => {
    deepEqual(named("# User Guide\n\nModel: Summit Dome 2 Tent\n\n## Setup\nPitch it."), {
      productId: "12",
      rule: "product name",
    });
    equal(named("Thank you for buying the riverrun 12 touring kayak.\n## Care").productId, "k1");
  });
  await t.step("a name in the title beats a longer name in the first lines", () => {
    equal(named("# Summit Dome 2 Footprint\nFits the Summit Dome 2 Tent.").productId, "1");
  });
  await t.step("front matter title, and the file name when nothing inside names it", () => {
    equal(named("---\ntitle: Trail Stove care\n---\nKeep it clean.").productId, "B-202");
    deepEqual(named("## Care\nRinse it.", "riverrun-12-touring-kayak.md"), {
      productId: "k1",
      rule: "product name",
    });
  });
  await t.step("two products with the same name are ambiguous; nothing at all is unmatched", () => {
    const twins = [...catalog, product("T2", "Trail Stove")];
    equal(
      link("stove.md", "# Trail Stove", twins).reason,
      'ambiguous: matches "Trail Stove" (id B-202) and "Trail Stove" (id T2) by product name',
    );
    equal(
      named("# Release notes\nNothing we sell.").reason,
      "cannot tell which product this manual is for: no catalog id in the file name, front matter " +
        "or first 10 lines, and no product name in the title or first lines",
    );
  });
  await t.step("a name deep in the manual does not count", () => {
    const body = ["# User Guide", ...Array.from({ length: 12 }, () => "Text."), "Trail Stove"];
    equal(named(body.join("\n")).productId, undefined);
  });
});

Deno.test("manualLinkSummary() counts the manuals by rule and the skipped ones", () => {
  const m = (linkedBy?: Manual["linkedBy"]): Manual => ({
    productId: "1",
    file: "x.md",
    markdown: "",
    ...(linkedBy ? { linkedBy } : {}),
  });
  equal(
    manualLinkSummary(
      [m("product name"), m("file name"), m("file name"), m("declared id"), m("front matter")],
      1,
    ),
    "manuals: 5 linked (2 by file name, 1 by front matter, 1 by declared id, 1 by product name), 1 skipped",
  );
  equal(manualLinkSummary([m("file name")], 0), "manuals: 1 linked (1 by file name)");
  equal(manualLinkSummary([], 2), "manuals: 0 linked, 2 skipped");
  ok(manualLinkSummary([m()], 0).includes("1 given"));
});
