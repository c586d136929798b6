/**
 * The data folder's part of the index cache's key: a SHA-256 over the content hashes of the
 * files an index is built from (products.csv and every manuals/*.md). Reading and hashing 10,000
 * manuals takes about 0.35 s on one core, the largest part of a warm start at that size, so each
 * file's content hash is remembered in a manifest with what `stat` says of the file (size,
 * modification and status-change times, inode, device), as git's index remembers its files: a
 * file whose stat is unchanged is not read again, the others are read and hashed. The key is
 * still the hash of the content. Writing a file always sets its status-change time (ctime) to
 * the current time, and no program can set it back (only a change of the system clock can), so
 * a changed file never keeps its stat. Times are coarse (Deno reports ctime to the second), so a
 * file changed shortly before its stat was recorded could change again without a visible
 * difference: such a "racy" entry ({@link RACY_MS}) is not trusted, and the file is read at
 * every start until it has settled.
 *
 * @module
 */
import { basename, dirname, join } from "node:path";
import { sha256Hex } from "../text/hash.ts";

/** A file changed this close to the moment its stat was recorded is read again next time. */
export const RACY_MS = 3_000;

const MANIFEST_VERSION = 1;

/** The remembered content hashes of a data folder's files, as parallel arrays (fast to parse). */
export interface FolderManifest {
  version: number;
  /** When the stats were taken (ms since the epoch, before the first one). */
  recordedAt: number;
  /** Paths relative to the data folder ("products.csv", "manuals/x.md"), in fingerprint order. */
  names: string[];
  /** Per file, five numbers: size, mtime (ms), ctime (ms), inode, device (NaN: unknown). */
  stats: number[];
  /** Per file: the SHA-256 of its content. */
  hashes: string[];
}

/** What {@link fingerprintFolder} found. */
export interface FolderFingerprint {
  /** SHA-256 over the folder's files and their content hashes. */
  fingerprint: string;
  /** The manifest to remember for the next start. */
  manifest: FolderManifest;
  /** Files listed, and files read and hashed (the others had a trusted, unchanged entry). */
  files: number;
  hashed: number;
  /** False when the manifest is the previous one unchanged (nothing worth writing). */
  changed: boolean;
}

/** Options of {@link fingerprintFolder}. */
export interface FingerprintOptions {
  /** The manifest of a previous start ({@link readManifest}); absent: every file is read. */
  previous?: FolderManifest;
  /** The clock (tests). */
  now?: () => number;
}

const STATS = 5;

/** The file's stat as five numbers into `out` at `at`; false when the file does not exist. */
function statInto(path: string, out: number[], at: number): boolean {
  let s: Deno.FileInfo;
  try {
    s = Deno.statSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
  // A platform without ctime or inode numbers gets NaN, which never matches: always read.
  out[at] = s.size;
  out[at + 1] = s.mtime?.getTime() ?? Number.NaN;
  out[at + 2] = s.ctime?.getTime() ?? Number.NaN;
  out[at + 3] = s.ino ?? Number.NaN;
  out[at + 4] = s.dev ?? Number.NaN;
  return true;
}

function hashFile(path: string): string | undefined {
  try {
    return sha256Hex(Deno.readFileSync(path));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/**
 * Fingerprint a data folder's products.csv and manuals, reading only the files whose stat
 * differs from a trusted entry of `previous`. Synchronous: stat and small reads in a loop are
 * several times faster than one await each (10,000 stats take 40–60 ms here).
 *
 * @example
 * ```ts ignore
 * const first = fingerprintFolder("data");
 * const again = fingerprintFolder("data", { previous: first.manifest });
 * console.log(again.fingerprint === first.fingerprint, again.hashed);
 * ```
 */
export function fingerprintFolder(
  dataDir: string,
  options: FingerprintOptions = {},
): FolderFingerprint {
  const recordedAt = (options.now ?? Date.now)();
  const previous = options.previous?.version === MANIFEST_VERSION ? options.previous : undefined;
  const trustedUntil = (previous?.recordedAt ?? Number.NEGATIVE_INFINITY) - RACY_MS;
  const listed = ["products.csv"];
  const manuals: string[] = [];
  try {
    for (const e of Deno.readDirSync(join(dataDir, "manuals"))) {
      if (e.isFile && e.name.toLowerCase().endsWith(".md")) manuals.push(`manuals/${e.name}`);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  manuals.sort();
  listed.push(...manuals);

  // The previous manifest's entries are found by position while the listing is the same (the
  // usual case), by name otherwise.
  let byName: Map<string, number> | undefined;
  const find = (name: string, i: number): number | undefined => {
    if (!previous) return undefined;
    if (previous.names[i] === name) return i;
    byName ??= new Map(previous.names.map((n, j) => [n, j]));
    return byName.get(name);
  };
  const root = join(dataDir, "/");
  const names: string[] = [];
  const stats: number[] = [];
  const hashes: string[] = [];
  const parts: string[] = [];
  let hashed = 0;
  for (let i = 0; i < listed.length; i++) {
    const name = listed[i];
    const path = root + name;
    const at = names.length * STATS;
    if (!statInto(path, stats, at)) {
      stats.length = at;
      parts.push(`${name}:missing`);
      continue;
    }
    const j = find(name, i);
    let hash: string | undefined;
    if (j !== undefined && trusted(previous!, j, stats, at, trustedUntil)) {
      hash = previous!.hashes[j];
    } else {
      hash = hashFile(path);
      if (hash === undefined) {
        stats.length = at;
        parts.push(`${name}:missing`);
        continue;
      }
      hashed++;
    }
    names.push(name);
    hashes.push(hash);
    parts.push(`${name}:${hash}`);
  }
  const changed = !previous || hashed > 0 || previous.names.length !== names.length;
  return {
    fingerprint: sha256Hex(parts.join("\n")),
    manifest: changed ? { version: MANIFEST_VERSION, recordedAt, names, stats, hashes } : previous,
    files: names.length,
    hashed,
    changed,
  };
}

/** Whether entry `j` of `m` has the stat at `stats[at..]` and was settled when recorded. */
function trusted(
  m: FolderManifest,
  j: number,
  stats: number[],
  at: number,
  until: number,
): boolean {
  const k = j * STATS;
  for (let f = 0; f < STATS; f++) if (m.stats[k + f] !== stats[at + f]) return false;
  return Math.max(m.stats[k + 1], m.stats[k + 2]) <= until && typeof m.hashes[j] === "string";
}

/** A manifest written by {@link writeManifest}, or undefined when missing or unreadable. */
export function readManifest(path: string): FolderManifest | undefined {
  try {
    const manifest = JSON.parse(Deno.readTextFileSync(path)) as FolderManifest;
    const ok = manifest?.version === MANIFEST_VERSION &&
      typeof manifest.recordedAt === "number" && Array.isArray(manifest.names) &&
      Array.isArray(manifest.hashes) && Array.isArray(manifest.stats) &&
      manifest.hashes.length === manifest.names.length &&
      manifest.stats.length === STATS * manifest.names.length;
    return ok ? manifest : undefined;
  } catch {
    // Missing or damaged: every file is read, as on a first start.
    return undefined;
  }
}

/** Write a manifest atomically (a temporary name, then renamed). */
export function writeManifest(path: string, manifest: FolderManifest): void {
  Deno.mkdirSync(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.${basename(path)}.${crypto.randomUUID()}.tmp`);
  try {
    Deno.writeTextFileSync(temp, JSON.stringify(manifest));
    Deno.renameSync(temp, path);
  } catch (error) {
    try {
      Deno.removeSync(temp);
    } catch { /* never written */ }
    throw error;
  }
}
