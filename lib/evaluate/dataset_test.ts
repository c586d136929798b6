/**
 * Evaluation sets: rows get stable ids and fingerprints; the workshop's older shapes load;
 * every bad line is reported at once with its line number.
 *
 * @module
 */
import {
  deepEqual as assertEquals,
  equal,
  notEqual,
  ok as assert,
  rejects,
  throws,
} from "node:assert/strict";
import { ValidationError } from "../errors.ts";
import { loadDataset, parseDataset } from "./dataset.ts";

Deno.test("parseDataset() reads rows with ids, history and fingerprints", () => {
  const rows = parseDataset(
    [
      '{"customerId":"1","question":"Which tent?","chat_history":[],"intent":"product_advice","truth":"The Summit Dome."}',
      "",
      '{"customer_id":2,"question":"And the weight?","chat_history":"[{\\"role\\":\\"user\\",\\"content\\":\\"Hi\\"}]","intent":"follow_up"}',
      '{"id":"custom","customerId":"3","question":"Hello?","truth":"  "}',
    ].join("\n"),
    "set.jsonl",
  );
  assertEquals(rows.map((r) => r.id), ["row-0001", "row-0002", "custom"]);
  assertEquals(rows.map((r) => r.index), [0, 1, 2]);
  equal(rows[1].customerId, "2");
  assertEquals(rows[1].chatHistory, [{ role: "user", content: "Hi" }]);
  equal(rows[0].truth, "The Summit Dome.");
  equal(rows[2].truth, undefined); // a blank reference is no reference
  equal(rows[2].intent, undefined);
  notEqual(rows[0].fingerprint, rows[1].fingerprint);
  equal(parseDataset('{"customerId":"1","question":"Which tent?"}', "a").length, 1);
});

Deno.test("parseDataset() reports every bad line at once", () => {
  throws(
    () =>
      parseDataset(
        [
          '{"customerId":"1","question":"ok"}',
          "{not json",
          '{"question":"no customer"}',
          '{"customerId":"1","question":"x","chat_history":[{"role":"robot","content":"?"}]}',
          '{"customer_id":3,"question":"y","chat_history":"[{role: user}]"}',
        ].join("\n"),
        "bad.jsonl",
      ),
    (error: Error) => {
      assert(error instanceof ValidationError);
      assert(error.message.startsWith('Cannot load evaluation set "bad.jsonl":'));
      assert(error.message.includes("bad.jsonl:2: invalid JSON"));
      assert(error.message.includes("bad.jsonl:3: customerId is missing"));
      assert(error.message.includes("bad.jsonl:4: chat_history[0].role"));
      assert(error.message.includes("bad.jsonl:5: chat_history must be a JSON array of"));
      equal((error as ValidationError).problems.length, 4);
      return true;
    },
  );
  throws(
    () =>
      parseDataset(
        '{"id":"a","customerId":"1","question":"x"}\n{"id":"a","customerId":"1","question":"y"}',
        "d",
      ),
    /duplicate row id "a"/,
  );
});

Deno.test("loadDataset() names a missing or empty file", async () => {
  await rejects(
    loadDataset("no/such/file.jsonl"),
    /Cannot load evaluation set "no\/such\/file.jsonl": file not found/,
  );
  const empty = await Deno.makeTempFile({ suffix: ".jsonl" });
  await rejects(loadDataset(empty), /no rows/);
  await Deno.remove(empty);
  equal((await loadDataset("data/eval/test.jsonl")).length > 0, true);
});
