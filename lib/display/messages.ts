/**
 * `messages(list)`: chat messages for a notebook, as a rendered prompt (`renderPrompty()`'s
 * result) or a conversation. Each message is a block with its role as a label; its content keeps
 * its line breaks, and long content scrolls inside its block instead of filling the page.
 * Prompt text (system and user messages) is shown as written, pre-formatted, because that text
 * is exactly what the model receives: a `## Customer` heading is two hashes to the model, not a
 * bold title. Assistant replies are rendered as Markdown (raw HTML in them is shown as text),
 * with single line breaks kept. `format` overrides the choice for every message.
 *
 * The HTML follows a contract the export test reads: the root is
 * `<div data-display="messages">`, each message a `<section data-role="…">`. The `text/plain`
 * twin is `role:` headers, each followed by the content.
 *
 * @module
 */
import { type Rendered, rendered } from "./_bundle.ts";
import { escapeHtml } from "./escape.ts";
import { formatValue } from "./_format.ts";
import { markdownToHtml } from "./_markdown.ts";

/** One message: what `renderPrompty()` returns, or a chat turn. */
export interface DisplayMessage {
  /** `system`, `user`, `assistant`, or any other role; shown as the block's label. */
  role: string;
  /** The text, shown with its line breaks. */
  content: string;
}

/** How a message's content is shown. */
export type MessageFormat = "markdown" | "pre";

/** Options for {@linkcode messages}. */
export interface MessagesOptions {
  /**
   * `"pre"`: the text as written, line breaks kept, in a monospace block; `"markdown"`:
   * rendered. Default: `"markdown"` for assistant messages, `"pre"` for all others.
   */
  format?: MessageFormat;
  /** A title above the messages (e.g. the prompt's name). */
  caption?: string;
  /** Height after which a message's content scrolls, as CSS (default `"24em"`). */
  maxHeight?: string;
}

const ACCENT: Record<string, string> = {
  system: "#6b7280",
  user: "#2563eb",
  assistant: "#16a34a",
  tool: "#b45309",
};

function formatOf(role: string, options: MessagesOptions): MessageFormat {
  return options.format ?? (role === "assistant" ? "markdown" : "pre");
}

function safeCss(value: string): string {
  // Only simple lengths ("24em", "300px", "50vh"): the value lands in a style attribute.
  return /^\d+(?:\.\d+)?(?:em|rem|px|vh|%)$/.test(value) ? value : "24em";
}

function section(message: DisplayMessage, options: MessagesOptions): string {
  const role = formatValue(message.role) || "message";
  const content = formatValue(message.content);
  const format = formatOf(role, options);
  const accent = ACCENT[role] ?? "#7c3aed";
  const scroll = `max-height:${safeCss(options.maxHeight ?? "24em")};overflow:auto;`;
  const body = format === "pre"
    ? `<pre style="${scroll}margin:0;white-space:pre-wrap;overflow-wrap:break-word;` +
      `word-break:normal;text-align:left;font-size:0.9em;line-height:1.4">${
        escapeHtml(content)
      }</pre>`
    : `<div style="${scroll}text-align:left;line-height:1.45">${markdownToHtml(content)}</div>`;
  return `<section data-role="${escapeHtml(role)}" data-format="${format}" ` +
    `style="margin:0.5em 0;padding:0.35em 0.8em;border-left:4px solid ${accent};text-align:left">` +
    `<div style="font-weight:600;font-size:0.85em;color:${accent};margin-bottom:0.25em">` +
    `${escapeHtml(role)}</div>${body}</section>`;
}

/**
 * Shows chat messages as role-labelled blocks (`text/html`), or `role:` headers and content
 * (`text/plain`).
 *
 * @example
 * ```ts
 * import { messages } from "./messages.ts";
 * const view = messages([
 *   { role: "system", content: "You are a helpful assistant.\n## Customer\nMaya" },
 *   { role: "user", content: "Which tent?" },
 * ]);
 * console.assert(String(view).startsWith("system:\nYou are"));
 * ```
 */
export function messages(
  list: readonly DisplayMessage[],
  options: MessagesOptions = {},
): Rendered {
  const caption = options.caption === undefined
    ? ""
    : `<div style="font-weight:600;margin:0.25em 0">${escapeHtml(options.caption)}</div>`;
  const blocks = list.length === 0
    ? `<p style="text-align:left"><em>(no messages)</em></p>`
    : list.map((m) => section(m, options)).join("");
  const html = `<div data-display="messages" style="text-align:left">${caption}${blocks}</div>`;
  const text = [
    ...(options.caption === undefined ? [] : [options.caption, ""]),
    ...(list.length === 0
      ? ["(no messages)"]
      : list.map((m) => `${formatValue(m.role) || "message"}:\n${formatValue(m.content)}`)
        .join("\n\n").split("\n")),
  ].join("\n");
  return rendered({ "text/html": html, "text/plain": text });
}
