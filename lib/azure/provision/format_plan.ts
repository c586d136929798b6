/**
 * A plan as text, the form `--dry-run` and the notebooks print: the steps with their commands,
 * then the resources, the environment, the notes and the portal pages, wrapped between words
 * (commands with shell line continuations, so a wrapped command still runs when pasted).
 *
 * @module
 */
import { shellWord } from "../runner.ts";
import type { AzurePlan } from "./plan.ts";

/** Options for {@linkcode formatPlan}. */
export interface FormatPlanOptions {
  /** Longest line in characters (default 80); longer lines are wrapped between words. */
  width?: number;
}

/**
 * Breaks `words` so each line fits `width`, the first line after `indent`, the others after
 * `hang`; each broken line ends with `continuation`. A word longer than a line stays whole on a
 * line of its own: front-ends then scroll or wrap it, but nothing here splits it.
 */
function wrapWordList(
  words: readonly string[],
  width: number,
  indent: string,
  hang: string,
  continuation = "",
): string[] {
  const lines: string[] = [];
  let line = indent;
  let empty = true;
  for (const word of words) {
    if (!empty && line.length + 1 + word.length + continuation.length > width) {
      lines.push(line + continuation);
      line = hang + word;
    } else {
      line += (empty ? "" : " ") + word;
    }
    empty = false;
  }
  lines.push(line);
  return lines;
}

/** Text wrapped between words ({@linkcode wrapWordList}); runs of spaces become one. */
function wrapWords(text: string, width: number, indent: string, hang: string): string[] {
  // A code span (`deno task seed`) is one word: it is copied whole.
  return wrapWordList(text.match(/(?:`[^`]*`|\S)+/g) ?? [], width, indent, hang);
}

/**
 * A command wrapped between its words with shell line continuations (` \`), so the wrapped
 * form still runs when pasted into bash or zsh.
 */
function wrapCommand(words: string[], width: number, indent: string, hang: string): string[] {
  return wrapWordList(words, width, indent, hang, " \\");
}

/**
 * The plan as text: steps with their commands, then resources, environment and notes. Lines
 * are wrapped between words to `width` (80 by default): Jupyter breaks long lines of
 * pre-formatted output anywhere, even mid-word, so the text must not rely on it.
 */
export function formatPlan(plan: AzurePlan, options: FormatPlanOptions = {}): string {
  const width = options.width ?? 80;
  const lines = [
    ...wrapWords(
      `Plan for ${plan.action} of azd environment "${plan.envName}"` +
        (plan.location ? ` in ${plan.location}` : "") +
        (plan.subscriptionId ? ` (subscription ${plan.subscriptionId})` : "") +
        `, resource group ${plan.resourceGroup}:`,
      width,
      "",
      "  ",
    ),
    "",
    "Steps:",
  ];
  plan.steps.forEach((step, i) => {
    const number = `  ${i + 1}. `;
    lines.push(...wrapWords(step.title, width, number, " ".repeat(number.length)));
    if (step.kind === "command") {
      const env = Object.entries(step.env ?? {}).map(([k, v]) => `${k}=${v}`);
      const words = [...env, ...step.command.map(shellWord)];
      lines.push(...wrapCommand(words, width, "       $ ", "           "));
    } else if (step.kind === "smoke") {
      const url = `${step.url ?? "<SERVICE_API_URI>"}/api/create_response`;
      lines.push(...wrapWords(`POST ${url}`, width, "       ", "         "));
    } else {
      lines.push(...wrapWords(`edit ${step.path}`, width, "       ", "         "));
    }
  });
  if (plan.resources.length > 0) {
    const verb = plan.action === "teardown"
      ? "Deleted"
      : plan.action === "deploy"
      ? "Updated"
      : "Created or updated";
    lines.push(
      "",
      ...wrapWords(`${verb} resources (type@apiVersion, then name: purpose):`, width, "", ""),
    );
    for (const r of plan.resources) {
      lines.push(...wrapWords(`${r.type}@${r.apiVersion}`, width, "  - ", "    "));
      lines.push(...wrapWords(`${r.name}: ${r.purpose}`, width, "    ", "      "));
    }
  }
  if (plan.environment.length > 0) {
    const heading = "Environment of the Container App (and of .env, except AZURE_CLIENT_ID):";
    lines.push("", ...wrapWords(heading, width, "", ""));
    lines.push(
      ...wrapWords(
        plan.environment.map((e) => e.name + (e.secret ? "\u00a0(secret)" : "")).join(", "),
        width,
        "  ",
        "  ",
      ).map((line) => line.replaceAll("\u00a0", " ")),
    );
  }
  if (plan.notes.length > 0) {
    lines.push("", "Notes:", ...plan.notes.flatMap((n) => wrapWords(n, width, "  - ", "    ")));
  }
  if (plan.portal.length > 0) {
    lines.push("", "Azure AI Foundry portal:");
    for (const link of plan.portal) {
      lines.push(...wrapWords(`${link.title}:`, width, "  - ", "    "));
      lines.push(...wrapWords(link.url, width, "    ", "    "));
    }
  }
  return lines.join("\n");
}
