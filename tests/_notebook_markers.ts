/**
 * Checks an executed copy of the output fixture (`testdata/notebooks/outputs.ipynb`): every
 * code cell lists in `metadata.expect` the markers (`MARK:cNN:tag`) its outputs must show and
 * how often. A marker that is missing was lost, one found in another cell leaked there, one
 * seen too often was duplicated. Run it as a script on any executed copy, e.g. one written by
 * stock `jupyter nbconvert --execute`, to measure what that runner loses.
 *
 * @module
 */

/** What a marker check found in one executed notebook. */
export interface MarkerReport {
  /** Markers expected over all cells. */
  expected: number;
  /** Markers expected in a cell but not found in it. */
  lost: string[];
  /** Markers found in a cell they do not belong to (`cell 3: MARK:c02:v7`). */
  misplaced: string[];
  /** Markers found in their own cell more often than expected. */
  duplicated: string[];
}

interface Output {
  output_type: string;
  text?: string | string[];
  data?: Record<string, unknown>;
}

interface Cell {
  cell_type: string;
  metadata?: { expect?: Record<string, number> };
  outputs?: Output[];
}

const MARKER = /MARK:c\d{2}:[a-z0-9]+/g;

function joined(value: unknown): string {
  if (Array.isArray(value)) return value.join("");
  return typeof value === "string" ? value : JSON.stringify(value ?? "");
}

/** The text one output shows: stream text, else `text/plain`, else every MIME value. */
function outputText(output: Output): string {
  if (output.output_type === "stream") return joined(output.text);
  const data = output.data ?? {};
  if ("text/plain" in data) return joined(data["text/plain"]);
  return Object.values(data).map(joined).join("\n");
}

/** Compares the markers in each code cell's outputs with the cell's `metadata.expect`. */
export function checkMarkers(notebook: { cells: Cell[] }): MarkerReport {
  const report: MarkerReport = { expected: 0, lost: [], misplaced: [], duplicated: [] };
  const owner = new Map<string, number>();
  const code = notebook.cells.filter((c) => c.cell_type === "code");
  code.forEach((cell, i) => {
    for (const marker of Object.keys(cell.metadata?.expect ?? {})) owner.set(marker, i + 1);
  });
  code.forEach((cell, i) => {
    const expect = cell.metadata?.expect ?? {};
    const seen = new Map<string, number>();
    for (const output of cell.outputs ?? []) {
      for (const [marker] of outputText(output).matchAll(MARKER)) {
        seen.set(marker, (seen.get(marker) ?? 0) + 1);
      }
    }
    for (const [marker, count] of Object.entries(expect)) {
      report.expected += count;
      const got = seen.get(marker) ?? 0;
      for (let k = got; k < count; k++) report.lost.push(`cell ${i + 1}: ${marker}`);
      if (got > count) report.duplicated.push(`cell ${i + 1}: ${marker} x${got}`);
    }
    for (const marker of seen.keys()) {
      if (!(marker in expect)) {
        report.misplaced.push(`cell ${i + 1}: ${marker} (from cell ${owner.get(marker) ?? "?"})`);
      }
    }
  });
  return report;
}

if (import.meta.main) {
  let bad = 0;
  for (const path of Deno.args) {
    const report = checkMarkers(JSON.parse(await Deno.readTextFile(path)));
    const problems = report.lost.length + report.misplaced.length + report.duplicated.length;
    if (problems) bad++;
    console.log(
      `${path}: expected ${report.expected}, lost ${report.lost.length}, misplaced ` +
        `${report.misplaced.length}, duplicated ${report.duplicated.length}`,
    );
    for (const line of [...report.lost, ...report.misplaced, ...report.duplicated]) {
      console.log(`  ${line}`);
    }
  }
  Deno.exit(bad ? 1 : 0);
}
