/**
 * Reading the structure of a product manual written in Markdown by anyone: an optional YAML
 * front matter block, a `#` title (not necessarily on the first line), and `##` sections
 * (`###` subsections stay inside their section). Windows and old Mac line endings, a byte-order
 * mark and fenced code blocks are handled, so linking and chunking see the same structure.
 *
 * @module
 */

/** A manual's `##` section: its heading and its text (subsections included). */
export interface ManualSection {
  heading: string;
  body: string;
}

/** The parts of a manual. */
export interface ParsedManual {
  /** The raw YAML between the leading `---` lines, if the manual has front matter. */
  frontMatter?: string;
  /** The text of the first `#` heading. */
  title?: string;
  /** The manual's lines after the front matter. */
  lines: string[];
  /** Text before the first `##` heading is the section "Overview"; empty sections are dropped. */
  sections: ManualSection[];
}

const FENCE = /^\s{0,3}(```|~~~)/;
const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;

/**
 * Split a leading YAML front matter block (between `---` lines; `...` also closes it) from the
 * rest of a text. A `---` with no closing line is a horizontal rule, not front matter.
 *
 * @example
 * ```ts
 * import { splitFrontMatter } from "./manual_markdown.ts";
 * const { frontMatter, body } = splitFrontMatter("---\nproduct_id: B-202\n---\n# Stove");
 * console.assert(frontMatter === "product_id: B-202" && body === "# Stove");
 * ```
 */
export function splitFrontMatter(text: string): { frontMatter?: string; body: string } {
  const normalised = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  const lines = normalised.split("\n");
  if (lines[0]?.trimEnd() !== "---") return { body: normalised };
  const end = lines.findIndex((l, i) => i > 0 && /^(---|\.\.\.)\s*$/.test(l));
  if (end < 0) return { body: normalised };
  return { frontMatter: lines.slice(1, end).join("\n"), body: lines.slice(end + 1).join("\n") };
}

/**
 * Parse a manual into its front matter, title and sections.
 *
 * @example
 * ```ts
 * import { parseManual } from "./manual_markdown.ts";
 * const m = parseManual("# Tent\r\nIntro.\r\n## Care\r\n### Drying\r\nDry it.");
 * console.assert(m.title === "Tent" && m.sections.length === 2 && m.sections[1].body === "Drying\nDry it.");
 * ```
 */
export function parseManual(markdown: string): ParsedManual {
  const { frontMatter, body } = splitFrontMatter(markdown);
  const lines = body.split("\n");
  let title: string | undefined;
  const sections: { heading: string; body: string[] }[] = [{ heading: "Overview", body: [] }];
  let fenced = false;
  let afterSubheading = false;
  for (const line of lines) {
    if (FENCE.test(line)) fenced = !fenced;
    const atx = fenced ? null : ATX.exec(line);
    if (atx && !atx[2]?.trim()) continue; // an empty heading marks nothing
    if (atx && atx[1].length === 1 && title === undefined) {
      title = atx[2]!.trim();
    } else if (atx && atx[1].length <= 2) {
      // Later `#` headings (a manual with several top-level parts) start sections like `##`.
      sections.push({ heading: atx[2]!.trim(), body: [] });
    } else if (atx && atx[1].length > 2) {
      // A subsection heading stays in its section, glued to its first paragraph so that
      // splitting a long section never separates the two.
      sections.at(-1)!.body.push(atx[2]!.trim());
      afterSubheading = true;
      continue;
    } else if (!(afterSubheading && !line.trim())) {
      sections.at(-1)!.body.push(line);
    }
    afterSubheading = afterSubheading && !line.trim();
  }
  return {
    ...(frontMatter === undefined ? {} : { frontMatter }),
    ...(title === undefined ? {} : { title }),
    lines,
    sections: sections
      .map((s) => ({ heading: s.heading, body: s.body.join("\n").trim() }))
      .filter((s) => s.body),
  };
}

/**
 * The words of a text that carry content: tokens with a letter or a digit, so list bullets and
 * table pipes do not count.
 */
export function wordCount(text: string): number {
  return text.split(/\s+/).filter((t) => /[\p{L}\p{N}]/u.test(t)).length;
}
