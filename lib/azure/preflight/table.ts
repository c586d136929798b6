/**
 * The preflight as a notebook shows it: one table row per check (status, what was seen, the
 * fix) and, under it, what the failed rows mean for the learner's track. On the local track a
 * red row is expected on a laptop without `azd` and costs nothing, so the table says so; on the
 * Azure track it says to fix them first. The Provision and Deploy notebooks both use it, so the
 * two read the same.
 *
 * @module
 */
import { type Rendered, rendered } from "../../display/_bundle.ts";
import { escapeHtml } from "../../display/escape.ts";
import { table } from "../../display/table.ts";
import type { PreflightCheck, PreflightResult } from "./preflight.ts";

/** Options of {@linkcode preflightTable}. */
export interface PreflightTableOptions {
  /**
   * The learner's track: `"local"` (embedded services; failed checks are fine) or `"azure"`
   * (this notebook will provision or deploy; failed checks must be fixed first).
   */
  track: "local" | "azure";
  /** How the learner switches to the Azure track, e.g. "set `PROVISION=azure`". */
  switchHint?: string;
  /** Table caption (default "Preflight for provisioning" / "… deploying" / "… tearing down"). */
  caption?: string;
}

const CAPTIONS = {
  provision: "Preflight for provisioning",
  deploy: "Preflight for deploying",
  teardown: "Preflight for tearing down",
} as const;

/** Escaped text with `code` spans as <code>, so backticks never show literally. */
function inlineCode(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, "<code>$1</code>");
}

function status(check: PreflightCheck): string {
  return check.ok ? "✅ ok" : check.skipped ? "– skipped" : check.warn ? "⚠️ warning" : "❌ failed";
}

/** The sentence under the table: what the failed rows mean on this track, or none when all pass. */
export function preflightNote(
  result: PreflightResult,
  options: PreflightTableOptions,
): string | undefined {
  const failed = result.checks.filter((c) => !c.ok && !c.skipped && !c.warn).length;
  if (failed === 0 && result.ok) return undefined;
  const rows = `${failed} failed check${failed === 1 ? "" : "s"}`;
  if (options.track === "local") {
    const hint = options.switchHint ? ` (${options.switchHint})` : "";
    return `${rows}: fine for the local track, which needs neither azd nor an Azure ` +
      `subscription. They matter only for the Azure track${hint}: each fix says what to do.`;
  }
  return `${rows}: fix ${failed === 1 ? "it" : "them"} before this notebook can ` +
    `${
      result.action === "deploy"
        ? "deploy"
        : result.action === "teardown"
        ? "tear down"
        : "provision"
    }; ` +
    "each fix says what to do, then re-run this cell.";
}

/**
 * The preflight as a table with the note for the learner's track under it.
 *
 * @example
 * ```ts
 * import { preflightTable } from "./table.ts";
 * const shown = preflightTable({
 *   action: "deploy",
 *   ok: false,
 *   checks: [{ name: "azd installed", ok: false, detail: "azd not found", fix: "Install azd" }],
 *   target: { envExists: false, values: {} },
 * }, { track: "local" });
 * console.assert(String(shown).includes("fine for the local track"));
 * ```
 */
export function preflightTable(result: PreflightResult, options: PreflightTableOptions): Rendered {
  const shown = table(
    result.checks.map((c) => ({
      check: c.name,
      status: status(c),
      detail: c.detail,
      fix: c.ok ? "" : c.fix ?? "",
    })),
    {
      caption: options.caption ?? CAPTIONS[result.action],
      columns: ["check", "status", "detail", "fix"],
    },
  );
  const note = preflightNote(result, options);
  if (!note) return shown;
  const mark = options.track === "local" ? "ℹ️" : "⚠";
  return rendered({
    "text/html": `<div data-display="preflight">${shown.bundle["text/html"]}` +
      `<p data-role="preflight-note" style="text-align:left">${mark} ${inlineCode(note)}</p></div>`,
    "text/plain": `${shown.bundle["text/plain"]}\n${mark} ${note}`,
  });
}
