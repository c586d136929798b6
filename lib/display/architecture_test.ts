import assert from "node:assert/strict";
import { parseHTML } from "linkedom";
import { architectureDiagram, architectureSvg, architectureText } from "./architecture.ts";
import { assertWellFormedXml } from "./_xml_testing.ts";
import { ignoreBrowser, withOutputs } from "./_browser_testing.ts";

Deno.test("architectureSvg() is one well-formed SVG naming every Azure service and its local stand-in", () => {
  const svg = architectureSvg();
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*>[\s\S]*<\/svg>$/);
  assertWellFormedXml(svg);
  for (
    const name of [
      "Azure OpenAI",
      "Cosmos DB",
      "Azure AI Search",
      "Application Insights",
      "Container Apps",
      "Container Registry",
      "Azure AI Foundry project",
    ]
  ) {
    assert.ok(svg.includes(name), name);
    assert.ok(architectureText().includes(name), name);
  }
  assert.match(svg, /embedded Cosmos DB server/);
  assert.match(svg, /Orama/);
  // Inline in a page, a <style> or a short id would reach every other output.
  assert.doesNotMatch(svg, /<style|class=/);
  assert.deepEqual([...svg.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]), [
    "contoso-architecture-arrowhead",
  ]);
});

Deno.test("architectureDiagram() sends a diagram figure, the SVG and a text twin", () => {
  const bundle = architectureDiagram().bundle;
  assert.deepEqual(Object.keys(bundle).sort(), ["image/svg+xml", "text/html", "text/plain"]);
  const { document } = parseHTML(`<html><body>${bundle["text/html"]}</body></html>`);
  const figure = document.querySelector('figure[data-display="diagram"]');
  assert.ok(figure);
  assert.equal(figure.querySelectorAll("svg").length, 1);
  assert.equal(bundle["image/svg+xml"], architectureSvg());
  assert.equal(bundle["text/plain"], architectureText());
  assert.match(bundle["text/plain"], /→ HTTPS → Azure Container Apps/);
  assert.match(bundle["text/plain"], /Azure AI Search: .*\[local: in-process Orama hybrid index\]/);
});

Deno.test({
  name: "architectureDiagram() keeps every label inside its box in Chromium, in several fonts",
  ignore: ignoreBrowser,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const html = architectureDiagram().bundle["text/html"];
    // system-ui is DejaVu Sans on Debian; Liberation Sans has Arial's metrics.
    for (const font of ["system-ui, sans-serif", "Liberation Sans", "DejaVu Sans"]) {
      const styled = html.replace(/font-family="[^"]*"/, `font-family="${font}"`);
      await withOutputs([styled], async (page) => {
        const spills = await page.$$eval(
          "figure[data-display=diagram] svg g",
          (groups) =>
            groups.flatMap((g) => {
              const rect = g.querySelector("rect")!.getBBox();
              return [...g.querySelectorAll("text")].flatMap((t) => {
                const b = (t as SVGTextElement).getBBox();
                const inside = b.x >= rect.x + 4 && b.x + b.width <= rect.x + rect.width - 4 &&
                  b.y >= rect.y && b.y + b.height <= rect.y + rect.height;
                return inside ? [] : [`${t.textContent} (${b.width.toFixed(1)} in ${rect.width})`];
              });
            }),
        );
        assert.deepEqual(spills, [], font);
        // The boxes do not overlap each other.
        const boxes = await page.$$eval(
          "figure[data-display=diagram] svg g > rect",
          (rects) =>
            rects.map((r) => (r as SVGRectElement).getBBox()).map((
              b,
            ) => [b.x, b.y, b.width, b.height]),
        );
        for (const [i, a] of boxes.entries()) {
          for (const b of boxes.slice(i + 1)) {
            const apart = a[0] + a[2] <= b[0] || b[0] + b[2] <= a[0] || a[1] + a[3] <= b[1] ||
              b[1] + b[3] <= a[1];
            assert.ok(apart, `${a} overlaps ${b}`);
          }
        }
      });
    }
  },
});

Deno.test("architectureText() places the Foundry project with its connections and local stand-in", () => {
  const text = architectureText();
  assert.match(text, /Azure AI Foundry project: .*--log-to-project/);
  assert.match(text, /connected: App Insights, AI Search/);
  assert.match(text, /\[local: runs in \.runs\/eval, spans in the notebook\]/);
});
