import { deepEqual as assertEquals } from "node:assert/strict";
import { contentWords, splitSentences, stem, tokenize } from "./mod.ts";

Deno.test("tokenize() keeps Unicode words and lower-cases", () => {
  assertEquals(tokenize("Zelt für 2 Personen — Größe XL!"), [
    "zelt",
    "für",
    "2",
    "personen",
    "größe",
    "xl",
  ]);
  assertEquals(tokenize(""), []);
});

Deno.test("stem() strips common suffixes", () => {
  assertEquals(["tents", "batteries", "hiking", "boxes", "glass", "gas"].map(stem), [
    "tent",
    "battery",
    "hik",
    "box",
    "glass",
    "gas",
  ]);
});

Deno.test("contentWords() drops stop words", () => {
  assertEquals(contentWords("What is the warranty of the tents?"), ["warranty", "tent"]);
});

Deno.test("splitSentences() splits prose and bullets", () => {
  assertEquals(splitSentences("## Care\n- Dry it. Store loose!\nWeight is 2.1 kg."), [
    "Care",
    "Dry it.",
    "Store loose!",
    "Weight is 2.1 kg.",
  ]);
});
