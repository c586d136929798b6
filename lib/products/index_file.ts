/**
 * The embedded index as one binary file: a JSON header (the terms, the caller's metadata and
 * the section sizes), then the float32 vectors, the documents' UTF-8 JSON and their token ids,
 * each with its offsets, and an end marker. Loading is a few typed-array views over the bytes
 * (no re-tokenizing, no JSON per document), so a 72,000-passage index loads in a fraction of a
 * second. A file that is truncated, from another format version or otherwise inconsistent is
 * refused with a `SyntaxError` (the cache then rebuilds it).
 *
 * @module
 */
import type { HybridIndexData } from "./hybrid_index.ts";

/** Bumped whenever the layout of the file (or of {@link HybridIndexData}) changes. */
export const INDEX_FILE_VERSION = 2;

const MAGIC = 0x58494343; // "CCIX"
const END = 0x444e4558; // "XEND"

interface Header<M> {
  version: number;
  dimensions: number;
  count: number;
  terms: string[];
  ids: string[];
  fieldBytes: number;
  tokenInts: number;
  meta: M;
}

/**
 * The file's bytes as a series of chunks (views of the index where they can be): written one
 * after another, they never hold a second copy of the index in memory.
 */
export function* indexFileChunks<M>(data: HybridIndexData, meta: M): Generator<Uint8Array> {
  const count = data.ids.length;
  const fieldBytes = data.fields.values.length;
  const tokenInts = data.tokens.values.length;
  const header: Header<M> = {
    version: INDEX_FILE_VERSION,
    dimensions: data.dimensions,
    count,
    terms: data.terms,
    ids: data.ids,
    fieldBytes,
    tokenInts,
    meta,
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const start = new Uint8Array(12 + align4(headerBytes.length));
  const view = new DataView(start.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, INDEX_FILE_VERSION, true);
  view.setUint32(8, headerBytes.length, true);
  start.set(headerBytes, 12);
  yield start;
  yield new Uint8Array(data.vectors.buffer, data.vectors.byteOffset, data.vectors.byteLength);
  yield bytesOf(data.fields.offsets);
  yield data.fields.values;
  yield new Uint8Array(align4(fieldBytes) - fieldBytes);
  yield bytesOf(data.tokens.offsets);
  yield bytesOf(data.tokens.values);
  const end = new Uint8Array(4);
  new DataView(end.buffer).setUint32(0, END, true);
  yield end;
}

function bytesOf(values: Int32Array | Uint8Array): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

/** Encode an index and its metadata into one array (tests; the cache writes the chunks). */
export function encodeIndexFile<M>(data: HybridIndexData, meta: M): Uint8Array {
  const chunks = [...indexFileChunks(data, meta)];
  const out = new Uint8Array(chunks.reduce((s, c) => s + c.length, 0));
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

/** Write an index and its metadata to `path` chunk by chunk. */
export async function writeIndexFile<M>(path: string, data: HybridIndexData, meta: M) {
  using file = await Deno.open(path, { write: true, create: true, truncate: true });
  for (const chunk of indexFileChunks(data, meta)) {
    let written = 0;
    while (written < chunk.length) written += await file.write(chunk.subarray(written));
  }
}

/** Decode a file written by {@link encodeIndexFile}; throws `SyntaxError` when it is not one. */
export function decodeIndexFile<M>(bytes: Uint8Array): { data: HybridIndexData; meta: M } {
  const bad = (why: string) => new SyntaxError(`Not a valid index file: ${why}`);
  if (bytes.length < 16 || bytes.byteOffset % 4 !== 0) throw bad("too short");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) throw bad("wrong magic number");
  const version = view.getUint32(4, true);
  if (version !== INDEX_FILE_VERSION) throw bad(`format version ${version}`);
  const headerLength = view.getUint32(8, true);
  if (12 + headerLength > bytes.length) throw bad("truncated header");
  let header: Header<M>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLength)));
  } catch {
    throw bad("unreadable header");
  }
  const { dimensions, count, fieldBytes, tokenInts } = header;
  if (!Array.isArray(header.ids) || header.ids.length !== count) throw bad("ids do not match");
  const expected = 12 + align4(headerLength) + 4 * count * dimensions + 4 * (count + 1) +
    align4(fieldBytes) + 4 * (count + 1) + 4 * tokenInts + 4;
  if (expected !== bytes.length) throw bad(`${bytes.length} bytes, expected ${expected}`);
  if (view.getUint32(bytes.length - 4, true) !== END) throw bad("no end marker");
  const at = (offset: number) => bytes.byteOffset + offset;
  let o = 12 + align4(headerLength);
  const vectors = new Float32Array(bytes.buffer, at(o), count * dimensions);
  o += 4 * count * dimensions;
  const fieldOffsets = new Int32Array(bytes.buffer, at(o), count + 1);
  o += 4 * (count + 1);
  const fieldBase = o;
  o += align4(fieldBytes);
  const tokenOffsets = new Int32Array(bytes.buffer, at(o), count + 1);
  o += 4 * (count + 1);
  const tokenBase = new Int32Array(bytes.buffer, at(o), tokenInts);
  for (let i = 0; i < count; i++) {
    if (!(fieldOffsets[i] <= fieldOffsets[i + 1] && tokenOffsets[i] <= tokenOffsets[i + 1])) {
      throw bad("bad offsets");
    }
  }
  if (fieldOffsets[0] !== 0 || fieldOffsets[count] !== fieldBytes) throw bad("bad offsets");
  if (tokenOffsets[0] !== 0 || tokenOffsets[count] !== tokenInts) throw bad("bad offsets");
  const fields = {
    values: bytes.subarray(fieldBase, fieldBase + fieldBytes),
    offsets: fieldOffsets,
  };
  const tokens = { values: tokenBase, offsets: tokenOffsets };
  return {
    data: { dimensions, terms: header.terms, ids: header.ids, fields, tokens, vectors },
    meta: header.meta,
  };
}

function align4(n: number): number {
  return (n + 3) & ~3;
}
