import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { join } from "node:path";
import { loadDataSet } from "../seed/load_data.ts";
import { checkEvalRow } from "../seed/validate.ts";
import { resolveProjectPath } from "../runtime/paths.ts";
import type { ChatMessage, ChatModel } from "../models/types.ts";
import type { Customer } from "../customers/types.ts";
import { parseDataset } from "./dataset.ts";
import {
  customerFor,
  faqRows,
  loadManualsFrom,
  modelRows,
  seededSample,
  toJsonl,
} from "./generate.ts";

Deno.test("faqRows() turns data/'s FAQ entries into labelled evaluation rows", async () => {
  const data = await loadDataSet(resolveProjectPath("data"));
  const rows = faqRows(data);
  // Every manual of data/ has a FAQ of three questions.
  equal(rows.length, data.manuals.length * 3);
  for (const row of rows) {
    ok(checkEvalRow(row).ok, JSON.stringify(row));
    equal(row.source, "faq");
    ok(new RegExp(`^${row.productId}-manual-faq-\\d+$`).test(row.passageId), row.passageId);
    ok(row.question.endsWith("?") && !row.question.includes("**"), row.question);
    ok(!/^\s*(?:\*\*)?Q:/.test(row.truth) && row.truth.length > 0);
    const buyer = data.customers.find((c) => c.id === row.customerId)!;
    const bought = data.customers.some((c) =>
      c.orders.some((o) => String(o.productId) === row.productId)
    );
    equal(buyer.orders.some((o) => String(o.productId) === row.productId), bought);
  }
  // The rows load as an evaluation set, provenance fields and all.
  const parsed = parseDataset(toJsonl(rows), "generated.jsonl");
  equal(parsed.length, rows.length);
  // A seeded sample is reproducible and a subset.
  const a = faqRows(data, { count: 5, seed: 3 });
  deepEqual(faqRows(data, { count: 5, seed: 3 }), a);
  equal(a.length, 5);
  ok(a.every((r) => rows.some((s) => s.passageId === r.passageId)));
  ok(JSON.stringify(faqRows(data, { count: 5, seed: 4 })) !== JSON.stringify(a));
});

Deno.test("faqRows() on the paddle catalog: its manuals have no FAQ, so no rows", async () => {
  const data = await loadDataSet(resolveProjectPath("lib/seed/testdata/paddle_catalog"));
  ok(data.manuals.length > 0);
  deepEqual(faqRows(data), []);
});

Deno.test("faqRows() reads other FAQ layouts and picks a customer", async (t) => {
  const products = [
    {
      id: "B-202",
      name: "Ridgeback Trail Stove",
      price: 60,
      category: "Stoves",
      brand: "R",
      description: "x",
    },
    { id: "B-7", name: "Ember Pot", price: 20, category: "Cookware", brand: "R", description: "y" },
  ];
  const customer = (id: string, productId?: string): Customer => ({
    id,
    firstName: "A",
    lastName: "B",
    age: 30,
    email: `${id}@x.test`,
    phone: "1",
    address: "a",
    membership: "Base",
    orders: productId
      ? [{
        id: 1,
        productId,
        quantity: 1,
        total: 1,
        date: "2026-01-01",
        name: "n",
        unitprice: 1,
        category: "c",
        brand: "b",
        description: "d",
      }] as Customer["orders"]
      : [],
  });
  const markdown = [
    "# Ridgeback Trail Stove — Guide",
    "",
    "## Frequently asked questions",
    "",
    "Q. Does the Ridgeback burn alcohol?",
    "No, butane-propane canisters only.",
    "",
    "- **Can it simmer?**",
    "Yes: turn the valve a quarter turn.",
  ].join("\n");
  const rows = faqRows({
    products,
    customers: [customer("c10"), customer("c2"), customer("c9", "B-202")],
    manuals: [{ productId: "B-202", file: "B-202-stove.md", markdown }],
  });
  await t.step("questions and answers", () => {
    deepEqual(rows.map((r) => [r.question, r.truth]), [
      ["Does the Ridgeback burn alcohol?", "No, butane-propane canisters only."],
      ["About the Ridgeback Trail Stove: Can it simmer?", "Yes: turn the valve a quarter turn."],
    ]);
    ok(rows.every((r) => r.passageId.startsWith("B-202-manual-frequently-asked-questions")));
  });
  await t.step("the buyer of the product, else the first customer by id", () => {
    ok(rows.every((r) => r.customerId === "c9"));
    equal(customerFor([customer("c10"), customer("c2")], "B-7"), "c2");
    equal(customerFor([], "B-7"), "1");
  });
});

Deno.test("seededSample() keeps order, has no repeats and covers all when asked", () => {
  const items = Array.from({ length: 50 }, (_, i) => i);
  const s = seededSample(items, 10, 1);
  equal(new Set(s).size, 10);
  deepEqual([...s].sort((a, b) => a - b), s);
  deepEqual(seededSample(items, 80, 1), items);
});

/** A chat model that answers from the passage id it was given, like a model writing JSON. */
function fakeModel(reply: (user: string) => string): ChatModel & { calls: ChatMessage[][] } {
  const calls: ChatMessage[][] = [];
  return {
    name: "fake-writer",
    backend: "openai-compatible",
    calls,
    complete(messages) {
      calls.push(messages);
      return Promise.resolve({ content: reply(messages.at(-1)!.content), finishReason: "stop" });
    },
    stream() {
      throw new Error("not used");
    },
  };
}

Deno.test("modelRows() asks the model once per sampled passage and labels the rows", async () => {
  const data = await loadDataSet(resolveProjectPath("data"));
  const model = fakeModel((user) => {
    const id = /PASSAGE \[([^\]]+)\]/.exec(user)?.[1] ?? "?";
    if (id.endsWith("-2")) return "Sorry, I can only write prose.";
    return "```json\n" +
      JSON.stringify({ question: `What does ${id} say?`, answer: `It says ${id}.` }) +
      "\n```";
  });
  const problems: string[] = [];
  const rows = await modelRows(data, model, {
    count: 12,
    seed: 9,
    onProblem: (p) => problems.push(`${p.passageId}: ${p.message}`),
  });
  equal(model.calls.length, 12);
  equal(rows.length + problems.length, 12);
  for (const row of rows) {
    equal(row.source, "model");
    equal(row.model, "fake-writer");
    equal(row.question, `What does ${row.passageId} say?`);
    ok(row.passageId.startsWith(`${row.productId}-manual-`));
    ok(checkEvalRow(row).ok);
  }
  ok(problems.every((p) => /^\S+-2: /.test(p)), problems.join("\n"));
  // The passage itself is in the prompt, and the same seed samples the same passages.
  ok(model.calls[0].some((m) => m.role === "system" && m.content.includes("JSON object")));
  const again = await modelRows(data, fakeModel(() => '{"question":"q?","answer":"a"}'), {
    count: 12,
    seed: 9,
  });
  equal(again.length, 12);
  deepEqual(
    new Set(again.map((r) => r.passageId)),
    new Set([...rows.map((r) => r.passageId), ...problems.map((p) => p.split(":")[0])]),
  );
});

Deno.test("loadManualsFrom() links another folder's manuals to the products", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      join(dir, "stove.md"),
      "# Ridgeback Trail Stove\n## FAQ\n**Q: A?**\nB.\n\n**Q: C?**\nD.",
    );
    await Deno.writeTextFile(join(dir, "other.md"), "# Nothing we sell\nText.");
    const products = [{
      id: "9",
      name: "Ridgeback Trail Stove",
      price: 1,
      category: "c",
      brand: "b",
      description: "d",
    }];
    const { manuals, problems } = await loadManualsFrom(dir, products);
    deepEqual(manuals.map((m) => [m.file, m.productId, m.linkedBy]), [[
      "stove.md",
      "9",
      "product name",
    ]]);
    equal(problems.length, 1);
    ok(problems[0].startsWith("other.md: "));
    await rejects(
      loadManualsFrom(join(dir, "missing"), products),
      /Cannot read manuals .*not found/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
