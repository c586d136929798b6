/**
 * How wide a line of text is drawn, without a browser: per-character advance widths for the
 * wider of DejaVu Sans (what `system-ui` and `sans-serif` resolve to on Debian) and Liberation
 * Sans (Arial's metrics), measured once in Chromium with `canvas.measureText` at 1000 px.
 * Common UI fonts (Segoe UI, San Francisco, Roboto, Helvetica) are narrower than DejaVu Sans,
 * so a box sized with these widths holds its text in every one of them. Kerning is ignored,
 * which only overestimates. Hand-drawn SVG (the architecture diagram) sizes its boxes with it.
 *
 * @module
 */

// Advance widths in thousandths of an em for U+0020…U+007E.
// deno-fmt-ignore
const REGULAR = [
  318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636,
  636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 556, 1015, 684, 686, 722, 770, 667,
  611, 778, 752, 295, 500, 667, 557, 863, 748, 787, 667, 787, 722, 667, 611, 732, 684, 989, 685,
  667, 685, 390, 337, 390, 838, 556, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579,
  278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
];
// deno-fmt-ignore
const BOLD = [
  348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696,
  696, 696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 611, 1000, 774, 762, 734, 830, 683,
  683, 821, 837, 372, 556, 775, 637, 995, 837, 850, 733, 850, 770, 720, 682, 812, 774, 1103, 771,
  724, 725, 457, 365, 457, 838, 556, 500, 675, 716, 593, 716, 678, 435, 716, 712, 343, 343, 665,
  343, 1042, 712, 687, 716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838,
];
// Characters outside ASCII that our labels use; anything else counts as a full em.
const OTHER: Record<string, [number, number]> = {
  "·": [318, 380],
  "→": [1000, 1000],
  "…": [1000, 1000],
  "–": [557, 557],
  "—": [1000, 1000],
  "’": [318, 380],
  "é": [616, 679],
  "ü": [634, 712],
};

/** Options for {@linkcode textWidth}. */
export interface TextWidthOptions {
  /** Bold (font-weight 600 or more). */
  bold?: boolean;
}

/**
 * The drawn width of `text` in pixels at `fontSize` pixels, an upper bound for common sans-serif
 * fonts.
 *
 * @example
 * ```ts
 * import { textWidth } from "./_text_width.ts";
 * console.assert(textWidth("Azure AI Search", 14) > textWidth("Azure", 14));
 * ```
 */
export function textWidth(text: string, fontSize: number, options: TextWidthOptions = {}): number {
  const table = options.bold ? BOLD : REGULAR;
  let total = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    total += code >= 32 && code < 127
      ? table[code - 32]
      : OTHER[ch]?.[options.bold ? 1 : 0] ?? 1000;
  }
  return total / 1000 * fontSize;
}

/**
 * `text` cut with `…` so it is drawn within `maxWidth` pixels at `fontSize` (whole when it
 * fits): axis labels too long for their margin or their band.
 *
 * @example
 * ```ts
 * import { fitText } from "./_text_width.ts";
 * console.assert(fitText("lexical_groundedness", 60, 10).endsWith("…"));
 * ```
 */
export function fitText(
  text: string,
  maxWidth: number,
  fontSize: number,
  options: TextWidthOptions = {},
): string {
  if (textWidth(text, fontSize, options) <= maxWidth) return text;
  const chars = [...text];
  while (chars.length > 0 && textWidth(chars.join("") + "…", fontSize, options) > maxWidth) {
    chars.pop();
  }
  return chars.join("") + "…";
}
