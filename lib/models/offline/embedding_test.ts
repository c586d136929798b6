import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { hashEmbedding } from "./embedding.ts";

const cosine = (a: number[], b: number[]) => a.reduce((sum, v, i) => sum + v * b[i], 0);
const similarity = (a: string, b: string, dims = 256) =>
  cosine(hashEmbedding(a, dims), hashEmbedding(b, dims));

Deno.test("hashEmbedding() gives deterministic unit vectors of the asked size", async (t) => {
  await t.step("any positive size, unit length, the same every time", () => {
    for (const dims of [1, 7, 64, 256, 1536]) {
      const v = hashEmbedding("A freestanding two-person dome tent", dims);
      equal(v.length, dims);
      ok(Math.abs(Math.hypot(...v) - 1) < 1e-9, `norm at ${dims}`);
      deepEqual(hashEmbedding("A freestanding two-person dome tent", dims), v);
    }
  });
  await t.step("empty and stop-word-only texts are still unit vectors", () => {
    for (const text of ["", "what is the", "  "]) {
      equal(Math.hypot(...hashEmbedding(text, 32)), 1);
    }
  });
  await t.step("a size that is not a positive integer is a RangeError", () => {
    throws(() => hashEmbedding("tent", 0), RangeError);
    throws(() => hashEmbedding("tent", 2.5), /positive integer, got 2.5/);
  });
});

Deno.test("hashEmbedding() puts texts that share words or word forms close together", async (t) => {
  await t.step("shared words beat no shared words", () => {
    ok(
      similarity("clean the tent fly", "how to clean a tent") >
        similarity("clean the tent fly", "kerosene stove jet") + 0.3,
    );
  });
  await t.step("word forms that share their letters are near; unrelated words are not", () => {
    for (
      const [a, b, other] of [
        ["packed weight", "how much does it weigh", "how much does it cost"],
        ["resolable construction", "can it be resoled", "can it be returned"],
        ["zipped together", "two bags zip", "two bags fold"],
      ]
    ) {
      ok(similarity(a, b) > similarity(a, other), `${a} ~ ${b} more than ~ ${other}`);
    }
  });
  await t.step("it knows no synonyms", () => {
    ok(Math.abs(similarity("wash", "clean")) < 0.3);
  });
});
