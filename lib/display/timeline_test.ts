import assert from "node:assert/strict";
import { timeline } from "./timeline.ts";
import { assertWellFormedXml } from "./_xml_testing.ts";

const steps = [
  { name: "customer", startMs: 1000, durationMs: 10 },
  { name: "queries <llm>", startMs: 1010, durationMs: 190 },
  { name: "search", startMs: 1200, durationMs: 100 },
  { name: "chat", startMs: 1300, durationMs: 100 },
];

Deno.test("timeline() renders one bar per step on a shared axis", () => {
  const c = timeline(steps, { title: "Trace" });
  assertWellFormedXml(c.svg);
  assert.equal((c.svg.match(/<rect/g) ?? []).length, 4);
  assert.deepEqual(Object.keys(c.bundle).sort(), ["image/svg+xml", "text/html", "text/plain"]);
  assert.match(
    c.bundle["text/html"],
    /^<figure data-display="timeline"[^>]*><svg [^]*<\/svg><\/figure>$/,
  );
  assert.ok(c.svg.includes("queries &lt;llm&gt;"));
  assert.ok(c.svg.includes("190 ms"));
  const lines = String(c).split("\n");
  assert.equal(lines[0], "Trace");
  assert.equal(lines.length, 6);
  // 400 ms span on 40 columns: search starts at column 20 and is 10 wide.
  assert.equal(
    lines[3],
    `search        │${" ".repeat(20)}${"█".repeat(10)}${" ".repeat(10)}│ 100 ms`,
  );
  assert.ok(lines[5].endsWith("0 … 400 ms"));
});

Deno.test("timeline() copes with no steps and zero durations", () => {
  assertWellFormedXml(timeline([]).svg);
  const c = timeline([{ name: "a", startMs: 5, durationMs: 0 }]);
  assertWellFormedXml(c.svg);
  assert.match(String(c), /^a │█ {39}│ 0 ms/);
});
