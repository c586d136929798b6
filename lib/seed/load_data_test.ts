import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ValidationError } from "../errors.ts";
import { loadDataSet, readProducts, scanDataSet } from "./load_data.ts";
import type { DataProblem } from "./load_data.ts";

/** Write a data directory from a map of relative paths to contents. */
async function tempData(files: Record<string, string>): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "contoso-data-" });
  for (const [path, text] of Object.entries(files)) {
    await Deno.mkdir(join(dir, path, ".."), { recursive: true });
    await Deno.writeTextFile(join(dir, path), text);
  }
  return dir;
}

const customer = (id: string | number, firstName: string) =>
  JSON.stringify({ id, firstName, lastName: "L", orders: [{ productId: "p1", name: "Tarp" }] });

Deno.test("loadDataSet() keeps good records and reports bad ones with file and line", async () => {
  const dir = await tempData({
    "products.csv": [
      "id,name,price,category,brand,description",
      'p1,Ridge Tarp,59.5,Shelters,Acme,"A tarp, light"',
      "p2,,10,Shelters,Acme,no name",
      "p3,Camp Mug,abc,Kitchen,Acme,bad price",
      "p4,Too,Many,Fields,Here,x,y",
      'p5,Trail Stove,"45",Kitchen,Acme,"multi',
      'line description"',
      "p1,Duplicate,1,x,y,z",
      "p6,Lantern,20,Lighting,Acme,Bright.",
    ].join("\n"),
    "customers/1.json": customer(1, "Ana"),
    "customers/2.json": "{ not json",
    "customers/3.json": JSON.stringify({ id: "3" }),
    "customers/more.json": JSON.stringify([
      JSON.parse(customer("4", "Bo")),
      { id: "5" },
      JSON.parse(customer(1, "Dup")),
    ]),
    "customers/notes.txt": "ignored",
    "manuals/p1-ridge-tarp.md": "# Ridge Tarp — User Manual\n\n## Care\nDry it.",
    "manuals/lantern-guide.md": "# The Lantern handbook\n\n## Batteries\nUse AA.",
    "manuals/unknown.md": "# Something else\n\nText.",
    "manuals/stove.md": "---\nproduct_id: p5\n---\n# Stove\n\n## Fuel\nGas.",
    "eval/test.jsonl": [
      JSON.stringify({ customerId: "1", question: "Which tarp?", intent: "product" }),
      "",
      "{broken",
      JSON.stringify({ customerId: "1" }),
      JSON.stringify({ customerId: 1, question: "Care?", chat_history: [] }),
    ].join("\n"),
  });
  try {
    const data = await loadDataSet(dir);
    deepEqual(data.products.map((p) => p.id), ["p1", "p5", "p6"]);
    equal(data.products[0].description, "A tarp, light");
    equal(data.products[1].price, 45);
    equal(data.products[1].description, "multi\nline description");
    deepEqual(data.customers.map((c) => c.id), ["1", "4"]);
    deepEqual(data.manuals.map((m) => [m.file, m.productId, m.linkedBy]), [
      ["lantern-guide.md", "p6", "product name"],
      ["p1-ridge-tarp.md", "p1", "file name"],
      ["stove.md", "p5", "front matter"],
    ]);
    equal(data.manualsSkipped, 1);
    deepEqual(Object.keys(data.eval), ["test"]);
    deepEqual(data.eval.test.map((r) => r.question), ["Which tarp?", "Care?"]);

    const where = (p: DataProblem) =>
      `${p.file.slice(dir.length + 1)}${p.line ? `:${p.line}` : ""}`;
    deepEqual(data.problems.map(where), [
      "products.csv:3",
      "products.csv:4",
      "products.csv:5",
      "products.csv:8",
      "customers/2.json",
      "customers/3.json",
      "customers/more.json",
      "customers/more.json",
      "manuals/unknown.md",
      "eval/test.jsonl:3",
      "eval/test.jsonl:4",
    ]);
    const messages = data.problems.map((p) => p.message);
    ok(messages[0].includes("name is empty"));
    ok(messages[1].includes('price "abc"'));
    equal(messages[2], "expected 6 fields, found 7");
    equal(messages[3], 'duplicate product id "p1"');
    ok(messages[4].startsWith("invalid JSON"));
    equal(messages[5], "firstName is missing");
    equal(messages[6], "firstName is missing (item 2)");
    equal(messages[7], 'duplicate customer id "1" (item 3)');
    ok(messages[8].startsWith("cannot tell which product this manual is for"));
    ok(messages[9].startsWith("invalid JSON"));
    equal(messages[10], "question is missing");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadDataSet() on the repository's data has no problems", async () => {
  const data = await loadDataSet(fileURLToPath(new URL("../../data", import.meta.url)));
  deepEqual(data.problems, []);
  ok(data.products.length >= 20);
  ok(new Set(data.products.map((p) => p.category)).size >= 7);
  ok(data.customers.length >= 12);
  equal(data.manuals.length, data.products.length, "one manual per product");
  ok(data.manuals.every((m) => m.linkedBy === "file name"));
  equal(data.manualsSkipped, 0);
  const ids = new Set(data.products.map((p) => p.id));
  for (const c of data.customers) {
    for (const o of c.orders) ok(ids.has(String(o.productId)), `customer ${c.id} order`);
  }
  ok(data.eval.test.length >= 24);
  ok(data.eval.jailbreak.length >= 10);
});

Deno.test("loadDataSet() reports missing files and folders instead of failing", async () => {
  const dir = await tempData({ "customers/a.json": customer("a", "Al") });
  try {
    const data = await loadDataSet(dir);
    deepEqual(data.products, []);
    deepEqual(data.manuals, []);
    deepEqual(data.eval, {});
    equal(data.customers.length, 1);
    deepEqual(data.problems, [{ file: join(dir, "products.csv"), message: "file not found" }]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadDataSet() rejects a folder that does not exist", async () => {
  await rejects(
    loadDataSet("/definitely/not/here"),
    new ValidationError('Cannot load data "/definitely/not/here": directory not found'),
  );
});

Deno.test("readProducts() reports missing columns, an empty file and an unterminated quote", () => {
  const problems: DataProblem[] = [];
  deepEqual(readProducts("id,name,price\n1,Tent,10\n", "p.csv", problems), [
    { id: "1", name: "Tent", price: 10, category: "", brand: "", description: "" },
  ]);
  deepEqual(problems, [{
    file: "p.csv",
    line: 1,
    message: "missing columns: category, brand, description",
  }]);
  problems.length = 0;
  deepEqual(readProducts("name,price\nTent,10", "p.csv", problems), []);
  equal(problems[0].message, "missing columns: id, category, brand, description");
  problems.length = 0;
  deepEqual(readProducts("", "p.csv", problems), []);
  deepEqual(problems, [{ file: "p.csv", message: "the file is empty" }]);
  problems.length = 0;
  deepEqual(readProducts('id,name\n1,"open', "p.csv", problems), []);
  equal(problems[0].message, "Unterminated quoted field starting on line 2");
});

Deno.test("readProducts() accepts columns in any order and case", () => {
  const problems: DataProblem[] = [];
  const [p] = readProducts(
    "Description,Brand,Category,Price,Name,ID\nWarm.,Acme,Bags,99,Bag,b1",
    "p.csv",
    problems,
  );
  deepEqual(p, {
    id: "b1",
    name: "Bag",
    price: 99,
    category: "Bags",
    brand: "Acme",
    description: "Warm.",
  });
  deepEqual(problems, []);
});

Deno.test("readProducts() keeps the rows before an unterminated quote and names its line", () => {
  const problems: DataProblem[] = [];
  const csv = "id,name,price,category,brand,description\n" +
    "p-1,Lantern,20,Lighting,Glowco,Bright.\n" +
    'p-2,"Stove, compact",45,Cooking,Heatco,Small.\n' +
    'p-3,"Half-written\n';
  const products = readProducts(csv, "catalog.csv", problems);
  deepEqual(products.map((p) => p.id), ["p-1", "p-2"]);
  deepEqual(problems, [{
    file: "catalog.csv",
    line: 4,
    message: "Unterminated quoted field starting on line 4",
  }]);
});

Deno.test("scanDataSet() with catalog: false reads customers and evaluation sets only", async () => {
  const dir = await tempData({
    "products.csv": "id,name,price,category,brand,description\nq1,,5,Bags,Acme,no name\n",
    "customers/7.json": customer(7, "Ines"),
    "customers/8.json": "[oops",
    "manuals/q1.md": "# Dry Bag\n\n## Sealing\nRoll it three times.",
    "eval/smoke.jsonl": JSON.stringify({ customerId: "7", question: "Which bag?" }) + "\n{",
  });
  try {
    const full = await scanDataSet(dir);
    const partial = await scanDataSet(dir, { catalog: false });
    deepEqual(partial.products, []);
    deepEqual(partial.manualFiles, []);
    deepEqual(partial.customers, full.customers);
    deepEqual(partial.eval, full.eval);
    // The catalog's problem (the row without a name) is the only one left out.
    const productsFile = join(dir, "products.csv");
    deepEqual(partial.problems, full.problems.filter((p) => p.file !== productsFile));
    ok(full.problems.some((p) => p.file === productsFile));
    equal(partial.problems.length, 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("seeding's scan and deno task eval read one evaluation file alike, in any spelling", async () => {
  // Rows as other teams write them: the original workshop's snake_case id, a history sent as
  // a JSON string, camelCase chatHistory, an empty history string; and two bad rows.
  const lines = [
    { customer_id: "4", question: "Which stove?", chat_history: "[]", intent: "product_advice" },
    {
      customerId: 2,
      question: "And the tent?",
      chat_history: JSON.stringify([{ role: "user", content: "Hi" }, {
        role: "assistant",
        content: "Hello!",
      }]),
    },
    { customerId: "3", question: "Boots?", chatHistory: [{ role: "user", content: "Hi" }] },
    { customer_id: "5", question: "Care?", chat_history: "", truth: "Rinse it." },
    { customer_id: "6", question: "Bad history", chat_history: "[oops" },
    { question: "No customer" },
  ].map((row) => JSON.stringify(row)).join("\n");
  const dir = await tempData({ "eval/mixed.jsonl": lines + "\n" });
  try {
    const scan = await scanDataSet(dir, { catalog: false });
    const { parseDataset } = await import("../evaluate/dataset.ts");
    let rejected = "";
    try {
      parseDataset(lines, "eval/mixed.jsonl");
    } catch (error) {
      rejected = (error as Error).message;
    }
    // The same two rows fail in both, for the same reasons.
    deepEqual(
      scan.problems.map((p) => `${p.line}: ${p.message}`),
      ["5: chat_history must be a JSON array of {role, content} turns", "6: customerId is missing"],
    );
    ok(
      rejected.includes(
        "eval/mixed.jsonl:5: chat_history must be a JSON array of {role, content} turns",
      ),
      rejected,
    );
    ok(rejected.includes("eval/mixed.jsonl:6: customerId is missing"), rejected);
    // The good rows read the same.
    const good = lines.split("\n").slice(0, 4).join("\n");
    const parsed = parseDataset(good, "eval/mixed.jsonl")
      .map(({ customerId, question, chatHistory, intent, truth }) => ({
        customerId,
        question,
        chatHistory,
        intent,
        truth,
      }));
    deepEqual(scan.eval.mixed, parsed);
    deepEqual(parsed.map((r) => [r.customerId, r.chatHistory.length]), [
      ["4", 0],
      ["2", 2],
      ["3", 1],
      ["5", 0],
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
