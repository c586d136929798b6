import assert from "node:assert/strict";
import { table } from "./table.ts";
import { JUPYTER_DISPLAY } from "./_bundle.ts";
import { parseHTML } from "linkedom";

function dom(markup: string): Document {
  return parseHTML(`<!DOCTYPE html><html><body>${markup}</body></html>`)
    .document as unknown as Document;
}

const rows = [
  { id: 1, name: "TrailMaster X4 Tent", price: 250 },
  { id: 2, name: "Adventurer Pro Backpack", price: 90.5 },
];

Deno.test("table() escapes HTML", () => {
  const t = table(
    [{ "<th>": `<script>alert("x")</script>`, q: "Tom & Jerry's" }],
    { caption: "<caption>" },
  );
  const markup = t.bundle["text/html"];
  assert.ok(!markup.includes("<script>"));
  const doc = dom(markup);
  assert.equal(doc.querySelectorAll("script, th th, caption caption").length, 0);
  const cells = [...doc.querySelectorAll("td")].map((td) => td.textContent);
  assert.deepEqual(cells, [`<script>alert("x")</script>`, "Tom & Jerry's"]);
  assert.equal(doc.querySelector("th")!.textContent, "<th>");
  assert.equal(doc.querySelector("caption")!.textContent, "<caption>");
});

Deno.test("table() renders a Jupyter bundle with HTML and aligned text", () => {
  const t = table(rows, { caption: "Products" });
  const bundle = t[JUPYTER_DISPLAY]();
  assert.deepEqual(Object.keys(bundle).sort(), ["text/html", "text/plain"]);
  assert.equal(
    bundle["text/plain"],
    [
      "Products",
      "id  name                     price",
      "--  -----------------------  -----",
      " 1  TrailMaster X4 Tent        250",
      " 2  Adventurer Pro Backpack   90.5",
    ].join("\n"),
  );
  assert.equal(String(t), bundle["text/plain"]);
  const doc = dom(bundle["text/html"]);
  assert.equal(doc.querySelectorAll('table[data-display="table"]').length, 1);
  const align = [...doc.querySelectorAll("tbody tr:first-child td")].map((td) =>
    /text-align:(\w+)/.exec(td.getAttribute("style") ?? "")?.[1]
  );
  assert.deepEqual(align, ["right", "left", "right"], "text left, numbers right, explicitly");
  const head = [...doc.querySelectorAll("th")].map((th) =>
    /text-align:(\w+)/.exec(th.getAttribute("style") ?? "")?.[1]
  );
  assert.deepEqual(head, align, "headers sit over their column");
});

Deno.test("table() follows columns and formats values", async (t) => {
  await t.step("columns choose and order", () => {
    const text = String(table(rows, { columns: ["price", "id"] }));
    assert.equal(text.split("\n")[0], "price  id");
    assert.ok(!text.includes("TrailMaster"));
  });
  await t.step("missing, null, objects and long text", () => {
    const text = String(
      table([{ a: null, b: { x: 1 }, c: "x".repeat(100) }, { d: new Date(0) }], { maxWidth: 24 }),
    );
    assert.ok(text.includes('{"x":1}'));
    assert.ok(text.includes(`${"x".repeat(23)}…`));
    assert.ok(text.includes("1970-01-01T00:00:00.000Z"));
  });
  await t.step("no rows", () => {
    assert.ok(String(table([], { columns: ["id"] })).endsWith("(no rows)"));
  });
});

Deno.test("table() accepts interface-typed rows", () => {
  interface Product {
    id: number;
    name: string;
  }
  const products: Product[] = [{ id: 7, name: "Tent" }];
  assert.ok(String(table(products, { columns: ["name"] })).endsWith("Tent"));
});

Deno.test("table() renders inline Markdown in text cells, the same way in both forms", async (t) => {
  // Cells written the way a preflight fix or an evaluation verdict would be.
  const rows = [
    { check: "Azure CLI", fix: "Run `az login --use-device-code`, then **re-run** this cell" },
    { check: "azd", fix: "See [the azd docs](https://learn.example.com/azd) or _skip_ it" },
    { check: "env", fix: "Set AZURE_OPENAI_ENDPOINT in .env (snake_case stays as is)" },
  ];
  const view = table(rows, { caption: "Fixes for **this** machine" });
  const doc = dom(view.bundle["text/html"]);
  const fix = [...doc.querySelectorAll("tbody tr")].map((tr) => tr.children[1]);
  await t.step("text/html renders code, bold, emphasis and links", () => {
    assert.equal(fix[0].querySelector("code")!.textContent, "az login --use-device-code");
    assert.equal(fix[0].querySelector("strong")!.textContent, "re-run");
    assert.equal(fix[1].querySelector("a")!.getAttribute("href"), "https://learn.example.com/azd");
    assert.equal(fix[1].querySelector("em")!.textContent, "skip");
    assert.equal(fix[2].textContent, rows[2].fix);
    assert.equal(doc.querySelector("caption strong")!.textContent, "this");
    for (const cell of fix) assert.doesNotMatch(cell.textContent!, /[`*]/);
  });
  await t.step("text/plain shows the same words without markers", () => {
    const text = String(table(rows, { maxWidth: 200 }));
    assert.doesNotMatch(text, /[`*]|\]\(/);
    assert.ok(text.includes("Run az login --use-device-code, then re-run this cell"));
    assert.ok(text.includes("See the azd docs (https://learn.example.com/azd) or skip it"));
    assert.ok(text.includes("AZURE_OPENAI_ENDPOINT"));
    assert.equal(String(view).split("\n")[0], "Fixes for this machine");
  });
  await t.step("literal columns show the source exactly", () => {
    const replies = [{ reply: "**4**", score: 4 }, { reply: "`5`", score: 5 }];
    const lit = table(replies, { literal: ["reply"] });
    const cells = [...dom(lit.bundle["text/html"]).querySelectorAll("td code")];
    assert.deepEqual(cells.map((c) => c.textContent), ["**4**", "`5`"]);
    assert.ok(String(lit).includes("**4**"));
    assert.ok(String(lit).includes("`5`"));
  });
});
