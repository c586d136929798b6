import assert from "node:assert/strict";
import { barChart } from "./bar_chart.ts";
import { toSvgString } from "./chart.ts";
import { assertWellFormedXml } from "./_xml_testing.ts";

const scores = [
  { metric: "groundedness", score: 4.5 },
  { metric: `fluency <b>"&'`, score: 3 },
  { metric: "coherence", score: 0 },
];

Deno.test("barChart() renders well-formed standalone SVG", () => {
  for (const horizontal of [false, true]) {
    const c = barChart(scores, { x: "metric", y: "score", title: "Scores <&>", horizontal });
    assertWellFormedXml(c.svg);
    assertWellFormedXml(toSvgString(c));
    assert.match(c.svg, /^<svg[^>]* xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.ok(c.svg.includes("Scores &lt;&amp;&gt;"));
    assert.ok(!c.svg.includes("<b>"));
    assert.deepEqual(Object.keys(c.bundle).sort(), ["image/svg+xml", "text/plain"]);
  }
});

Deno.test("barChart() keeps the rows' order and draws text bars", () => {
  const c = barChart(scores, { x: "metric", y: "score", domain: [0, 5] });
  const svg = c.svg;
  assert.ok(svg.indexOf("groundedness") < svg.indexOf("coherence"));
  assert.equal((svg.match(/<rect/g) ?? []).length, 3);
  const lines = String(c).split("\n");
  assert.equal(lines.length, 3);
  assert.match(lines[0], /^groundedness\s+│█{40} 4\.5$/);
  assert.match(lines[2], /^coherence\s+│ 0$/);
});

Deno.test("barChart() copes with no rows", () => {
  const c = barChart([] as { k: string; v: number }[], { x: "k", y: "v", title: "Empty" });
  assertWellFormedXml(c.svg);
  assert.equal(String(c), "Empty");
});

Deno.test("barChart() accepts interface-typed rows", () => {
  interface Score {
    metric: string;
    score: number;
  }
  const rows: Score[] = [{ metric: "relevance", score: 2 }];
  assert.match(String(barChart(rows, { x: "metric", y: "score" })), /^relevance │█{40} 2$/);
});
