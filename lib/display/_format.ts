/**
 * Turning arbitrary values into short display text, shared by the table and the charts:
 * numbers without float noise, dates as ISO, objects as JSON, and padding that counts
 * code points so accented names line up in `text/plain` output.
 *
 * @module
 */

const NUMBER = new Intl.NumberFormat("en-US", { maximumFractionDigits: 3, useGrouping: false });

/** Display text for one value: `""` for null/undefined. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") {
    return Number.isFinite(value) ? NUMBER.format(value) : String(value);
  }
  if (typeof value === "string") return value;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "object") {
    try {
      return JSON.stringify(value);
    } catch {
      return String(value);
    }
  }
  return String(value);
}

/** Length in code points (close enough to terminal columns for our data). */
export function width(text: string): number {
  return [...text].length;
}

/** Pads to `size` code points on the right (or the left with `alignRight`). */
export function pad(text: string, size: number, alignRight = false): string {
  const fill = " ".repeat(Math.max(0, size - width(text)));
  return alignRight ? fill + text : text + fill;
}

/** Cuts to `max` code points, ending with `…` when cut; newlines become spaces. */
export function clip(text: string, max: number): string {
  const flat = text.replace(/\s*\n\s*/g, " ");
  const chars = [...flat];
  return chars.length <= max ? flat : chars.slice(0, Math.max(0, max - 1)).join("") + "…";
}
