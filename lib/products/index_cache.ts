/**
 * The persisted embedded index: one file per data folder and embedding model in a cache folder
 * (default `.cache/index/`, git-ignored), keyed by the hash of the data files, of the code that
 * turns them into documents and tokens, and of the embedding model's identity (backend, model or
 * deployment, endpoint, dimensions: whatever its configuration says, less secrets and latency).
 * The data files' content hashes are remembered beside the index (one manifest per data folder,
 * `lib/products/data_fingerprint.ts`), so a warm start reads only the files whose stat changed.
 * A warm start whose key matches loads the index and reads no manual. Otherwise the folder is
 * seeded again, but every passage whose embedding text is unchanged takes its vector from the
 * previous file ({@link reuseEmbeddings}): change one manual and only its passages are embedded.
 * Another embedding model has another file, so nothing is reused across models. Files are
 * written to a temporary name and renamed, and a file that cannot be read is rebuilt with a
 * warning, never a crash.
 *
 * @module
 */
import { basename, dirname, join, resolve } from "node:path";
import type { ModelConfig } from "../config/types.ts";
import type { DataProblem } from "../seed/load_data.ts";
import type { EmbeddingModel, EmbedOptions } from "../models/types.ts";
import { sha256Hex, shortHash, stableJson } from "../text/hash.ts";
import {
  fingerprintFolder,
  type FolderFingerprint,
  readManifest,
  writeManifest,
} from "./data_fingerprint.ts";
import { embeddingText } from "./documents.ts";
import { HybridIndex, type Tokenize } from "./hybrid_index.ts";
import { decodeIndexFile, INDEX_FILE_VERSION, writeIndexFile } from "./index_file.ts";

/** Indexes smaller than this are not written (rebuilding them is faster than hashing files). */
export const DEFAULT_CACHE_MIN_DOCUMENTS = 2_000;

/** The counts a seeded index stands for (what createRuntime reports as `seeded`). */
export interface IndexCounts {
  products: number;
  manualPassages: number;
  documents: number;
}

/** What the cache file holds besides the index. */
export interface CachedIndexMeta {
  key: string;
  identity: Record<string, unknown>;
  counts: IndexCounts;
  /** Records skipped when the index was built (reported again on a warm start). */
  problems: DataProblem[];
}

/** Options of {@link openIndexCache}. */
export interface IndexCacheOptions {
  /** The cache folder. */
  dir: string;
  /** The data folder the index is built from. */
  dataDir: string;
  /** The embedding model's identity ({@link embeddingIdentity}). */
  identity: Record<string, unknown>;
  tokenize: Tokenize;
  /** Smallest index worth writing ({@link DEFAULT_CACHE_MIN_DOCUMENTS}). */
  minDocuments?: number;
  /** Told when a cache file is unreadable (it is then rebuilt). */
  warn?: (message: string) => void;
}

/** Vectors of a previous build, by the hash of their embedding text. */
export type EmbeddingReuse = Map<string, Float32Array>;

/** An opened cache slot: a hit (the index), or what a rebuild can reuse, and a way to save. */
export interface IndexCache {
  readonly file: string;
  readonly key: string;
  /** The persisted index when the key matched. */
  readonly hit?: { index: HybridIndex; meta: CachedIndexMeta };
  /** Vectors of the previous build for the same model (empty on a hit or without one). */
  readonly reuse: EmbeddingReuse;
  /** Write `index` (atomically); false when it is smaller than the minimum and was not written. */
  save(
    index: HybridIndex,
    info: { counts: IndexCounts; problems: DataProblem[] },
  ): Promise<boolean>;
}

/**
 * The identity of an embedding model, from its configuration: everything that changes its
 * vectors (backend, model or deployment, endpoint or base URL, API version, dimensions), without
 * secrets or simulated latency. A backend added later is keyed by its own fields the same way.
 */
export function embeddingIdentity(config: ModelConfig): Record<string, unknown> {
  const { apiKey: _key, latencyMs: _latency, reasoning: _reasoning, ...rest } = config as
    & ModelConfig
    & { apiKey?: string; latencyMs?: number; reasoning?: boolean };
  return rest;
}

/**
 * The code that turns data files into indexed documents: seeding (reading, linking), chunking,
 * the tokenizer and the index. A change to any of it changes the key, so an index is never
 * reused across a change in how passages or tokens are made.
 */
async function codeFingerprint(): Promise<string> {
  const here = new URL(".", import.meta.url);
  if (here.protocol !== "file:") return `v${INDEX_FILE_VERSION}`;
  const files = [
    "documents.ts",
    "manual_markdown.ts",
    "hybrid_index.ts",
    "orama_product_search.ts",
    "index_file.ts",
    "../text/mod.ts",
  ];
  const seedDir = new URL("../seed/", import.meta.url);
  for await (const e of Deno.readDir(seedDir)) {
    if (e.isFile && e.name.endsWith(".ts") && !e.name.endsWith("_test.ts")) {
      files.push(`../seed/${e.name}`);
    }
  }
  files.sort();
  const parts = await Promise.all(
    files.map(async (f) => `${f}:${sha256Hex(await Deno.readTextFile(new URL(f, here)))}`),
  );
  return sha256Hex(parts.join("\n"));
}

/**
 * Open the cache slot of a data folder and embedding model: load the index when the key
 * matches, else collect the previous build's vectors for reuse.
 *
 * @example
 * ```ts ignore
 * const cache = await openIndexCache({ dir: ".cache/index", dataDir: "data", identity, tokenize });
 * if (cache.hit) console.log("warm", cache.hit.meta.counts);
 * ```
 */
export async function openIndexCache(options: IndexCacheOptions): Promise<IndexCache> {
  const dataDir = resolve(options.dataDir);
  const identityJson = stableJson(options.identity);
  const file = join(
    resolve(options.dir),
    `${shortHash(dataDir)}-${shortHash(identityJson)}.index`,
  );
  // The file is read (by the runtime's I/O threads) while the data folder is fingerprinted.
  const reading = readWholeFile(file).then(
    (bytes) => ({ bytes, error: undefined }),
    (error: Error) => ({ bytes: undefined, error }),
  );
  const manifestFile = join(resolve(options.dir), `${shortHash(dataDir)}.files.json`);
  const folder = fingerprintFolder(dataDir, { previous: readManifest(manifestFile) });
  const code = await codeFingerprint();
  const key = sha256Hex(
    stableJson({
      format: INDEX_FILE_VERSION,
      identity: options.identity,
      data: folder.fingerprint,
      code,
    }),
  );
  const minDocuments = options.minDocuments ?? DEFAULT_CACHE_MIN_DOCUMENTS;
  let hit: IndexCache["hit"];
  const reuse: EmbeddingReuse = new Map();

  const { bytes, error: readError } = await reading;
  if (readError && !(readError instanceof Deno.errors.NotFound)) {
    options.warn?.(`Cannot read the index cache "${file}": ${readError.message}`);
  }
  if (bytes) {
    try {
      const { data: indexData, meta } = decodeIndexFile<CachedIndexMeta>(bytes);
      if (stableJson(meta.identity) !== identityJson) throw new SyntaxError("another model");
      if (meta.key === key) {
        hit = { index: new HybridIndex(indexData.dimensions, options.tokenize, indexData), meta };
      } else {
        // The embedding texts are hashed now, from the previous documents, rather than stored:
        // a rebuild pays about half a second at 10,000 products, and no warm start reads the
        // 4.6 MB of hashes it would never use.
        const dims = indexData.dimensions;
        const previous = new HybridIndex(dims, options.tokenize, indexData);
        for (let row = 0; row < previous.size; row++) {
          reuse.set(
            sha256Hex(embeddingText(previous.fieldsOf(row))),
            indexData.vectors.subarray(row * dims, (row + 1) * dims),
          );
        }
      }
    } catch (error) {
      options.warn?.(
        `Index cache "${file}" is unreadable (${(error as Error).message}); rebuilding it`,
      );
    }
  }

  // The manifest is kept where an index is: beside a hit (so the next start reads fewer
  // files), and with every index written (save); never for an index too small to be written.
  if (hit && folder.changed) rememberFolder(manifestFile, folder, options.warn);

  return {
    file,
    key,
    hit,
    reuse,
    async save(index, info) {
      if (index.size < minDocuments) return false;
      const meta: CachedIndexMeta = {
        key,
        identity: options.identity,
        counts: info.counts,
        problems: info.problems,
      };
      await Deno.mkdir(dirname(file), { recursive: true });
      const temp = join(dirname(file), `.${basename(file)}.${crypto.randomUUID()}.tmp`);
      try {
        await writeIndexFile(temp, index.data(), meta);
        await Deno.rename(temp, file);
      } catch (error) {
        await Deno.remove(temp).catch(() => {});
        throw error;
      }
      // Stats taken now, after a build of seconds, trust the files the build's start found
      // too recently changed; a file changed meanwhile is hashed again (its new hash then
      // misses the key at the next start, which rebuilds, as it must).
      rememberFolder(
        manifestFile,
        fingerprintFolder(dataDir, { previous: folder.manifest }),
        options.warn,
      );
      return true;
    },
  };
}

/** Write a folder's manifest; it only saves reading files, so a failure only warns. */
function rememberFolder(
  path: string,
  folder: FolderFingerprint,
  warn: ((message: string) => void) | undefined,
): void {
  try {
    writeManifest(path, folder.manifest);
  } catch (error) {
    warn?.(`Cannot write the data folder's manifest "${path}": ${(error as Error).message}`);
  }
}

/**
 * A file's bytes, read into one array of the file's size. `Deno.readFile` holds a second copy
 * while it reads: for the 130 MB index of 10,000 products its peak RSS was 277–279 MiB against
 * 155 MiB this way (measured here), which made the warm start's peak. A file that grows while it
 * is read is cut at its first size (the decoder then finds it inconsistent and it is rebuilt).
 */
export async function readWholeFile(path: string): Promise<Uint8Array> {
  using file = await Deno.open(path);
  const { size } = await file.stat();
  const bytes = new Uint8Array(size);
  let read = 0;
  while (read < size) {
    const n = await file.read(bytes.subarray(read));
    if (n === null) break;
    read += n;
  }
  return read === size ? bytes : bytes.subarray(0, read);
}

/** An embedding model that takes vectors from a previous build when the text is unchanged. */
export interface ReusingEmbeddingModel extends EmbeddingModel {
  /** Texts answered from the previous build, and texts sent to the model. */
  readonly stats: { reused: number; embedded: number };
}

/**
 * Wrap `model` so texts whose hash is in `reuse` are not embedded again; the rest go to the
 * model in one call per batch, as before.
 */
export function reuseEmbeddings(
  model: EmbeddingModel,
  reuse: EmbeddingReuse,
): ReusingEmbeddingModel {
  const stats = { reused: 0, embedded: 0 };
  return {
    name: model.name,
    backend: model.backend,
    dimensions: model.dimensions,
    stats,
    async embed(texts: string[], options?: EmbedOptions): Promise<number[][]> {
      const out = new Array<number[]>(texts.length);
      const missing: number[] = [];
      texts.forEach((text, i) => {
        const found = reuse.size > 0 ? reuse.get(sha256Hex(text)) : undefined;
        if (found) out[i] = Array.from(found);
        else missing.push(i);
      });
      stats.reused += texts.length - missing.length;
      if (missing.length > 0) {
        const vectors = await model.embed(missing.map((i) => texts[i]), options);
        missing.forEach((i, j) => (out[i] = vectors[j]));
        stats.embedded += missing.length;
      }
      return out;
    },
  };
}
