/**
 * The export check of `tests/_notebook_exports.ts` in real Chromium: it must pass pages whose
 * charts draw and whose prompts keep their lines, and catch the ways exports went wrong (a
 * chart stripped to nothing, a figure drawn with axes but no marks, a hidden chart, a prompt
 * collapsed into one right-aligned paragraph, a view the notebook sent that the page lacks).
 * Then the real display helpers' bundles (barChart, timeline, architectureDiagram, messages)
 * go through Debian's nbconvert HTML export and must pass the same check.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import {
  architectureDiagram,
  barChart,
  JUPYTER_DISPLAY,
  messages,
  type Rendered,
  table,
  timeline,
} from "../lib/mod.ts";
import { EXPORT_PYTHON_MODULES, findJupyterPython } from "../tools/_jupyter_env.ts";
import { ignoreWithoutChromium, launchChromium } from "./_chromium.ts";
import { checkExport, sentViews } from "./_notebook_exports.ts";

const ignore = ignoreWithoutChromium();

async function withBrowser(fn: (browser: Browser, dir: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "export-check-" });
  const browser = await launchChromium();
  try {
    await fn(browser, dir);
  } finally {
    await browser.close();
    await Deno.remove(dir, { recursive: true });
  }
}

const BARS = `<figure data-display="chart"><svg width="300" height="120" viewBox="0 0 300 120">
<g fill="steelblue"><rect x="10" y="20" width="40" height="90"/><rect x="60" y="50" width="40"
height="60"/></g><text x="10" y="118">cosmos</text></svg></figure>`;
const AXES_ONLY = `<figure data-display="chart"><svg width="300" height="120">
<text x="10" y="118">cosmos</text><text x="60" y="118">search</text>
<rect x="0" y="0" width="300" height="120" fill="none" stroke="none"/></svg></figure>`;
const PROMPT = `<div data-display="messages"><section data-role="system"><div>system</div>
<pre style="white-space:pre-wrap">You are a helpful assistant.
## Customer
first name: Maya</pre></section><section data-role="user"><div>user</div>
<div><p>Which tent?</p><ul><li>two people</li><li>rain</li></ul></div></section></div>`;
// What the old table view did to the same prompt: one paragraph, right-aligned.
const COLLAPSED = `<div data-display="messages"><section data-role="system"
style="text-align:right"><div>system</div><div>You are a helpful assistant.
## Customer
first name: Maya</div></section></div>`;

function page(body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8">` +
    `<script src="https://cdn.example.invalid/require.js"></script></head>` +
    `<body>${body}</body></html>`;
}

Deno.test({
  name: "checkExport() passes drawn views and catches broken ones",
  ignore,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    await withBrowser(async (browser, dir) => {
      const check = async (name: string, body: string) => {
        const file = join(dir, `${name}.html`);
        await Deno.writeTextFile(file, page(body));
        return await checkExport(browser, file);
      };
      await t.step("bars and a pre-formatted prompt pass", async () => {
        const report = await check("good", BARS + PROMPT);
        assert.deepEqual(report.problems, []);
        assert.equal(report.views.length, 1);
        assert.equal(report.views[0].shapes, 2);
        assert.equal(report.views[0].texts, 1);
        // The user message has no written line breaks: its paragraph and list items are blocks.
        assert.deepEqual(report.messages.map((m) => [m.role, m.lines, m.shownLines]), [
          ["system", 3, 3],
          ["user", 1, 3],
        ]);
      });
      await t.step("a chart with text but no painted shape has no marks", async () => {
        const report = await check("axes", AXES_ONLY);
        assert.deepEqual(report.problems, ["chart 1: no visible marks"]);
      });
      await t.step("a figure whose SVG was stripped, and a hidden one", async () => {
        const stripped = `<figure data-display="timeline"><figcaption>Steps</figcaption></figure>`;
        const hidden = `<div style="display:none">${BARS}</div>`;
        const report = await check("stripped", stripped + hidden);
        assert.deepEqual(report.problems, [
          "timeline 1: no <svg> inside the figure",
          "chart 1: drawn with no size",
        ]);
      });
      await t.step("a prompt collapsed into a right-aligned paragraph", async () => {
        const report = await check("collapsed", COLLAPSED);
        assert.deepEqual(report.problems, [
          'message 1 (system): line "## Customer" does not start a line',
          "message 1 (system): text-align right",
        ]);
      });
      await t.step("a long prompt must scroll in its block, not fill or cut off", async () => {
        const long = Array.from({ length: 120 }, (_, i) => `line ${i + 1}`).join("\n");
        const tall = `<div data-display="messages"><section data-role="system"><div>system</div>` +
          `<pre>${long}</pre></section></div>`;
        const cut = `<div data-display="messages"><section data-role="user"><div>user</div>` +
          `<pre style="max-height:10em;overflow:hidden">${long}</pre></section></div>`;
        const scrolls = cut.replace("overflow:hidden", "overflow:auto");
        const report = await check("long", tall + cut + scrolls);
        assert.equal(report.problems.length, 2, report.problems.join("\n"));
        assert.match(
          report.problems[0],
          /^message 1 \(system\): \d+ px tall instead of scrolling$/,
        );
        assert.equal(report.problems[1], "message 2 (user): content cut off without a scroll bar");
      });
      await t.step("text in tables reads from the left, numbers may align right", async () => {
        const table = (align: string) =>
          `<table data-display="table"><tr><th>product</th><th>price</th></tr>` +
          `<tr><td style="text-align:${align}">TrailMaster X4 Tent</td>` +
          `<td style="text-align:right">250.00</td></tr></table>`;
        const report = await check("tables", table("left") + table("right"));
        assert.deepEqual(report.tables.map((t) => t.cells), [2, 2]);
        assert.deepEqual(report.problems, ['table 2: text cell "TrailMaster X4 Tent" right']);
      });
      await t.step("views the notebook sent must all be in the page", async () => {
        const file = join(dir, "missing.html");
        await Deno.writeTextFile(file, page(BARS));
        const counts = { chart: 2, timeline: 0, diagram: 0, messages: 1, table: 0 };
        const sent = { counts, svgOnly: [] };
        const report = await checkExport(browser, file, sent);
        assert.deepEqual(report.problems, [
          "chart: 2 sent, 1 in the export",
          "messages: 1 sent, 0 in the export",
        ]);
      });
    });
  },
});

Deno.test("sentViews() counts views per kind and outputs sent as SVG only", () => {
  const notebook = {
    cells: [
      { cell_type: "markdown" },
      {
        cell_type: "code",
        outputs: [
          { data: { "text/html": [BARS, BARS], "text/plain": "bars" } },
          { data: { "text/html": PROMPT, "text/plain": "system: …" } },
        ],
      },
      { cell_type: "code", outputs: [{ data: { "image/svg+xml": "<svg/>", "text/plain": "" } }] },
    ],
  };
  assert.deepEqual(sentViews(notebook), {
    counts: { chart: 2, timeline: 0, diagram: 0, messages: 1, table: 0 },
    svgOnly: ["cell 2"],
  });
});

const python = await findJupyterPython(Deno.env, { modules: EXPORT_PYTHON_MODULES });

/** A notebook whose code cells each show one bundle, as Deno's kernel records it. */
function notebookOf(views: Rendered[]) {
  return {
    cells: views.map((view, i) => ({
      cell_type: "code",
      id: `v${i}`,
      metadata: {},
      source: `view${i}`,
      execution_count: i + 1,
      outputs: [{
        output_type: "execute_result",
        execution_count: i + 1,
        metadata: {},
        data: view[JUPYTER_DISPLAY](),
      }],
    })),
    metadata: { language_info: { name: "typescript" } },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

Deno.test({
  name: "display helpers survive Debian's nbconvert HTML export in Chromium",
  ignore: ignore || (!python.ok && Deno.env.get("CI") !== "true"),
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    assert.ok(python.ok, `nbconvert is required on CI: ${!python.ok && python.reason}`);
    const prompt = [
      { role: "system", content: "You are an assistant for Contoso Outdoors.\n\n# Customer\n" },
      { role: "user", content: "Line one of the question\nline two\n  indented line three" },
      { role: "assistant", content: "**Two** tents fit:\n\n- TrailMaster X4\n- SkyView 2" },
    ];
    const notebook = notebookOf([
      barChart([{ service: "customers", ms: 3.5 }, { service: "search", ms: 12 }], {
        x: "service",
        y: "ms",
        title: "Latency",
      }),
      timeline([
        { name: "customer lookup", startMs: 0, durationMs: 4 },
        { name: "search", startMs: 4, durationMs: 20 },
      ]),
      architectureDiagram(),
      messages(prompt, { caption: "a prompt" }),
      table([
        { product: "TrailMaster X4 Tent", "price ($)": 250, note: "**best** for `rain`" },
        { product: "SkyView 2-Person Tent", "price ($)": 200, note: "light" },
      ]),
    ]);
    await withBrowser(async (browser, dir) => {
      const source = join(dir, "views.ipynb");
      await Deno.writeTextFile(source, JSON.stringify(notebook));
      const target = join(dir, "views.html");
      const out = await new Deno.Command(python.ok ? python.python : "python3", {
        args: [
          "-c",
          "import sys, nbformat\nfrom nbconvert import HTMLExporter\n" +
          "body, _ = HTMLExporter().from_notebook_node(nbformat.read(sys.argv[1], 4))\n" +
          "open(sys.argv[2], 'w', encoding='utf-8').write(body)",
          source,
          target,
        ],
        stderr: "piped",
      }).output();
      assert.ok(out.success, new TextDecoder().decode(out.stderr));
      const sent = sentViews(notebook);
      assert.deepEqual(sent.counts, { chart: 1, timeline: 1, diagram: 1, messages: 1, table: 1 });
      const report = await checkExport(browser, target, sent);
      assert.deepEqual(report.problems, []);
      assert.deepEqual(report.views.map((v) => v.kind), ["chart", "timeline", "diagram"]);
      for (const view of report.views) assert.ok(view.shapes >= 2, JSON.stringify(view));
      assert.deepEqual(report.messages.map((m) => [m.role, m.lines]), [
        ["system", 2],
        ["user", 3],
        ["assistant", 3],
      ]);
      assert.deepEqual(report.tables, [{ cells: 6, misaligned: null }]);
    });
  },
});
