/**
 * The embedded index as one binary file: a JSON header (the terms, the ids, the caller's
 * metadata and a table of sections), then the sections (the float32 vectors and their
 * magnitudes, the documents' UTF-8 JSON and their token ids, each with its offsets, and the
 * postings of each text property), and an end marker. Loading is a few typed-array views over the bytes
 * (no re-tokenizing, no JSON per document), so a 72,000-passage index loads in a fraction of a
 * second. A file that is truncated, from another format version or otherwise inconsistent is
 * refused with a `SyntaxError` (the cache then rebuilds it).
 *
 * @module
 */
import type { HybridIndexData, PackedRows } from "./hybrid_index.ts";

/** Bumped whenever the layout of the file (or of {@link HybridIndexData}) changes. */
export const INDEX_FILE_VERSION = 3;

const MAGIC = 0x58494343; // "CCIX"
const END = 0x444e4558; // "XEND"

type Kind = "u8" | "i32" | "f32" | "f64";
const BYTES: Record<Kind, number> = { u8: 1, i32: 4, f32: 4, f64: 8 };
type Typed = Uint8Array | Int32Array | Float32Array | Float64Array;

/** A section of the file: its name, element type and element count, in the header's order. */
type Section = [name: string, kind: Kind, length: number];

interface Header<M> {
  version: number;
  dimensions: number;
  count: number;
  terms: string[];
  ids: string[];
  sections: Section[];
  meta: M;
}

/** The arrays of an index, by section name, in the order they are written. */
function sectionsOf(data: HybridIndexData): [Section, Typed][] {
  const out: [Section, Typed][] = [];
  const add = (name: string, kind: Kind, values: Typed) =>
    out.push([[name, kind, values.length], values]);
  add("vectors", "f32", data.vectors);
  if (data.magnitudes) add("magnitudes", "f64", data.magnitudes);
  add("fields.offsets", "i32", data.fields.offsets);
  add("fields", "u8", data.fields.values);
  add("tokens.offsets", "i32", data.tokens.offsets);
  add("tokens", "i32", data.tokens.values);
  data.postings?.forEach((p, i) => {
    add(`postings.${i}.offsets`, "i32", p.offsets);
    add(`postings.${i}`, "i32", p.values);
  });
  return out;
}

/**
 * The file's bytes as a series of chunks (views of the index where they can be): written one
 * after another, they never hold a second copy of the index in memory. Every section starts at
 * a multiple of 8 bytes, so each is a typed-array view of the file's bytes when loaded.
 */
export function* indexFileChunks<M>(data: HybridIndexData, meta: M): Generator<Uint8Array> {
  const sections = sectionsOf(data);
  const header: Header<M> = {
    version: INDEX_FILE_VERSION,
    dimensions: data.dimensions,
    count: data.ids.length,
    terms: data.terms,
    ids: data.ids,
    sections: sections.map(([section]) => section),
    meta,
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const start = new Uint8Array(align8(12 + headerBytes.length));
  const view = new DataView(start.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, INDEX_FILE_VERSION, true);
  view.setUint32(8, headerBytes.length, true);
  start.set(headerBytes, 12);
  yield start;
  for (const [, values] of sections) {
    const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    yield bytes;
    if (align8(bytes.length) > bytes.length) {
      yield new Uint8Array(align8(bytes.length) - bytes.length);
    }
  }
  const end = new Uint8Array(4);
  new DataView(end.buffer).setUint32(0, END, true);
  yield end;
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
  if (bytes.length < 16 || bytes.byteOffset % 8 !== 0) throw bad("too short");
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
  const { dimensions, count, sections } = header;
  if (!Array.isArray(header.ids) || header.ids.length !== count) throw bad("ids do not match");
  if (!Array.isArray(header.terms) || !Array.isArray(sections)) throw bad("no sections");
  let expected = align8(12 + headerLength) + 4;
  for (const section of sections) {
    const [, kind, length] = section;
    if (!(kind in BYTES) || !Number.isInteger(length) || length < 0) throw bad("bad section");
    expected += align8(BYTES[kind] * length);
  }
  if (expected !== bytes.length) throw bad(`${bytes.length} bytes, expected ${expected}`);
  if (view.getUint32(bytes.length - 4, true) !== END) throw bad("no end marker");

  const found = new Map<string, Typed>();
  let o = bytes.byteOffset + align8(12 + headerLength);
  for (const [name, kind, length] of sections) {
    const b = bytes.buffer;
    found.set(
      name,
      kind === "u8"
        ? new Uint8Array(b, o, length)
        : kind === "i32"
        ? new Int32Array(b, o, length)
        : kind === "f32"
        ? new Float32Array(b, o, length)
        : new Float64Array(b, o, length),
    );
    o += align8(BYTES[kind] * length);
  }
  const get = <T extends Typed>(name: string, type: { new (): T }, length?: number): T => {
    const values = found.get(name);
    if (!(values instanceof type)) throw bad(`no ${name} section`);
    if (length !== undefined && values.length !== length) throw bad(`${name} do not match`);
    return values as T;
  };
  const vectors = get("vectors", Float32Array, count * dimensions);
  const fields = rows(get("fields.offsets", Int32Array, count + 1), get("fields", Uint8Array));
  const tokens = rows(get("tokens.offsets", Int32Array, count + 1), get("tokens", Int32Array));
  if (!fields || !tokens) throw bad("bad offsets");
  const magnitudes = found.has("magnitudes") ? get("magnitudes", Float64Array, count) : undefined;
  const postings: PackedRows<Int32Array>[] = [];
  for (let p = 0; found.has(`postings.${p}`); p++) {
    const offsets = get(`postings.${p}.offsets`, Int32Array, header.terms.length + 1);
    const list = rows(offsets, get(`postings.${p}`, Int32Array));
    if (!list) throw bad("bad postings");
    postings.push(list);
  }
  return {
    data: {
      dimensions,
      terms: header.terms,
      ids: header.ids,
      fields,
      tokens,
      vectors,
      magnitudes,
      postings: postings.length > 0 ? postings : undefined,
    },
    meta: header.meta,
  };
}

/** Packed rows when the offsets run from 0 to the end of `values` without going back. */
function rows<T extends Uint8Array | Int32Array>(
  offsets: Int32Array,
  values: T,
): PackedRows<T> | undefined {
  const last = offsets.length - 1;
  if (offsets[0] !== 0 || offsets[last] !== values.length) return undefined;
  for (let i = 0; i < last; i++) if (offsets[i] > offsets[i + 1]) return undefined;
  return { values, offsets };
}

function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}
