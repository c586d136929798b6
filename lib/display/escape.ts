/**
 * HTML escaping for everything the display helpers put into markup: table cells, captions,
 * labels and interpolated values. Quotes are escaped too, so the result is safe inside
 * attribute values as well as text.
 *
 * @module
 */

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Escapes `&`, `<`, `>`, `"` and `'` for HTML text and attribute values.
 *
 * @example
 * ```ts
 * import { escapeHtml } from "./escape.ts";
 * console.assert(escapeHtml('<b a="1">') === "&lt;b a=&quot;1&quot;&gt;");
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}
