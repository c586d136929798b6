/**
 * The score parser against a corpus of judge replies written the way real models answer
 * (`testdata/judge_replies.jsonl`): terse, verbose, Markdown, JSON, trailing punctuation,
 * number words, full-width and other scripts' digits, several numbers, refusals. Each row
 * holds the expected score, or the keyword its missing reason must contain.
 */
import { deepEqual as assertEquals, equal, ok } from "node:assert/strict";
import { parseScore } from "./parse_score.ts";

interface Row {
  reply: string;
  score?: number;
  missing?: string;
  range?: [number, number];
  note?: string;
}

const rows: Row[] = (await Deno.readTextFile(
  new URL("./testdata/judge_replies.jsonl", import.meta.url),
)).split("\n").filter((line) => line.trim() !== "").map((line) => JSON.parse(line));

Deno.test("parseScore() reads every reply of the judge-reply corpus right", async (t) => {
  ok(rows.length >= 120, `corpus has ${rows.length} replies`);
  ok(rows.filter((r) => r.missing).length >= 30, "missing cases are a good share");
  const wrong: string[] = [];
  for (const row of rows) {
    const got = parseScore(row.reply, row.range ? { range: row.range } : {});
    if (row.missing === undefined) {
      if (got.value !== row.score) {
        wrong.push(
          `${JSON.stringify(row.reply)}: expected ${row.score}, got ${JSON.stringify(got)}`,
        );
      }
    } else if (got.value !== null || !got.reason.includes(row.missing)) {
      wrong.push(
        `${JSON.stringify(row.reply)}: expected missing (${row.missing}), got ${
          JSON.stringify(got)
        }`,
      );
    }
    equal(got.raw, row.reply, "the raw reply is kept");
  }
  await t.step(`${rows.length - wrong.length} of ${rows.length} parsed right`, () => {
    equal(wrong.length, 0, wrong.join("\n"));
  });
});

Deno.test("parseScore() never reads a sign away or a quantity as a score", async (t) => {
  await t.step("-1 is -1, not 1", () => {
    const score = parseScore("-1");
    equal(score.value, null);
    ok(score.value === null && score.reason.includes("-1 is outside 1–5"), JSON.stringify(score));
  });
  await t.step("a range 1-5 is the scale, not two scores", () => {
    equal(parseScore("On a 1-5 scale: 4").value, 4);
  });
  await t.step("a citation id or a weight is not a score", () => {
    equal(parseScore("Mentions [7] and 2.1 kg correctly.\n5").value, 5);
    equal(parseScore("Mentions [7] correctly.").value, null);
  });
  await t.step("a metric's own name labels its score", () => {
    equal(parseScore("Dontknowness: 4", { labels: ["dontknowness"] }).value, 4);
  });
  await t.step("fractional scores can be allowed", () => {
    equal(parseScore("Rating: 3.5", { integer: false }).value, 3.5);
  });
});

// The first cases, from tests/eval_parse_score_test.ts (moved beside the module).
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
      ok(reason.test(score.reason), `reason "${score.reason}" for ${JSON.stringify(reply)}`);
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
