/**
 * A strict XML well-formedness check for tests: one root element, balanced and correctly
 * nested tags, quoted attributes without duplicates, and only valid entity references in text
 * and attribute values. Enough to prove a chart's SVG opens as a standalone `.svg` file,
 * without an XML parser dependency.
 *
 * @module
 */

const NAME = "[A-Za-z_][\\w.:-]*";
const ENTITY = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/;
const TAG = new RegExp(`^<(/?)(${NAME})((?:\\s+${NAME}\\s*=\\s*(?:"[^"<]*"|'[^'<]*'))*)\\s*(/?)>`);
const ATTR = new RegExp(`(${NAME})\\s*=\\s*(?:"([^"<]*)"|'([^'<]*)')`, "g");

/** Throws a `SyntaxError` describing the first well-formedness problem in `xml`. */
export function assertWellFormedXml(xml: string): void {
  const stack: string[] = [];
  let roots = 0;
  let i = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`Malformed XML at ${i}: ${what}: ${xml.slice(i, i + 60)}`);
  };
  while (i < xml.length) {
    const lt = xml.indexOf("<", i);
    const text = xml.slice(i, lt < 0 ? xml.length : lt);
    if (ENTITY.test(text)) fail("bad entity in text");
    if (text.trim() && stack.length === 0) fail("text outside the root element");
    if (lt < 0) break;
    i = lt;
    const rest = xml.slice(i);
    const special = [["<?", "?>"], ["<!--", "-->"], ["<![CDATA[", "]]>"], ["<!DOCTYPE", ">"]]
      .find(([open]) => rest.startsWith(open));
    if (special) {
      const end = xml.indexOf(special[1], i);
      if (end < 0) fail(`unterminated ${special[0]}`);
      i = end + special[1].length;
      continue;
    }
    const tag = TAG.exec(rest);
    if (!tag) fail("bad tag");
    const [all, closing, name, attrs, selfClosing] = tag!;
    if (closing) {
      if (attrs || selfClosing) fail("bad end tag");
      if (stack.pop() !== name) fail(`unexpected </${name}>`);
    } else {
      const seen = new Set<string>();
      for (const [, attr, v1, v2] of attrs.matchAll(ATTR)) {
        if (seen.has(attr)) fail(`duplicate attribute ${attr}`);
        seen.add(attr);
        if (ENTITY.test(v1 ?? v2)) fail(`bad entity in attribute ${attr}`);
      }
      if (stack.length === 0) roots++;
      if (roots > 1) fail("second root element");
      if (!selfClosing) stack.push(name);
    }
    i += all.length;
  }
  if (stack.length) throw new SyntaxError(`Malformed XML: <${stack.at(-1)}> is not closed`);
  if (roots !== 1) throw new SyntaxError("Malformed XML: no root element");
}
