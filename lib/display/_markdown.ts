/**
 * Markdown to safe HTML without a browser, for text that comes from data and models (chat
 * replies, table cells): `marked` does the Markdown, and its renderer is narrowed so nothing in
 * the source can inject markup. Raw HTML in the source is shown as text, links keep only
 * `http:`, `https:`, `mailto:` and relative targets, and images become links (an export opened
 * offline must not fetch anything). This replaces DOMPurify, which needs a real DOM. The plain
 * forms render the same Markdown to text, so `text/plain` and `text/html` agree.
 *
 * @module
 */
import { Marked, type Tokens } from "marked";
import { escapeHtml } from "./escape.ts";
import { htmlToText } from "./text.ts";

const SAFE_URL = /^(?:https?:|mailto:|[^:]*$|[^:]*[/?#])/i;

function safeHref(href: string): string | undefined {
  const trimmed = href.trim();
  // Control characters and spaces can hide a scheme from the check ("java\tscript:").
  // deno-lint-ignore no-control-regex
  const compact = trimmed.replace(/[\u0000-\u0020]/g, "");
  return SAFE_URL.test(compact) ? trimmed : undefined;
}

function link(inner: string, href: string, title: string | null | undefined): string {
  const target = safeHref(href);
  if (target === undefined) return inner;
  const t = title ? ` title="${escapeHtml(title)}"` : "";
  return `<a href="${
    escapeHtml(target)
  }"${t} target="_blank" rel="noopener noreferrer">${inner}</a>`;
}

function create(breaks: boolean): Marked {
  return new Marked({
    gfm: true,
    breaks,
    renderer: {
      html(token: Tokens.HTML | Tokens.Tag): string {
        return escapeHtml(token.text);
      },
      link(token: Tokens.Link): string {
        return link(this.parser.parseInline(token.tokens), token.href, token.title);
      },
      image(token: Tokens.Image): string {
        return link(escapeHtml(token.text || token.href), token.href, token.title);
      },
    },
  });
}

// Chat text keeps single line breaks (a greeting line, an address); documents follow CommonMark.
const chatMarked = create(true);
const inlineMarked = create(false);

/** A Markdown document (a chat reply) as safe HTML; single newlines become `<br>`. */
export function markdownToHtml(source: string): string {
  return chatMarked.parse(source, { async: false }) as string;
}

/** A Markdown document (a manual) as safe HTML, CommonMark line breaks (a newline is a space). */
export function markdownDocumentToHtml(source: string): string {
  return inlineMarked.parse(source, { async: false }) as string;
}

/** Inline Markdown (a table cell: code spans, emphasis, links) as safe HTML, no block elements. */
export function inlineMarkdownToHtml(source: string): string {
  return inlineMarked.parseInline(source, { async: false }) as string;
}

/** Inline Markdown as the plain text a reader sees: markers gone, link targets in parentheses. */
export function inlineMarkdownToText(source: string): string {
  const html = inlineMarkdownToHtml(source).replace(
    /<a href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/g,
    (_all, href: string, inner: string) => {
      const text = htmlToText(inner);
      const target = htmlToText(href);
      return text === target || `mailto:${text}` === target ? inner : `${inner} (${href})`;
    },
  );
  // htmlToText drops line structure inside a cell; a cell is one line anyway.
  return htmlToText(html.replace(/<br\s*\/?>/g, " "));
}
