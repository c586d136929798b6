/**
 * Score parsing of judge replies: decorated scores are read, anything ambiguous is missing.
 *
 * @module
 */
import { deepEqual as assertEquals, equal, ok as assert } from "node:assert/strict";
import { parseScore } from "../lib/evaluate/parse_score.ts";

Deno.test("parseScore() reads decorated scores", () => {
  const cases: [string, number][] = [
    ["4", 4],
    [" 4\n", 4],
    ["Score: 4", 4],
    ["score = 3", 3],
    ["4/5", 4],
    ["4 / 5", 4],
    ["**4**", 4],
    ["**Score: 5/5**", 5],
    ["`2`", 2],
    ["Rating: 4 (out of 5)", 4],
    ["4 out of 5", 4],
    ["I would rate it a 3.", 3],
    ['{"score": 5}', 5],
    ["1. The answer is grounded. Score: 5", 5],
    ["5.0", 5],
  ];
  for (const [reply, value] of cases) {
    assertEquals(parseScore(reply), { value, raw: reply }, `reply ${JSON.stringify(reply)}`);
  }
});

Deno.test("parseScore() refuses unclear replies, keeping the raw text", async (t) => {
  const missing = (reply: string, reason: RegExp) => {
    const score = parseScore(reply);
    equal(score.value, null, `reply ${JSON.stringify(reply)}`);
    if (score.value === null) {
      assert(reason.test(score.reason), `reason "${score.reason}" for ${JSON.stringify(reply)}`);
      equal(score.raw, reply);
    }
  };
  await t.step("no number", () => missing("Great answer!", /no score/));
  await t.step("empty", () => missing("", /empty/));
  await t.step("markdown only", () => missing("** **", /empty/));
  await t.step("two different numbers", () => missing("3 or 4", /several numbers/));
  await t.step("out of range", () => missing("7", /outside 1–5/));
  await t.step("zero", () => missing("Score: 0", /outside/));
  await t.step("fraction", () => missing("4.5", /not an integer/));
});

Deno.test("parseScore() honours a custom range", () => {
  assertEquals(parseScore("9", { range: [0, 10] }), { value: 9, raw: "9" });
  equal(parseScore("0", { range: [1, 3] }).value, null);
});
