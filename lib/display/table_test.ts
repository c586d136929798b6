import assert from "node:assert/strict";
import { table } from "./table.ts";
import { JUPYTER_DISPLAY } from "./_bundle.ts";

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
  assert.ok(markup.includes("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"));
  assert.ok(markup.includes("<th>&lt;th&gt;</th>"));
  assert.ok(markup.includes("<caption>&lt;caption&gt;</caption>"));
  assert.ok(markup.includes("Tom &amp; Jerry&#39;s"));
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
  assert.ok(bundle["text/html"].includes('<td style="text-align:right">90.5</td>'));
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
