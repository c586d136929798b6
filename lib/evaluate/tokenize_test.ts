/**
 * The metrics' tokeniser on numbers, signs, scripts without spaces and combining marks.
 *
 * @module
 */
import { deepEqual, ok } from "node:assert/strict";
import { metricTokens, squadTokens } from "./tokenize.ts";
import { tokenize } from "../text/mod.ts";

Deno.test("metricTokens() keeps numbers whole and signed", async (t) => {
  await t.step("decimals", () => {
    deepEqual(metricTokens("Weighs 2.1 kg"), ["weighs", "2.1", "kg"]);
    deepEqual(metricTokens("about 1.2kg"), ["about", "1.2kg"]);
  });
  await t.step("thousands separators and prices", () => {
    deepEqual(metricTokens("$1,000 or 3.5%"), ["1,000", "or", "3.5"]);
  });
  await t.step("signs that start a number", () => {
    deepEqual(metricTokens("comfort -12°C"), ["comfort", "-12", "c"]);
    deepEqual(metricTokens("comfort \u221212 °C"), ["comfort", "-12", "c"]);
    deepEqual(metricTokens("(+3 hours)"), ["+3", "hours"]);
    deepEqual(metricTokens("-0.5"), ["-0.5"]);
  });
  await t.step("hyphens between words or numbers are not signs", () => {
    deepEqual(metricTokens("sizes 2-3"), ["sizes", "2", "3"]);
    deepEqual(metricTokens("a 4-person tent"), ["a", "4", "person", "tent"]);
    deepEqual(metricTokens("x-ray"), ["x", "ray"]);
    deepEqual(metricTokens("range 10−20"), ["range", "10", "20"]);
  });
  await t.step("a sign before a word is punctuation", () => {
    deepEqual(metricTokens("- lightweight"), ["lightweight"]);
    deepEqual(metricTokens("+extra"), ["extra"]);
  });
  await t.step("a detached sign is dropped", () => {
    deepEqual(metricTokens("- 5"), ["5"]);
  });
});

Deno.test("metricTokens() segments every script into words", async (t) => {
  await t.step("Devanagari words keep their combining marks", () => {
    deepEqual(metricTokens("नमस्ते दुनिया, किताब।"), ["नमस्ते", "दुनिया", "किताब"]);
    // lib/text's tokenize breaks the same words at the vowel signs and viramas.
    ok(tokenize("नमस्ते").length > 1);
  });
  await t.step("Chinese and Japanese runs split into several words", () => {
    const zh = metricTokens("我喜欢在山里露营");
    ok(zh.length >= 4, zh.join("|"));
    deepEqual(zh.join(""), "我喜欢在山里露营");
    const ja = metricTokens("東京都に住んでいます。");
    ok(ja.length >= 4, ja.join("|"));
    deepEqual(ja.join(""), "東京都に住んでいます");
  });
  await t.step("Thai without spaces", () => {
    ok(metricTokens("ไปเที่ยวภูเขา").length >= 2);
  });
  await t.step("Latin with accents, case and apostrophes", () => {
    deepEqual(metricTokens("Größe XL; Café"), ["größe", "xl", "café"]);
    deepEqual(metricTokens("It’s the hiker's"), ["it's", "the", "hiker's"]);
  });
  await t.step("NFKC: full-width digits and composed accents", () => {
    deepEqual(metricTokens("４ stars"), ["4", "stars"]);
    deepEqual(metricTokens("cafe\u0301"), ["caf\u00e9"]);
  });
  await t.step("no words", () => {
    deepEqual(metricTokens(""), []);
    deepEqual(metricTokens(" ?!… — "), []);
  });
});

Deno.test("squadTokens() also drops the English articles", () => {
  deepEqual(squadTokens("The tent, a classic, an icon."), ["tent", "classic", "icon"]);
  deepEqual(squadTokens("Theater anarchy"), ["theater", "anarchy"]);
  // Only English articles: French "la" and German "der" stay.
  deepEqual(squadTokens("la tente, der Zelt"), ["la", "tente", "der", "zelt"]);
});
