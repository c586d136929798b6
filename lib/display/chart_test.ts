import assert from "node:assert/strict";
import { barChart } from "./bar_chart.ts";
import { stackCharts, toSvgString } from "./chart.ts";
import { assertWellFormedXml } from "./_xml_testing.ts";

Deno.test("stackCharts() puts charts on their own scales in one SVG", async (t) => {
  const judges = barChart([{ k: "groundedness", v: 4 }], { x: "k", y: "v", domain: [1, 5] });
  const text = barChart([{ k: "f1", v: 0.4 }, { k: "bleu", v: 0.2 }], {
    x: "k",
    y: "v",
    domain: [0, 1],
    horizontal: true,
    width: 500,
  });
  const both = stackCharts([judges, text]);
  await t.step("well-formed, sized to the tallest sum and the widest chart", () => {
    assertWellFormedXml(both.svg);
    assertWellFormedXml(toSvgString(both));
    const height = (svg: string) => Number(/^<svg[^>]* height="(\d+)"/.exec(svg)![1]);
    assert.equal(height(both.svg), height(judges.svg) + height(text.svg));
    assert.match(both.svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="640"/);
  });
  await t.step("the second chart starts below the first", () => {
    const nested = [...both.svg.matchAll(/<svg x="0" y="(\d+)"/g)].map((m) => Number(m[1]));
    assert.deepEqual(nested, [0, 400]);
  });
  await t.step("the text forms follow one another", () => {
    assert.equal(String(both), `${judges}\n\n${text}`);
    assert.deepEqual(Object.keys(both.bundle).sort(), ["image/svg+xml", "text/html", "text/plain"]);
    assert.match(both.bundle["text/html"], /^<figure data-display="chart"[^>]*><svg /);
  });
  await t.step("one chart is returned as is", () => {
    assert.equal(stackCharts([judges]), judges);
  });
});
