import assert from "node:assert/strict";
import { meansPanels, metricsChart } from "./chart.ts";
import type { MetricSummary } from "./types.ts";
import { assertWellFormedXml } from "../display/_xml_testing.ts";

const ci = (low: number, high: number) => ({
  low,
  high,
  level: 0.95 as const,
  method: "bootstrap" as const,
});
const metric = (
  m: Partial<MetricSummary> & Pick<MetricSummary, "name" | "kind" | "range">,
): MetricSummary => ({
  mean: null,
  count: 0,
  missing: 0,
  min: null,
  max: null,
  ...m,
});

const metrics = [
  metric({
    name: "coherence",
    kind: "judge",
    range: [1, 5],
    mean: 3.9,
    count: 30,
    interval: ci(3.5, 4.3),
  }),
  metric({
    name: "bleu",
    kind: "text",
    range: [0, 1],
    mean: 0.21,
    count: 30,
    interval: ci(0.15, 0.27),
  }),
  metric({ name: "fluency", kind: "judge", range: [1, 5], mean: null, missing: 30 }),
  metric({
    name: "latency_ms",
    kind: "text",
    range: [0, Infinity],
    mean: 812,
    count: 30,
    interval: ci(700, 900),
  }),
  metric({ name: "only_one", kind: "text", range: [0, 1], mean: 1, count: 1 }),
];

Deno.test("meansPanels() draws one panel per scale with error bars", async (t) => {
  const c = meansPanels([{ label: "prompt-v2", metrics }], { title: "prompt-v2" });
  await t.step("well-formed SVG with a judge panel and a text panel", () => {
    assertWellFormedXml(c.svg);
    assert.ok(c.svg.includes("prompt-v2: AI judges (1–5)"));
    assert.ok(c.svg.includes("prompt-v2: text metrics (0–1)"));
    assert.equal((c.svg.match(/<svg x="0"/g) ?? []).length, 2);
  });
  await t.step("intervals in the text form; no interval, no whisker; no scores, no bar", () => {
    const text = String(c);
    assert.match(text, /coherence\s+│█+ 3\.9 \[3\.5, 4\.3\]/);
    assert.match(text, /bleu\s+│█+ 0\.21 \[0\.15, 0\.27\]/);
    assert.match(text, /only_one\s+│█+ 1$/m);
    assert.ok(!text.includes("fluency"), "a metric without scores is not drawn as 0");
    assert.ok(!text.includes("latency_ms"), "unbounded metrics stay in the tables");
  });
  await t.step("two runs side by side label each bar with its run", () => {
    const two = meansPanels([{ label: "A", metrics }, {
      label: "B",
      metrics: metrics.slice(0, 2),
    }]);
    assert.match(String(two), /coherence · A[\s\S]*coherence · B/);
    assert.ok(!String(two).includes("only_one · B"));
  });
  await t.step("nothing scored: a titled empty chart, still well-formed", () => {
    const none = metricsChart([{ label: "x", metrics: [metrics[2]] }]);
    assertWellFormedXml(none);
    assert.ok(none.includes("No metric has scores"));
  });
});
