import { deepEqual, equal, ok, throws } from "node:assert/strict";
import {
  EMBEDDING_LIMITS,
  embeddingLimits,
  estimateTokens,
  fitEmbeddingInput,
  planEmbeddingBatches,
} from "./embedding_batches.ts";
import { Tiktoken } from "js-tiktoken/lite";
import cl100k from "js-tiktoken/ranks/cl100k_base";
import o200k from "js-tiktoken/ranks/o200k_base";
import { embeddingText } from "../products/documents.ts";
import { resolveProjectPath } from "../runtime/paths.ts";
import { loadDataSet } from "../seed/load_data.ts";
import { searchDocuments } from "../seed/seed_stores.ts";

Deno.test("embeddingLimits() gives the documented limits per backend", async (t) => {
  await t.step("Azure OpenAI: 2,048 inputs, 8,192 tokens per input and per request", () => {
    deepEqual(embeddingLimits("azure-openai"), {
      maxInputs: 2048,
      maxInputTokens: 8192,
      maxRequestTokens: 8192,
    });
  });
  await t.step("OpenAI-compatible: 300,000 tokens per request", () => {
    equal(embeddingLimits("openai-compatible").maxRequestTokens, 300_000);
  });
  await t.step("an unknown backend gets the strictest (Azure's)", () => {
    deepEqual(embeddingLimits("some-new-backend"), EMBEDDING_LIMITS["azure-openai"]);
  });
  await t.step("GitHub Models: 64,000 tokens per request (the free Embedding tier)", () => {
    equal(embeddingLimits("github-models").maxRequestTokens, 64_000);
  });
  await t.step("overrides win; undefined ones are ignored; nonsense is a RangeError", () => {
    equal(embeddingLimits("offline", { maxInputs: 64 }).maxInputs, 64);
    equal(embeddingLimits("offline", { maxInputs: undefined }).maxInputs, 2048);
    throws(() => embeddingLimits("offline", { maxInputs: 0 }), RangeError);
  });
});

Deno.test("estimateTokens() is never under the real tokenizer on real passages", async (t) => {
  // text-embedding-3-* and ada-002 tokenize with cl100k_base; newer models with o200k_base.
  const encoders = { cl100k_base: new Tiktoken(cl100k), o200k_base: new Tiktoken(o200k) };
  const texts: string[] = [];
  for (
    const dir of ["data", "lib/seed/testdata/paddle_catalog", "lib/seed/testdata/foreign_manuals"]
  ) {
    texts.push(...searchDocuments(await loadDataSet(resolveProjectPath(dir))).map(embeddingText));
  }
  // Beyond English prose: other scripts, accents, emoji, numbers, ids and markup.
  texts.push(
    "Größe: 2 Personen, Gewicht 1,2 kg — wasserdicht bis 3.000 mm Wassersäule.",
    "テントを乾かしてから収納してください。ポールは折らないでください。",
    "Палатка для двух человек, вес 1,2 кг. Не стирать в машине.",
    "🏕️ Camp set-up in 5 min ⛺ · rated −10 °C · ½ kg",
    "SKU: TX-2048-B/7; serial 00017734512; lot 4f9a2c7e1b; part a1b2c3d4e5f6 g7h8",
    "| Size | Weight |\n|---|---|\n| S | 1.1 kg |\n| L | 1.4 kg |",
  );
  for (const [name, encoder] of Object.entries(encoders)) {
    await t.step(`${name}: ${texts.length} texts`, () => {
      let estimated = 0;
      let real = 0;
      for (const text of texts) {
        const tokens = encoder.encode(text).length;
        ok(estimateTokens(text) >= tokens, `${estimateTokens(text)} < ${tokens}: ${text}`);
        estimated += estimateTokens(text);
        real += tokens;
      }
      // Safe, but not so far over that requests carry half what they could.
      ok(estimated / real < 1.6, `estimate ${estimated} vs ${real} tokens`);
    });
  }
});

Deno.test("fitEmbeddingInput() cuts a long text to the per-input limit at a word", () => {
  const text = "waterproof ".repeat(5000);
  const cut = fitEmbeddingInput(text, 8192);
  ok(estimateTokens(cut) <= 8192);
  ok(estimateTokens(cut) > 8000, "keeps nearly all it may");
  ok(cut.endsWith("waterproof"), "at a word boundary");
  equal(fitEmbeddingInput("short", 8192), "short");
  equal(fitEmbeddingInput(text, Infinity), text);
});

Deno.test("planEmbeddingBatches() packs texts in order under inputs and request tokens", async (t) => {
  const limits = { maxInputs: 3, maxInputTokens: 100, maxRequestTokens: 10 };
  await t.step("closes a request at the inputs limit", () => {
    const plan = planEmbeddingBatches(["a", "b", "c", "d", "e"], limits);
    deepEqual(plan.map((b) => [b.start, b.end]), [[0, 3], [3, 5]]);
  });
  await t.step("closes a request before the token limit is passed", () => {
    // 12 ASCII characters are 4 tokens: two fit in 10, a third does not.
    const texts = ["x".repeat(12), "y".repeat(12), "z".repeat(12)];
    const plan = planEmbeddingBatches(texts, limits);
    deepEqual(plan.map((b) => [b.start, b.end, b.tokens]), [[0, 2, 8], [2, 3, 4]]);
  });
  await t.step("a text over the request limit goes alone; nothing is lost", () => {
    const texts = ["a", "b".repeat(60), "c"];
    const plan = planEmbeddingBatches(texts, limits);
    deepEqual(plan.map((b) => [b.start, b.end]), [[0, 1], [1, 2], [2, 3]]);
  });
  await t.step("no texts, no requests", () => deepEqual(planEmbeddingBatches([], limits), []));
  await t.step("60,000 passages under Azure's limits: every request within them", () => {
    const texts = Array.from(
      { length: 60_000 },
      (_, i) => `Passage ${i}: ${"care ".repeat(i % 240)}`,
    );
    const az = embeddingLimits("azure-openai");
    const plan = planEmbeddingBatches(texts, az);
    equal(plan.at(-1)!.end, texts.length);
    for (const [i, b] of plan.entries()) {
      ok(b.end - b.start <= az.maxInputs);
      ok(b.tokens <= az.maxRequestTokens);
      if (i > 0) equal(b.start, plan[i - 1].end);
    }
  });
});
