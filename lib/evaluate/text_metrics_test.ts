/**
 * Text metrics on hand-checked examples, including empty strings and Unicode.
 *
 * @module
 */
import { equal as assertEquals, ok as assert } from "node:assert/strict";
import { bleu, lcsLength, lexicalGroundedness, rougeL, tokenF1 } from "./text_metrics.ts";
import { lexicalGroundednessEvaluator } from "./text_evaluators.ts";
import { evalInput, ordersText } from "./runner.ts";
import type { EvalCase } from "./types.ts";
import type { ContextItem } from "../chat/types.ts";

function assertClose(actual: number | undefined, expected: number, epsilon = 1e-9) {
  assert(actual !== undefined, `expected ${expected}, got undefined`);
  assert(Math.abs(actual - expected) < epsilon, `expected ${expected}, got ${actual}`);
}

Deno.test("tokenF1() scores token overlap", async (t) => {
  await t.step(
    "identical text scores 1",
    () => assertEquals(tokenF1("Waterproof tent", "waterproof TENT!"), 1),
  );
  // [red, tent, green] vs [red, tent]: overlap 2, P = 2/3, R = 1, F1 = 0.8.
  await t.step("partial overlap", () => assertClose(tokenF1("red tent, green", "red tent"), 0.8));
  // SQuAD's normalisation removes the English articles, so they neither match nor dilute.
  await t.step("articles are removed", () => {
    assertEquals(tokenF1("The red tent", "a red tent"), 1);
    assertClose(tokenF1("an icon", "the icon of the shop"), 0.5); // [icon] vs [icon, of, shop]
  });
  // SQuAD's script deletes the decimal point ("2.1" -> "21"); whole numbers are stricter still.
  await t.step("decimals and signs stay whole", () => {
    // [weighs, 2.1, kg] vs [weighs, 1.2, kg]: overlap 2 of 3.
    assertClose(tokenF1("weighs 2.1 kg", "weighs 1.2 kg"), 2 / 3);
    // [comfort, -12, c] vs [comfort, 12, c].
    assertClose(tokenF1("comfort -12°C", "comfort 12°C"), 2 / 3);
    assertEquals(tokenF1("comfort −12°C", "Comfort -12 °C"), 1);
  });
  await t.step("words of scripts without spaces", () => {
    // Word segmentation gives several tokens; one changed word leaves the others matching.
    const score = tokenF1("我喜欢在山里露营", "我喜欢在海边露营");
    assert(score > 0 && score < 1, `${score}`);
  });
  // overlap is clipped to the reference count: min(3, 1) = 1, P = 1/3, R = 1, F1 = 0.5.
  await t.step(
    "repeated tokens are clipped",
    () => assertClose(tokenF1("tent tent tent", "tent"), 0.5),
  );
  await t.step("no overlap scores 0", () => assertEquals(tokenF1("stove", "tent"), 0));
  await t.step("empty strings", () => {
    assertEquals(tokenF1("", ""), 1);
    assertEquals(tokenF1("", "tent"), 0);
    assertEquals(tokenF1("tent", ""), 0);
    assertEquals(tokenF1("?!", "..."), 1); // punctuation only: no tokens on either side
    assertEquals(tokenF1("the", "a"), 1); // articles only: nothing left on either side
  });
  await t.step("Unicode words and normalisation", () => {
    // [größe, xl, zelt] vs [zelt, größe, m]: overlap 2 of 3 each side.
    assertClose(tokenF1("Größe XL Zelt", "zelt größe M"), 2 / 3);
    // precomposed "é" and "e" + combining acute are the same word after NFKC.
    assertEquals(tokenF1("Caf\u00e9 cr\u00e8me", "cafe\u0301 cre\u0300me"), 1);
    // accents are not folded: "café" is not "cafe".
    assertEquals(tokenF1("café", "cafe"), 0);
  });
});

Deno.test("lcsLength() finds the longest common subsequence", () => {
  assertEquals(lcsLength([..."abcbdab"], [..."bdcaba"]), 4);
  assertEquals(lcsLength([], ["a"]), 0);
});

Deno.test("rougeL() is the F1 of the longest common subsequence", async (t) => {
  // LCS("the tent is green", "the green tent") = 2: P = 2/4, R = 2/3, F1 = 4/7.
  await t.step(
    "word order matters",
    () => assertClose(rougeL("the tent is green", "the green tent"), 4 / 7),
  );
  // LCS = [police, the, gunman] = 3 of 4 each side.
  await t.step(
    "one word differs",
    () => assertClose(rougeL("police killed the gunman", "police kill the gunman"), 0.75),
  );
  await t.step("reversed order", () => assertClose(rougeL("a b c d", "d c b a"), 0.25));
  await t.step("identical", () => assertEquals(rougeL("pitch the tent", "Pitch the tent."), 1));
  await t.step("empty strings", () => {
    assertEquals(rougeL("", ""), 1);
    assertEquals(rougeL("", "tent"), 0);
    assertEquals(rougeL("tent", ""), 0);
  });
  // [ça, va, très, bien] vs [ça, va, bien]: LCS 3, P = 3/4, R = 1, F1 = 6/7.
  await t.step("Unicode", () => assertClose(rougeL("Ça va très bien", "ça va bien"), 6 / 7));
});

Deno.test("bleu() is smoothed sentence BLEU-4 with brevity penalty", async (t) => {
  await t.step("identical text scores 1", () => {
    assertEquals(bleu("the cat sat on the mat", "the cat sat on the mat"), 1);
    assertEquals(bleu("red tent", "red tent"), 1); // shorter than 4 words: reweighted over 2
  });
  // p1 = 5/6; p2 = (3+1)/(5+1); p3 = (1+1)/(4+1); p4 = (0+1)/(3+1); product = 1/18; BP = 1.
  await t.step(
    "hand-computed example",
    () => assertClose(bleu("the cat is on the mat", "the cat sat on the mat"), (1 / 18) ** 0.25),
  );
  // every precision is 1, BP = exp(1 - 6/2).
  await t.step(
    "brevity penalty",
    () => assertClose(bleu("the cat", "the cat sat on the mat"), Math.exp(-2)),
  );
  await t.step("no shared word scores 0", () => assertEquals(bleu("stove fuel", "tent poles"), 0));
  await t.step("longer answer has no brevity penalty", () => {
    // 3 tokens: orders 1-3 weighted 1/3 each; p1 = 2/3, p2 = (1+1)/(2+1), p3 = (0+1)/(1+1).
    assertClose(bleu("red tent today", "red tent"), ((2 / 3) * (2 / 3) * 0.5) ** (1 / 3));
  });
  await t.step("numbers are whole tokens", () => {
    // [weighs, 2.1, kg] vs [weighs, 1.2, kg]: p1 = 2/3, p2 = (0+1)/(2+1), p3 = (0+1)/(1+1).
    assertClose(bleu("weighs 2.1 kg", "weighs 1.2 kg"), ((2 / 3) * (1 / 3) * 0.5) ** (1 / 3));
  });
  await t.step("empty strings", () => {
    assertEquals(bleu("", ""), 1);
    assertEquals(bleu("", "tent"), 0);
    assertEquals(bleu("tent", ""), 0);
  });
  await t.step(
    "Unicode",
    () => assertEquals(bleu("Schlafsack für −10 °C", "schlafsack für −10 °C"), 1),
  );
  await t.step("maxOrder option", () =>
    // p1 = 5/6, p2 = 4/6 (smoothed): BLEU-2 = sqrt(5/6 · 4/6).
    assertClose(
      bleu("the cat is on the mat", "the cat sat on the mat", { maxOrder: 2 }),
      Math.sqrt((5 / 6) * (4 / 6)),
    ));
});

Deno.test("lexicalGroundedness() is the share of answer content words in the context", async (t) => {
  await t.step(
    "all words found (stemmed)",
    () => assertEquals(lexicalGroundedness("Waterproof tents", "The tent is waterproof"), 1),
  );
  // answer content words: tent, weigh, 2.1, kg, cost, 500 — context has the first four.
  await t.step(
    "some words found",
    () =>
      assertClose(
        lexicalGroundedness("The tent weighs 2.1 kg and costs $500", "The tent weighs 2.1 kg"),
        4 / 6,
      ),
  );
  // [pack, weigh, 1.2, kg]: "1.2" is not in "2.1 kg" (it used to match as the digits 2 and 1).
  await t.step(
    "numbers must match whole",
    () => assertClose(lexicalGroundedness("pack weighs 1.2 kg", "pack weighs 2.1 kg"), 3 / 4),
  );
  await t.step(
    "nothing found",
    () => assertEquals(lexicalGroundedness("lifetime warranty", "tent poles"), 0),
  );
  await t.step("no content words is undefined, not a score", () => {
    assertEquals(lexicalGroundedness("", "tent"), undefined);
    assertEquals(lexicalGroundedness("The and of", "tent"), undefined);
  });
  await t.step("empty context", () => assertEquals(lexicalGroundedness("tent", ""), 0));
  // [zelt, für, größe, xl]: größe and xl are in the context.
  await t.step(
    "Unicode",
    () => assertEquals(lexicalGroundedness("Zelt für Größe XL", "Größe XL verfügbar"), 0.5),
  );
});

Deno.test("lexicalGroundednessEvaluator grounds answers in the customer's orders", async (t) => {
  const row: EvalCase = {
    id: "orders-1",
    index: 0,
    customerId: "c-77",
    question: "What did I order last?",
    chatHistory: [],
    fingerprint: "x",
  };
  const context: ContextItem[] = [{
    id: "7",
    kind: "product",
    productId: "7",
    title: "Driftwind Rain Shell Jacket",
    url: "/products/7",
    content: "A three-layer rain shell with taped seams and a helmet-compatible hood.",
  }];
  const answer =
    "You ordered the Driftwind Rain Shell Jacket on 2026-08-02: quantity 1, total 179.99.";
  const orders = ordersText([
    {
      name: "Driftwind Rain Shell Jacket",
      productId: "7",
      quantity: 1,
      date: "2026-08-02",
      total: 179.99,
    },
    { name: "Pocket Peak Table", productId: "14", quantity: 2, date: "2025-11-20", total: 129.98 },
  ]);
  const score = async (extras: { orders?: string }) =>
    (await lexicalGroundednessEvaluator.evaluate(evalInput(row, { answer, context }, extras)))
      .value;
  await t.step("without the orders the order details look ungrounded", async () => {
    const value = await score({});
    assert(value !== null && value < 0.6, `${value}`);
  });
  await t.step("with the orders block in the context the answer is grounded", async () => {
    assertEquals(await score({ orders }), 1);
  });
  await t.step("a wrong date or total is not grounded by the orders", async () => {
    const wrong = answer.replace("2026-08-02", "2026-09-12").replace("179.99", "197.99");
    const input = evalInput(row, { answer: wrong, context }, { orders });
    const value = (await lexicalGroundednessEvaluator.evaluate(input)).value;
    assert(value !== null && value < 1, `${value}`);
  });
});
