import { deepEqual, equal, ok, throws } from "node:assert/strict";
import type { EmbeddingModel } from "../models/types.ts";
import {
  evaluateSearch,
  formatMisses,
  type LabelledQuery,
  matchesQuery,
  parseLabelledQueries,
  passageWords,
  TINY_SECTION_WORDS,
} from "./search_eval.ts";
import type { ProductSearch, SearchHit } from "./types.ts";

function hit(productId: string, title: string, content = "word ".repeat(40), kind = "manual") {
  return {
    id: `${productId}-${title}`,
    kind: kind as SearchHit["kind"],
    productId,
    title,
    content,
    url: "",
    category: "",
    brand: "",
    score: 1,
  };
}

Deno.test("parseLabelledQueries() reads labelled rows and names the file and line of a bad one", async (t) => {
  await t.step("product and section rows, blank lines ignored", () => {
    const text = [
      `{"id":"a","question":"Which canoe?","productId":"b1"}`,
      "",
      `{"id":"b","question":"Gunwale oil?","productId":"b1","section":"Gunwale Care","note":"x"}`,
    ].join("\n");
    deepEqual(parseLabelledQueries(text, "q.jsonl"), [
      { id: "a", question: "Which canoe?", productId: "b1" },
      { id: "b", question: "Gunwale oil?", productId: "b1", section: "Gunwale Care" },
    ]);
  });
  await t.step("bad rows", () => {
    throws(
      () => parseLabelledQueries(`{"id":"a","question":"q","productId":"1"}\n{oops`, "q.jsonl"),
      /^ValidationError: Cannot load queries "q.jsonl" \(line 2\): invalid JSON/,
    );
    throws(
      () => parseLabelledQueries(`{"id":"a","question":"","productId":"1"}`, "q.jsonl"),
      /\(line 1\): "question" must be a non-empty string/,
    );
    throws(
      () => parseLabelledQueries(`{"id":"a","question":"q","productId":7}`, "q.jsonl"),
      /"productId" must be a non-empty string/,
    );
    throws(
      () =>
        parseLabelledQueries(
          `{"id":"a","question":"q","productId":"1"}\n{"id":"a","question":"r","productId":"1"}`,
          "q.jsonl",
        ),
      /\(line 2\): duplicate query id "a"/,
    );
  });
});

Deno.test("matchesQuery() matches by product id and section heading in the title", async (t) => {
  const care: LabelledQuery = { id: "q", question: "?", productId: "7", section: "care" };
  await t.step("a product question takes any document of that product", () => {
    const q = { id: "q", question: "?", productId: "7" };
    ok(matchesQuery(hit("7", "Tent", "", "product"), q));
    ok(matchesQuery(hit("7", "Tent — Warranty"), q));
    ok(!matchesQuery(hit("8", "Tent", "", "product"), q));
  });
  await t.step("a section question wants that manual section, case-insensitively", () => {
    ok(matchesQuery(hit("7", "Tent — Care"), care));
    ok(!matchesQuery(hit("7", "Tent — Warranty"), care));
    ok(!matchesQuery(hit("8", "Tent — Care"), care));
    ok(
      !matchesQuery(hit("7", "Care", "", "product"), care),
      "the product document is not a section",
    );
  });
  await t.step("a merged title that contains the heading counts, a longer word does not", () => {
    ok(matchesQuery(hit("7", "Tent — Brand · Care"), care));
    ok(matchesQuery(hit("7", "Tent — Category, Brand and Care"), care));
    ok(!matchesQuery(hit("7", "Tent — Careers"), care));
    ok(!matchesQuery(hit("7", "Care Kit — Warranty"), care), "the product name is not the section");
  });
});

Deno.test("passageWords() counts the passage's own words", () => {
  equal(passageWords({ title: "Canoe — Brand", content: "Harbor & Hull" }), 2);
  equal(passageWords({ title: "Canoe — Brand", content: "Canoe — Brand\nHarbor & Hull" }), 2);
});

Deno.test("evaluateSearch() scores top-1, reciprocal rank and tiny wins", async () => {
  const queries: LabelledQuery[] = [
    { id: "first", question: "alpha", productId: "1", section: "Care" },
    { id: "third", question: "beta", productId: "2" },
    { id: "absent", question: "gamma", productId: "3", section: "Warranty" },
    { id: "tiny", question: "delta", productId: "4", section: "Specs" },
    { id: "faq", question: "epsilon", productId: "5", section: "Care" },
  ];
  const lists: Record<string, SearchHit[]> = {
    alpha: [hit("1", "A — Care"), hit("1", "A — Warranty")],
    beta: [hit("9", "Z", "", "product"), hit("8", "Y — FAQ"), hit("2", "B", "", "product")],
    gamma: [hit("3", "C — Care")],
    delta: [hit("4", "D — Brand", "Only three words"), hit("4", "D — Specs")],
    // A short FAQ entry (a question and its answer) that wins is not a tiny section.
    epsilon: [hit("5", "E — FAQ", "E — FAQ\n**Q: Does it float?**\nYes."), hit("5", "E — Care")],
  };
  const seen: { text: string; vector: number[]; top?: number }[] = [];
  const search: ProductSearch = {
    backend: "fake",
    search: (query, options) => {
      seen.push({ ...query, top: options?.top });
      return Promise.resolve(lists[query.text]);
    },
    upsert: () => Promise.resolve(0),
    count: () => Promise.resolve(0),
  };
  const embeddings: EmbeddingModel = {
    name: "fake",
    backend: "fake",
    dimensions: 1,
    embed: (texts) => Promise.resolve(texts.map((t) => [t.length])),
  };
  const report = await evaluateSearch(search, embeddings, queries);
  deepEqual(seen[0], { text: "alpha", vector: [5], top: 10 }, "text and its embedding, top 10");
  deepEqual(report.outcomes.map((o) => o.rank), [1, 3, undefined, 2, 2]);
  equal(report.top1, 1 / 5);
  equal(report.mrr, (1 + 1 / 3 + 0 + 1 / 2 + 1 / 2) / 5);
  equal(report.tinyWins, 1);
  deepEqual(report.outcomes.map((o) => o.tinyTop), [false, false, false, true, false]);
  ok(TINY_SECTION_WORDS > 3);
  deepEqual(formatMisses(report).map((m) => m.split(" ")[0]), ["third", "absent", "tiny", "faq"]);
  ok(formatMisses(report)[1].includes('expected 3 / Warranty; got 3 "C — Care"'));
  ok(formatMisses(report)[2].includes("a tiny section (expected at rank 2)"));
});
