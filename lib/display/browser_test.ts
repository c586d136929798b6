/**
 * The display helpers as a browser draws them inside Jupyter's output styles: prompts keep
 * their lines and their words, tables align text left, charts draw their marks where they
 * belong. See `_browser_testing.ts` for the page.
 */
import assert from "node:assert/strict";
import { barChart } from "./bar_chart.ts";
import { stackCharts } from "./chart.ts";
import { messages } from "./messages.ts";
import { table } from "./table.ts";
import { timeline } from "./timeline.ts";
import { ignoreBrowser, jupyterCss, withOutputs } from "./_browser_testing.ts";

const options = { ignore: ignoreBrowser, sanitizeResources: false, sanitizeOps: false };

Deno.test("messages() keeps lines and whole words in Jupyter's styles", options, async () => {
  const long = "Recommend only products from the documentation below; ".repeat(6).trim();
  const prompt = [
    {
      role: "system",
      content: `You are Trailhead, the assistant of a gear shop.\n\n## Customer\n` +
        `first name: Maya\n## Orders\n- 2 × Ridgeline tent\n${long}`,
    },
    { role: "user", content: "Is the tent\nwaterproof?" },
    { role: "assistant", content: "Hello Maya,\nyes: **fully** seam-taped.\n\n- fly\n- floor" },
  ];
  await withOutputs([messages(prompt).bundle["text/html"]], async (page) => {
    const seen = await page.$$eval(
      "[data-display=messages] [data-role]",
      (sections) =>
        sections.map((s) => {
          const body = s.lastElementChild as HTMLElement;
          const range = document.createRange();
          range.selectNodeContents(body);
          return {
            role: s.getAttribute("data-role"),
            lines: (s as HTMLElement).innerText.split("\n").filter((l) => l.trim() !== ""),
            align: getComputedStyle(s).textAlign,
            bodyAlign: getComputedStyle(body).textAlign,
            wordBreak: getComputedStyle(body).wordBreak,
            overflow: getComputedStyle(body).overflowY,
            maxHeight: getComputedStyle(body).maxHeight,
          };
        }),
    );
    assert.deepEqual(seen.map((s) => s.role), ["system", "user", "assistant"]);
    assert.deepEqual(seen[0].lines, [
      "system",
      "You are Trailhead, the assistant of a gear shop.",
      "## Customer",
      "first name: Maya",
      "## Orders",
      "- 2 × Ridgeline tent",
      long,
    ]);
    assert.deepEqual(seen[1].lines, ["user", "Is the tent", "waterproof?"]);
    assert.deepEqual(seen[2].lines, [
      "assistant",
      "Hello Maya,",
      "yes: fully seam-taped.",
      "fly",
      "floor",
    ]);
    for (const s of seen) {
      assert.equal(s.align, "left");
      assert.equal(s.bodyAlign, "left");
      assert.equal(s.overflow, "auto");
      assert.notEqual(s.maxHeight, "none");
    }
    // Jupyter breaks <pre> text anywhere (break-all); prompt text must wrap between words.
    assert.equal(seen[0].wordBreak, "normal");
    if (jupyterCss()) {
      const pre = await page.$eval("pre", (p) => p.closest(".jp-OutputArea-output") !== null);
      assert.ok(pre);
    }
  });
});

Deno.test("messages() scrolls long content inside its block", options, async () => {
  const content = Array.from({ length: 200 }, (_, i) => `line ${i + 1}`).join("\n");
  await withOutputs([messages([{ role: "user", content }]).bundle["text/html"]], async (page) => {
    const box = await page.$eval("[data-role] pre", (p) => ({
      client: p.clientHeight,
      scroll: p.scrollHeight,
      text: (p as HTMLElement).innerText.split("\n").length,
    }));
    assert.ok(box.client < 600, `shown height ${box.client}`);
    assert.ok(box.scroll > box.client * 3);
    assert.equal(box.text, 200, "every line is there, scrolled");
  });
});

Deno.test("table() aligns text left and numbers right in Jupyter's styles", options, async () => {
  const t = table([
    { check: "Azure CLI", status: "failed", fix: "Run `az login`", "latency (ms)": 12.5 },
    { check: "azd", status: "ok", fix: "", "latency (ms)": 3 },
  ]);
  await withOutputs([t.bundle["text/html"]], async (page) => {
    const aligns = await page.$$eval(
      "table[data-display=table] tr",
      (rows) => rows.map((r) => [...r.children].map((c) => getComputedStyle(c).textAlign)),
    );
    for (const row of aligns) assert.deepEqual(row, ["left", "left", "left", "right"]);
    const fix = await page.$eval("tbody td:nth-child(3)", (td) => (td as HTMLElement).innerText);
    assert.equal(fix, "Run az login");
  });
});

Deno.test(
  "charts draw their marks inside their figure, stacked charts included",
  options,
  async () => {
    const judges = barChart(
      [{ metric: "groundedness", mean: 4.2 }, { metric: "relevance", mean: 3.1 }],
      { x: "metric", y: "mean", domain: [1, 5], title: "Judges" },
    );
    const text = barChart([{ metric: "f1", mean: 0.4 }, { metric: "bleu", mean: 0.2 }], {
      x: "metric",
      y: "mean",
      domain: [0, 1],
      horizontal: true,
    });
    const outputs = [
      stackCharts([judges, text]).bundle["text/html"],
      judges.bundle["text/html"],
      timeline([
        { name: "customer", startMs: 0, durationMs: 5 },
        { name: "search", startMs: 5, durationMs: 30 },
      ]).bundle["text/html"],
    ];
    await withOutputs(outputs, async (page) => {
      const figures = await page.$$eval("figure[data-display]", (figs) =>
        figs.map((f) => {
          const frame = f.getBoundingClientRect();
          const bars = [...f.querySelectorAll('[aria-label="bar"] rect')].map((r) => {
            const b = r.getBoundingClientRect();
            return { top: b.top - frame.top, bottom: b.bottom - frame.top, h: b.height };
          });
          const ticks = [...f.querySelectorAll('[aria-label^="x-axis tick label"] text')].map(
            (t) => t.getBoundingClientRect().top - frame.top,
          );
          return { kind: f.getAttribute("data-display"), height: frame.height, bars, ticks };
        }));
      assert.deepEqual(figures.map((f) => f.kind), ["chart", "chart", "timeline"]);
      const [stacked, single, trace] = figures;
      assert.equal(stacked.bars.length, 4);
      assert.ok(stacked.bars.every((b) => b.h > 0 && b.bottom <= stacked.height + 0.5));
      // The second chart sits below the first: its bars start under the first chart's bars.
      assert.ok(Math.min(stacked.bars[2].top, stacked.bars[3].top) > stacked.bars[0].bottom);
      // A 1–5 score bar ends above its axis labels, never over them.
      assert.equal(single.ticks.length, 2);
      for (const b of single.bars) {
        for (const tick of single.ticks) assert.ok(b.bottom <= tick + 0.5, `${b.bottom} ${tick}`);
      }
      assert.equal(trace.bars.length, 2);
      assert.ok(trace.bars.every((b) => b.h > 0));
    });
  },
);

Deno.test("charts keep long titles and labels inside the picture, apart", options, async () => {
  const runs = "B (20261201T113612Z-notebook-final) − A (20261201T113615Z-notebook-baseline)";
  const metrics = [
    "lexical_groundedness",
    "a very long evaluator name that would never fit in any margin at all",
    "f1",
  ];
  const outputs = [
    barChart(metrics.map((metric, i) => ({ metric, delta: i / 10 - 0.1 })), {
      x: "metric",
      y: "delta",
      horizontal: true,
      title: runs,
    }),
    barChart(
      ["groundedness", "relevance", "coherence", "fluency", "friendliness", "similarity"]
        .map((metric, i) => ({ metric: `${metric}_score_mean`, mean: 1 + i / 2 })),
      { x: "metric", y: "mean", domain: [1, 5], title: runs, width: 480 },
    ),
    timeline([
      {
        name: "customer lookup in the embedded Cosmos DB server, by id",
        startMs: 0,
        durationMs: 4,
      },
      { name: "search", startMs: 4, durationMs: 20 },
    ], { title: runs, width: 420 }),
  ].map((c) => c.bundle["text/html"]);
  await withOutputs(outputs, async (page) => {
    const figures = await page.$$eval("figure[data-display] > svg", (svgs) =>
      svgs.map((svg) => {
        const frame = svg.getBoundingClientRect();
        const texts = [...svg.querySelectorAll("text")].map((t) => {
          const b = t.getBoundingClientRect();
          return {
            text: t.textContent,
            left: b.left - frame.left,
            right: b.right - frame.left,
            lines: t.querySelectorAll("tspan").length,
          };
        });
        const ticks = [...svg.querySelectorAll('[aria-label^="x-axis tick label"] text')].map(
          (t) => t.getBoundingClientRect(),
        ).map((b) => [b.left, b.right]);
        return { width: frame.width, texts, ticks };
      }));
    for (const f of figures) {
      for (const t of f.texts) {
        assert.ok(t.left >= -0.5 && t.right <= f.width + 0.5, `${t.text}: ${t.left}…${t.right}`);
      }
      // Labels along the x axis do not run into each other.
      for (let i = 1; i < f.ticks.length; i++) assert.ok(f.ticks[i - 1][1] <= f.ticks[i][0]);
    }
    const title = figures.map((f) => f.texts.find((t) => t.text!.includes("notebook-"))!);
    assert.ok(title.every((t) => t.lines >= 2), "the long title wraps onto a second line");
  });
});
