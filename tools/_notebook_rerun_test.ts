import assert from "node:assert/strict";
import { changedOutput, rerunPlan, shownLines } from "./_notebook_rerun.ts";

Deno.test("rerunPlan() runs every cell, then the earlier ones", async (t) => {
  await t.step("back: from the cell before the last down to cell 2", () => {
    assert.deepEqual(rerunPlan(5, "back"), [
      { pass: 2, cells: [1, 2, 3, 4, 5] },
      { pass: 3, cells: [4, 3, 2] },
    ]);
  });
  await t.step("numbers past the last cell are dropped, the order kept", () => {
    assert.deepEqual(rerunPlan(4, "4,2,9")[1], { pass: 3, cells: [4, 2] });
  });
  await t.step("nothing earlier left: cell 1 again", () => {
    assert.deepEqual(rerunPlan(2, "back")[1].cells, [1]);
    assert.deepEqual(rerunPlan(3, "7")[1].cells, [1]);
    assert.deepEqual(rerunPlan(0, "back"), [{ pass: 2, cells: [] }, { pass: 3, cells: [] }]);
  });
});

Deno.test("shownLines() keeps what outputs say, not numbers or bars", async (t) => {
  await t.step("streams, text/plain and errors, line by line", () => {
    assert.deepEqual(
      shownLines([
        { output_type: "stream", text: ["loaded 12 rows\n", "  in 3.5 ms\n"] },
        { output_type: "execute_result", data: { "text/plain": '"ok"', "text/html": "<b>" } },
        { output_type: "error", ename: "TypeError", evalue: "x is 2" },
        { output_type: "display_data", data: { "image/svg+xml": "<svg/>" } },
      ]),
      ["loaded # rows", "in # ms", '"ok"', "TypeError: x is #"],
    );
  });
  await t.step("a chart's bars and a run of ticks become one mark", () => {
    const chart = "search  ████▌ 41.2 ms\n0   10   20   30\nids: 3, 17, 42";
    assert.deepEqual(shownLines([{ output_type: "stream", text: chart }]), [
      "search # ms",
      "#",
      "ids: #",
    ]);
  });
  await t.step("digits of other scripts are numbers too", () => {
    assert.deepEqual(shownLines([{ output_type: "stream", text: "٣ مرات\r\nok\u2028done" }]), [
      "# مرات",
      "ok",
      "done",
    ]);
  });
});

Deno.test("changedOutput() names the first line that differs", async (t) => {
  const say = (...lines: string[]) => [{ output_type: "stream", text: lines.join("\n") }];
  const where = { cell: 3, pass: 2 };
  await t.step("the same words with other numbers are no change", () => {
    assert.equal(
      changedOutput(say("took 10 ms", "ready"), say("took 87 ms", "ready"), where),
      null,
    );
  });
  await t.step("a line that says something else", () => {
    assert.deepEqual(changedOutput(say("ready", "a"), say("ready", "closed"), where), {
      cell: 3,
      pass: 2,
      first: "a",
      rerun: "closed",
    });
  });
  await t.step("lines missing or added", () => {
    assert.deepEqual(changedOutput(say("a", "b"), say("a"), where)?.rerun, "(nothing)");
    assert.deepEqual(changedOutput([], say("new"), where)?.first, "(nothing)");
  });
  await t.step("long lines are cut at 200 characters", () => {
    const long = "é".repeat(300);
    const change = changedOutput(say("short"), say(long), where);
    assert.equal(change?.rerun, "é".repeat(200));
  });
});
