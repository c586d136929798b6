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

/** Encode an index and its metadata. */
export function encodeIndexFile<M>(data: HybridIndexData, meta: M): Uint8Array {
  const count = data.fields.length;
  const fieldBytes = data.fields.reduce((s, f) => s + f.length, 0);
  const tokenInts = data.tokens.reduce((s, t) => s + t.length, 0);
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
  const headerPadded = align4(headerBytes.length);
  const size = 12 + headerPadded + data.vectors.byteLength + 4 * (count + 1) +
    align4(fieldBytes) + 4 * (count + 1) + 4 * tokenInts + 4;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, INDEX_FILE_VERSION, true);
  view.setUint32(8, headerBytes.length, true);
  out.set(headerBytes, 12);
  let o = 12 + headerPadded;
  out.set(new Uint8Array(data.vectors.buffer, data.vectors.byteOffset, data.vectors.byteLength), o);
  o += data.vectors.byteLength;
  const fieldOffsets = new Int32Array(out.buffer, o, count + 1);
  o += 4 * (count + 1);
  let f = 0;
  data.fields.forEach((bytes, i) => {
    fieldOffsets[i] = f;
    out.set(bytes, o + f);
    f += bytes.length;
  });
  fieldOffsets[count] = f;
  o += align4(fieldBytes);
  const tokenOffsets = new Int32Array(out.buffer, o, count + 1);
  o += 4 * (count + 1);
  const tokens = new Int32Array(out.buffer, o, tokenInts);
  let t = 0;
  data.tokens.forEach((ids, i) => {
    tokenOffsets[i] = t;
    tokens.set(ids, t);
    t += ids.length;
  });
  tokenOffsets[count] = t;
  o += 4 * tokenInts;
  view.setUint32(o, END, true);
  return out;
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
  const fields: Uint8Array[] = new Array(count);
  const tokens: Int32Array[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const [f0, f1, t0, t1] = [
      fieldOffsets[i],
      fieldOffsets[i + 1],
      tokenOffsets[i],
      tokenOffsets[i + 1],
    ];
    if (!(f0 <= f1 && f1 <= fieldBytes && t0 <= t1 && t1 <= tokenInts)) throw bad("bad offsets");
    fields[i] = bytes.subarray(fieldBase + f0, fieldBase + f1);
    tokens[i] = tokenBase.subarray(t0, t1);
  }
  return {
    data: { dimensions, terms: header.terms, ids: header.ids, fields, tokens, vectors },
    meta: header.meta,
  };
}

function align4(n: number): number {
  return (n + 3) & ~3;
}
