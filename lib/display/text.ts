/**
 * `markdown` and `html`: rich text cells for notebooks. Both accept a plain string or work as
 * tagged templates. In `html`, interpolated values are escaped (a customer's name cannot
 * inject markup) unless they are themselves rendered values such as a `table()`, which are
 * embedded as HTML. The `text/plain` fallback of `html` is the markup's text content.
 *
 * @module
 */
import { isRendered, type Rendered, rendered } from "./_bundle.ts";
import { escapeHtml } from "./escape.ts";
import { formatValue } from "./_format.ts";

function join(
  strings: TemplateStringsArray | string,
  values: unknown[],
  render: (value: unknown) => string,
): string {
  if (typeof strings === "string") return strings;
  return strings.reduce((out, s, i) => out + s + (i < values.length ? render(values[i]) : ""), "");
}

function htmlValue(value: unknown): string {
  if (Array.isArray(value)) return value.map(htmlValue).join("");
  if (isRendered(value)) {
    const b = value.bundle;
    return b["text/html"] ?? b["image/svg+xml"] ?? `<pre>${escapeHtml(b["text/plain"])}</pre>`;
  }
  return escapeHtml(formatValue(value));
}

function markdownValue(value: unknown): string {
  if (Array.isArray(value)) return value.map(markdownValue).join("");
  if (isRendered(value)) return value.bundle["text/markdown"] ?? value.bundle["text/plain"];
  return formatValue(value);
}

const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', nbsp: " " };

/** The text content of an HTML fragment, for the `text/plain` fallback. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, "")
    .replace(/<(br|\/p|\/div|\/tr|\/h\d|\/li|\/caption)\b[^>]*>/gi, "\n")
    .replace(/<\/t[dh]\s*>/gi, "\t")
    .replace(/<[^>]*>/g, "")
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (all, name: string) => {
      if (name[0] !== "#") return NAMED[name.toLowerCase()] ?? all;
      const code = name[1] === "x" || name[1] === "X"
        ? parseInt(name.slice(2), 16)
        : Number(name.slice(1));
      return String.fromCodePoint(code);
    })
    .split("\n")
    .map((line) => line.replace(/[ \t]+/g, " ").trim())
    .filter((line) => line !== "")
    .join("\n");
}

/**
 * Markdown for Jupyter (`text/markdown`), its source as `text/plain`. Interpolated values are
 * inserted as text, not escaped.
 *
 * @example
 * ```ts
 * import { markdown } from "./text.ts";
 * const title = "Setup";
 * console.assert(String(markdown`# ${title}`) === "# Setup");
 * ```
 */
export function markdown(strings: TemplateStringsArray | string, ...values: unknown[]): Rendered {
  const text = join(strings, values, markdownValue);
  return rendered({ "text/markdown": text, "text/plain": text });
}

/**
 * HTML for Jupyter. A plain string is trusted markup; in the tagged form every interpolated
 * value is escaped, except rendered values (tables, charts), which are embedded.
 *
 * @example
 * ```ts
 * import { html } from "./text.ts";
 * const name = "<script>";
 * console.assert(html`<b>${name}</b>`.bundle["text/html"] === "<b>&lt;script&gt;</b>");
 * ```
 */
export function html(strings: TemplateStringsArray | string, ...values: unknown[]): Rendered {
  const markup = join(strings, values, htmlValue);
  return rendered({ "text/html": markup, "text/plain": htmlToText(markup) });
}
