/**
 * Real-browser checks for the display helpers' tests: Debian's Chromium driven by
 * `playwright-core`, and a page that wraps each output the way Jupyter's HTML export does
 * (`jp-OutputArea-output jp-RenderedHTMLCommon`), styled with the stylesheet the installed
 * nbconvert ships when there is one. That stylesheet is what right-aligns table cells and
 * breaks `<pre>` text anywhere (`word-break: break-all`), so checks against it are checks
 * against the real thing. Without Chromium the tests are ignored locally and fail in CI.
 *
 * @module
 */
import type { Browser, Page } from "playwright-core";
import { ignoreWithoutChromium, launchChromium } from "../../tests/_chromium.ts";

const LAB_CSS = [
  "/usr/share/jupyter/nbconvert/templates/lab/static/index.css",
  "/usr/share/jupyter/nbconvert/templates/lab/static/theme-light.css",
];

/** True when browser tests cannot run here (no Chromium, not CI); warns once. */
export const ignoreBrowser: boolean = ignoreWithoutChromium();

/** The nbconvert lab stylesheet when installed (else empty): Jupyter's look in the test page. */
export function jupyterCss(): string {
  try {
    return LAB_CSS.map((p) => Deno.readTextFileSync(p)).join("\n");
  } catch {
    return "";
  }
}

/** Opens `outputs` (HTML fragments) as Jupyter output areas in a fresh page and runs `fn`. */
export async function withOutputs<T>(
  outputs: readonly string[],
  fn: (page: Page) => Promise<T>,
  options: { width?: number; css?: string } = {},
): Promise<T> {
  const browser: Browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: options.width ?? 1000, height: 800 } });
    const body = outputs.map((o, i) =>
      `<div class="jp-OutputArea-output jp-RenderedHTMLCommon jp-RenderedHTML" ` +
      `data-output="${i}" data-mime-type="text/html">${o}</div>`
    ).join("");
    await page.setContent(
      `<!DOCTYPE html><html><head><meta charset="utf-8"><style>${jupyterCss()}\n${
        options.css ?? ""
      }</style></head><body class="jp-Notebook" data-jp-theme-light="true">${body}</body></html>`,
    );
    return await fn(page);
  } finally {
    await browser.close();
  }
}
