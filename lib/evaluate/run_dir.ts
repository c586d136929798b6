/**
 * Run directories: `.runs/eval/<timestamp>-<name>/` holding `run.json` (what was run),
 * `results.jsonl` (one line per row, appended as rows finish), and the derived `summary.json`,
 * `report.md` and `chart.svg`. A new run never reuses an existing directory; a resumed run
 * appends to its own `results.jsonl`, where the last line of a row wins.
 *
 * @module
 */
import { join } from "node:path";
import type { RowResult, SkippedEvaluator } from "./types.ts";
import type { RunFingerprint } from "./fingerprint.ts";

/** Default parent folder of run directories. */
export const DEFAULT_RUNS_DIR = ".runs/eval";

/** `run.json`: what a run evaluates, so `--resume` can pick it up again. */
export interface RunManifest {
  name: string;
  createdAt: string;
  /** Path of the evaluation set (as given). */
  dataset: string;
  /** Path of the chat prompt, when it was not the default. */
  prompt?: string;
  judgeModel?: string;
  concurrency: number;
  evaluators: { name: string; kind: string; range: readonly [number, number] }[];
  skipped: SkippedEvaluator[];
  /** What the run evaluates; `--resume` refuses a session whose fingerprint differs. */
  fingerprint?: RunFingerprint;
  fingerprintId?: string;
  /** Sessions resumed with `--force` although their fingerprint differed, and how. */
  forced?: { at: string; fingerprint: RunFingerprint; differences: string[] }[];
  /** The run evaluates only these rows of the set (chosen to fit a model allowance). */
  subset?: RunSubset;
}

/** The rows of a set a run evaluates, when not all of them. */
export interface RunSubset {
  /** Row ids, in set order. */
  ids: string[];
  /** Rows in the whole set. */
  of: number;
  /** Why these rows (the allowance plan's sentence). */
  reason: string;
}

/** A file-system-safe, sortable UTC timestamp: `20250102T030405Z`. */
export function runTimestamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
}

/** Turn a free name into a directory-name slug. */
export function slug(name: string): string {
  return name.normalize("NFKD").toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "").slice(0, 60) || "run";
}

/**
 * Create a new run directory under `root`; never reuses an existing one (a clash gets `-2`,
 * `-3`, …).
 *
 * @example
 * ```ts ignore
 * const dir = await createRunDir("test"); // .runs/eval/20250102T030405Z-test
 * ```
 */
export async function createRunDir(
  name: string,
  options: { root?: string; now?: Date } = {},
): Promise<string> {
  const root = options.root ?? DEFAULT_RUNS_DIR;
  await Deno.mkdir(root, { recursive: true });
  const base = `${runTimestamp(options.now ?? new Date())}-${slug(name)}`;
  for (let n = 1;; n++) {
    const dir = join(root, n === 1 ? base : `${base}-${n}`);
    try {
      await Deno.mkdir(dir); // not recursive: fails if it exists, which is the point
      return dir;
    } catch (error) {
      if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
    }
  }
}

/** Write `run.json`. */
export async function writeManifest(dir: string, manifest: RunManifest): Promise<void> {
  await Deno.writeTextFile(join(dir, "run.json"), JSON.stringify(manifest, null, 2) + "\n");
}

/** Read `run.json`; a `TypeError` naming the directory when it is not a run directory. */
export async function readManifest(dir: string): Promise<RunManifest> {
  try {
    return JSON.parse(await Deno.readTextFile(join(dir, "run.json"))) as RunManifest;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new TypeError(`Cannot resume "${dir}": not a run directory (no run.json)`);
    }
    throw new TypeError(
      `Cannot resume "${dir}": run.json is unreadable (${(error as Error).message})`,
    );
  }
}

/**
 * Read `results.jsonl`: the last line of each row wins, in dataset order. A line cut short by
 * an interruption is dropped (and, with `repair`, cut from the file so appends stay clean).
 */
export async function readResults(
  dir: string,
  options: { repair?: boolean } = {},
): Promise<RowResult[]> {
  const path = join(dir, "results.jsonl");
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  const byId = new Map<string, RowResult>();
  let good = 0; // characters of text up to the end of the last good line
  let offset = 0;
  for (const line of text.split("\n")) {
    const next = Math.min(offset + line.length + 1, text.length);
    if (line.trim() !== "") {
      try {
        const result = JSON.parse(line) as RowResult;
        byId.delete(result.id); // re-insert so the latest attempt is what counts
        byId.set(result.id, result);
      } catch {
        break; // a torn line from an interrupted write; nothing after it is trusted
      }
    }
    good = next;
    offset = next;
  }
  if (options.repair && good < text.length) {
    await Deno.truncate(path, new TextEncoder().encode(text.slice(0, good)).length);
  }
  if (options.repair && good > 0 && !text.slice(0, good).endsWith("\n")) {
    // a complete last line whose newline was lost: end it so the next append starts clean
    await Deno.writeTextFile(path, "\n", { append: true });
  }
  return [...byId.values()].sort((a, b) => a.index - b.index);
}

/**
 * An appender for `results.jsonl` that writes one whole line per result, in call order, even
 * when rows finish concurrently.
 */
export function resultWriter(dir: string): {
  append(result: RowResult): Promise<void>;
  flush(): Promise<void>;
} {
  const path = join(dir, "results.jsonl");
  let chain = Promise.resolve();
  return {
    append(result) {
      chain = chain.then(() =>
        Deno.writeTextFile(path, JSON.stringify(result) + "\n", { append: true })
      );
      return chain;
    },
    flush: () => chain,
  };
}
