/**
 * Chromium for the browser tests, defined once: Debian's `chromium` (or `CHROMIUM_PATH`) driven by
 * `playwright-core` with the project's flags — never a browser a tool downloads. Without Chromium
 * a browser test is ignored locally with an install hint and fails on CI (`CI=true`), where it
 * must run.
 *
 * @module
 */
import { chromium } from "playwright-core";
import type { Browser } from "playwright-core";
import { requiredTool } from "./_required_tool.ts";

/** Debian's Chromium; CHROMIUM_PATH points elsewhere (another distribution's package). */
export const CHROMIUM = Deno.env.get("CHROMIUM_PATH") ?? "/usr/bin/chromium";

/** The install hint shown when Chromium is missing. */
export const CHROMIUM_INSTALL_HINT = "apt-get install -y chromium";

/** Whether Chromium is installed at {@linkcode CHROMIUM}. */
export const chromiumInstalled: boolean = (() => {
  try {
    return Deno.statSync(CHROMIUM).isFile;
  } catch {
    return false;
  }
})();

const gate = requiredTool({
  what: `Chromium at ${CHROMIUM}`,
  found: chromiumInstalled,
  hint: CHROMIUM_INSTALL_HINT,
});

/** Whether a browser test should be ignored here (no Chromium, not on CI); hints once. */
export function ignoreWithoutChromium(): boolean {
  return gate.ignore;
}

/** Throws the install hint when Chromium is missing (call first in a browser test's body). */
export function requireChromium(): void {
  gate.require();
}

/** Starts headless Chromium with the project's flags. */
export function launchChromium(): Promise<Browser> {
  requireChromium();
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
