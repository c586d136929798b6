import assert from "node:assert/strict";
import { formatInterval, formatValue, summaryRows, textTable, truncate } from "./present.ts";

Deno.test("formatValue() and formatInterval() use the digits of the metric's kind", () => {
  assert.equal(formatValue(4, "judge"), "4");
  assert.equal(formatValue(3.456, "judge"), "3.46");
  assert.equal(formatValue(0.45678, "text"), "0.457");
  assert.equal(formatValue(null), "–");
  assert.equal(formatInterval({ low: 3, high: 4.5 }, "judge"), "[3.00, 4.50]");
  assert.equal(formatInterval({ low: 0.1, high: 0.25 }, "text"), "[0.100, 0.250]");
  assert.equal(formatInterval(undefined), "–");
});

Deno.test("summaryRows() shows the interval and the direction", () => {
  const rows = summaryRows({
    metrics: [
      {
        name: "cost",
        kind: "text",
        range: [0, Infinity],
        mean: 0.0012,
        count: 4,
        missing: 0,
        min: 0,
        max: 0.002,
        direction: "lower",
        interval: { low: 0.0008, high: 0.0016, level: 0.95, method: "bootstrap" },
      },
    ],
    skipped: [{ name: "groundedness", kind: "judge", reason: "no judge model" }],
  });
  assert.deepEqual(rows[0], {
    metric: "cost",
    kind: "text",
    mean: "0.001",
    "95% interval": "[0.001, 0.002]",
    scored: 4,
    missing: 0,
    range: "0–∞ (lower is better)",
  });
  assert.equal(rows[1].mean, "skipped");
});

Deno.test("textTable() and truncate() use lib/display's table and clipping", () => {
  const text = textTable([{ metric: "f1", n: 30 }, { metric: "rouge_l", n: 7 }]);
  assert.deepEqual(text.split("\n"), ["metric    n", "-------  --", "f1       30", "rouge_l   7"]);
  assert.equal(truncate("Wie   warm\nist der Schlafsack?", 12), "Wie warm is…");
  assert.equal(truncate("日本語のテキスト", 5), "日本語の…");
});
