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
    assert.deepEqual(Object.keys(c.bundle).sort(), ["image/svg+xml", "text/html", "text/plain"]);
    assert.equal(
      c.bundle["text/html"],
      `<figure data-display="chart" style="margin:0.5em 0;text-align:left;overflow-x:auto">${c.svg}</figure>`,
    );
  }
});

function bars(svg: string): { y: number; height: number }[] {
  const group = /aria-label="bar"[^>]*>(.*?)<\/g>/.exec(svg)![1];
  return [...group.matchAll(/<rect ([^>]*)\/?>/g)].map((m) => ({
    y: Number(/\by="([\d.-]+)"/.exec(m[1])![1]),
    height: Number(/\bheight="([\d.-]+)"/.exec(m[1])![1]),
  }));
}

Deno.test("barChart() grows bars from the domain's floor when 0 is outside it", () => {
  // 1–5 judge scores: a bar from 0 would run below the frame over the axis labels.
  const c = barChart([{ k: "a", v: 5 }, { k: "b", v: 1 }, { k: "c", v: 3 }], {
    x: "k",
    y: "v",
    domain: [1, 5],
    height: 300,
  });
  const [five, one, three] = bars(c.svg);
  const floor = 300 - 30; // Plot's default bottom margin
  assert.ok(Math.abs(five.y + five.height - floor) < 0.01, "the bar ends at the x axis");
  assert.equal(one.height, 0);
  assert.ok(Math.abs(three.height - five.height / 2) < 0.01, "3 is halfway from 1 to 5");
  // Without a domain bars start at 0.
  const free = bars(barChart([{ k: "a", v: 2 }, { k: "b", v: 1 }], { x: "k", y: "v" }).svg);
  assert.ok(Math.abs(free[1].height - free[0].height / 2) < 0.5);
});

Deno.test("barChart() ids differ between charts, so inline SVGs in one page do not clash", () => {
  const a = barChart([{ k: "a", v: 4 }], { x: "k", y: "v", domain: [1, 5] });
  const b = barChart([{ k: "b", v: 2 }], { x: "k", y: "v", domain: [1, 5], height: 200 });
  const ids = (svg: string) => [...svg.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
  assert.ok(ids(a.svg).length > 0);
  assert.equal(ids(a.svg).filter((id) => ids(b.svg).includes(id)).length, 0);
  for (const svg of [a.svg, b.svg]) {
    for (const [, ref] of svg.matchAll(/url\(#([^)]+)\)/g)) assert.ok(ids(svg).includes(ref));
  }
});

Deno.test("barChart() keeps the rows' order and draws text bars", () => {
  const c = barChart(scores, { x: "metric", y: "score", domain: [0, 5] });
  const svg = c.svg;
  assert.ok(svg.indexOf("groundedness") < svg.indexOf("coherence"));
  assert.equal(bars(svg).length, 3);
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

Deno.test("barChart() draws error bars from low and high keys", async (t) => {
  const rows = [
    { metric: "groundedness", mean: 4.1, low: 3.6, high: 4.5 },
    { metric: "fluency", mean: 3, low: null, high: null },
    { metric: "delta", mean: -0.4, low: -0.9, high: 0.1 },
  ];
  for (const horizontal of [true, false]) {
    await t.step(horizontal ? "horizontal" : "vertical", () => {
      const c = barChart(rows, {
        x: "metric",
        y: "mean",
        low: "low",
        high: "high",
        horizontal,
        domain: [-1, 5],
      });
      assertWellFormedXml(c.svg);
      // one whisker line and two end ticks per bar that has an interval, none for the other
      const rules = [...c.svg.matchAll(/aria-label="rule"[^>]*>(.*?)<\/g>/g)].map((m) => m[1]);
      const whiskers = rules.find((r) => (r.match(/<line/g) ?? []).length === 2);
      assert.ok(whiskers, "a rule mark with two whiskers");
      const ticks = [...c.svg.matchAll(/aria-label="tick"[^>]*>(.*?)<\/g>/g)];
      assert.equal(ticks.length, 2);
      for (const m of ticks) assert.equal((m[1].match(/<line/g) ?? []).length, 2);
    });
  }
  await t.step("the whisker spans the interval on the value scale", () => {
    const c = barChart([{ k: "a", v: 2, lo: 1, hi: 3 }], {
      x: "k",
      y: "v",
      low: "lo",
      high: "hi",
      horizontal: true,
      domain: [0, 4],
      width: 440,
    });
    const bar = /<rect[^>]* width="([\d.]+)" x="([\d.]+)"/.exec(c.svg)!;
    const whisker = /stroke="#222222" aria-label="rule"><line[^>]* x2="([\d.]+)" x1="([\d.]+)"/
      .exec(c.svg)!;
    const [barWidth, x0] = [Number(bar[1]), Number(bar[2])];
    const unit = barWidth / 2; // the bar runs 0 → 2
    assert.ok(Math.abs(Number(whisker[2]) - (x0 + unit)) < 0.01, "low end at 1");
    assert.ok(Math.abs(Number(whisker[1]) - (x0 + 3 * unit)) < 0.01, "high end at 3");
  });
  await t.step("the text twin shows the intervals", () => {
    const c = barChart(rows, { x: "metric", y: "mean", low: "low", high: "high" });
    const lines = String(c).split("\n");
    assert.match(lines[0], /^groundedness\s+│█+ 4\.1 \[3\.6, 4\.5\]$/);
    assert.match(lines[1], /^fluency\s+│█+ 3$/);
    assert.match(lines[2], /^delta\s+│█+ -0\.4 \[-0\.9, 0\.1\]$/);
  });
});
