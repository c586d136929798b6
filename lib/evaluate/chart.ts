/**
 * The run's `chart.svg`: one horizontal bar per metric, each scaled to its own range (judges
 * 1–5, text metrics 0–1) and labelled with its mean; and the side-by-side form for comparing
 * two runs. Self-contained SVG, so it renders in a browser, on GitHub and in `report.md`.
 *
 * @module
 */
import type { MetricSummary } from "./types.ts";
import { formatValue } from "./present.ts";

/** One series of bars (a run). */
export interface ChartSeries {
  label: string;
  metrics: readonly MetricSummary[];
}

const COLORS = ["#2f6fdf", "#e07a1f", "#3a9d5d", "#9b59b6"];

function escapeXml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!,
  );
}

/** Position of a value within its range, 0..1. */
function share(m: MetricSummary): number {
  if (m.mean === null) return 0;
  const [low, high] = m.range;
  return high === low ? 0 : Math.min(1, Math.max(0, (m.mean - low) / (high - low)));
}

/**
 * Draw bar charts of metric means; one series for a run, two for a comparison.
 *
 * @example
 * ```ts
 * import { metricsChart } from "./chart.ts";
 * const svg = metricsChart([{ label: "run", metrics: [{ name: "f1", kind: "text", range: [0, 1],
 *   mean: 0.5, count: 1, missing: 0, min: 0.5, max: 0.5 }] }], { title: "Means" });
 * console.assert(svg.startsWith("<svg"));
 * ```
 */
export function metricsChart(
  series: readonly ChartSeries[],
  options: { title?: string } = {},
): string {
  const names = [...new Set(series.flatMap((s) => s.metrics.map((m) => m.name)))];
  const label = (name: string) => {
    const m = series.flatMap((s) => s.metrics).find((x) => x.name === name);
    return m ? `${name} (${m.range[0]}–${m.range[1]})` : name;
  };
  // ~7 px per character at 12 px: wide enough for the longest label, never clipped
  const labelWidth = 24 + 7 * Math.max(8, ...names.map((n) => [...label(n)].length));
  const barMax = 360;
  const valueWidth = 90;
  const barHeight = 16;
  const groupGap = 12;
  const top = options.title ? 40 : 14;
  const legend = series.length > 1 ? 18 * series.length + 6 : 0;
  const groupHeight = series.length * barHeight + groupGap;
  const width = labelWidth + barMax + valueWidth;
  const height = top + legend + Math.max(1, names.length) * groupHeight + 24;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
  ];
  if (options.title) {
    out.push(
      `<text x="12" y="24" font-size="15" font-weight="600">${escapeXml(options.title)}</text>`,
    );
  }
  if (series.length > 1) {
    series.forEach((s, i) => {
      const y = top + i * 18;
      out.push(
        `<rect x="${labelWidth}" y="${y}" width="12" height="12" fill="${
          COLORS[i % COLORS.length]
        }"/>`,
        `<text x="${labelWidth + 18}" y="${y + 10}">${escapeXml(s.label)}</text>`,
      );
    });
  }
  names.forEach((name, g) => {
    const y0 = top + legend + g * groupHeight;
    out.push(
      `<text x="${labelWidth - 8}" y="${
        y0 + (series.length * barHeight) / 2 + 4
      }" text-anchor="end">${escapeXml(label(name))}</text>`,
      `<rect x="${labelWidth}" y="${y0}" width="${barMax}" height="${
        series.length * barHeight
      }" fill="#f1f3f6"/>`,
    );
    series.forEach((s, i) => {
      const m = s.metrics.find((x) => x.name === name);
      const y = y0 + i * barHeight;
      const w = m ? Math.round(share(m) * barMax) : 0;
      const text = !m ? "n/a" : m.mean === null ? "no scores" : formatValue(m.mean, m.kind);
      out.push(
        `<rect x="${labelWidth}" y="${y + 2}" width="${w}" height="${barHeight - 4}" fill="${
          COLORS[i % COLORS.length]
        }"><title>${escapeXml(`${s.label}: ${name} = ${text}`)}</title></rect>`,
        `<text x="${labelWidth + barMax + 8}" y="${y + barHeight - 4}">${escapeXml(text)}</text>`,
      );
    });
  });
  if (names.length === 0) {
    out.push(`<text x="12" y="${top + 16}">No metrics</text>`);
  }
  out.push(`</svg>`);
  return out.join("\n") + "\n";
}
