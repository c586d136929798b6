/**
 * The embedded search's index, in typed arrays: per-property postings for the full-text half
 * (Orama's tokenizer and Orama's BM25, computed as `@orama/orama` computes them), a float32
 * matrix for the vector half, and Orama's hybrid merge of the two (`text · t/maxT + vector ·
 * v/maxV`, vectors under 0.05 cosine ignored). Measured at 72,000 passages (docs/scale.md),
 * Orama's own query path spends 50–110 ms a query in per-document maps, a scan of every vector
 * and a sort of every match. Here a query walks the postings of its terms once, and by default
 * (text-first) compares the query vector only with the text matches that can still reach the
 * top — a vector adds at most `vector` to a score — taking `maxV` among them; `exact` compares
 * every vector and gives Orama's results exactly (a test holds the two together). Documents are
 * kept as UTF-8 JSON, decoded only when they are hits, so the index is compact and saves and
 * loads as bytes (`index_file.ts`).
 *
 * @module
 */
import type { Bm25Parameters } from "./orama_product_search.ts";
import type { SearchFields } from "./types.ts";

/** The full-text properties, in the order Orama searches them. */
export const TEXT_PROPERTIES = ["title", "content", "category", "brand"] as const;
const PROPS = TEXT_PROPERTIES.length;

/** Vectors less similar than this to the query take no part (Orama's `similarity` we pass). */
export const MIN_SIMILARITY = 0.05;

/**
 * Text-first mode compares the query vector with the text matches within this many vector
 * weights of the `top`-th text score: one is enough for the ranking (a vector adds at most one
 * weight), the rest widens the pool that `maxV` is taken from. Measured at 10,000 products
 * (docs/scale.md, top 10): held-out MRR 0.853 with 1, 0.857 with 1.5 and 2, as exact; the vector
 * comparisons were most of a request's CPU with 2, and 1.5 halves the time of a query.
 */
const MAX_V_MARGIN = 1.5;

/** Turns a text into index tokens (Orama's tokenizer: unique, stemmed, stop words dropped). */
export type Tokenize = (text: string) => string[];

/** Rows of variable length in one array: row `i` is `values[offsets[i]..offsets[i + 1]]`. */
export interface PackedRows<T extends Uint8Array | Int32Array> {
  values: T;
  offsets: Int32Array;
}

/** The state of an index that {@link saveHybridIndex}-style writers persist. */
export interface HybridIndexData {
  dimensions: number;
  /** Every term, by id. */
  terms: string[];
  /** Per document: its id. */
  ids: string[];
  /** The documents' {@link SearchFields} as UTF-8 JSON, one after another. */
  fields: PackedRows<Uint8Array>;
  /** Per document: `[len title, len content, len category, len brand, …term ids]`. */
  tokens: PackedRows<Int32Array>;
  /** Row-major float32 vectors, `dimensions` per document. */
  vectors: Float32Array;
  /** Per document: its vector's magnitude (computed from `vectors` when absent). */
  magnitudes?: Float64Array;
  /**
   * Per text property: the postings, term id → rows (`offsets` has one entry per term and one
   * more); built from `tokens` when absent. Persisting them saves a warm start 70–100 ms at
   * 10,000 products.
   */
  postings?: PackedRows<Int32Array>[];
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Bytes of fields (UTF-8 JSON) and token ids a row is given room for by `reserve`: about twice
 * the average of the generated 10,000-product catalog (507 bytes and 39 tokens a document).
 */
const RESERVED_FIELD_BYTES = 1024;
const RESERVED_TOKENS = 96;

/** A hybrid index that grows by upserts and answers hybrid queries. */
export class HybridIndex {
  readonly dimensions: number;
  #tokenize: Tokenize;
  #terms: string[] = [];
  #termIds = new Map<string, number>();
  #fields: RowStore<Uint8Array> = new RowStore<Uint8Array>(Uint8Array);
  #tokens: RowStore<Int32Array> = new RowStore<Int32Array>(Int32Array);
  /** Id → row, built at the first upsert (a loaded index may never need it: 25–45 ms). */
  #rows?: Map<string, number>;
  #ids: string[] = [];
  #vectors: Float32Array;
  #magnitudes: Float64Array;
  #postings?: Postings;
  #scores?: Float64Array;
  #touchedRows?: Int32Array;

  constructor(dimensions: number, tokenize: Tokenize, data?: HybridIndexData) {
    this.dimensions = dimensions;
    this.#tokenize = tokenize;
    if (data) {
      if (data.dimensions !== dimensions) {
        throw new RangeError(
          `Index has ${data.dimensions}-dimension vectors; expected ${dimensions}`,
        );
      }
      this.#terms = data.terms;
      data.terms.forEach((t, i) => this.#termIds.set(t, i));
      this.#fields = new RowStore<Uint8Array>(Uint8Array, data.fields);
      this.#ids = data.ids;
      this.#tokens = new RowStore<Int32Array>(Int32Array, data.tokens);
      this.#vectors = data.vectors;
      const n = data.ids.length;
      if (data.magnitudes?.length === n) this.#magnitudes = data.magnitudes;
      else {
        this.#magnitudes = new Float64Array(n);
        for (let row = 0; row < n; row++) {
          this.#magnitudes[row] = magnitude(this.#vectors, row * dimensions, dimensions);
        }
      }
      if (data.postings) this.#postings = loadedPostings(data.postings, this.#tokens, n);
    } else {
      this.#vectors = new Float32Array(16 * dimensions);
      this.#magnitudes = new Float64Array(16);
    }
  }

  /** Documents in the index. */
  get size(): number {
    return this.#ids.length;
  }

  /** Add or replace documents (by `id`). */
  upsert(documents: (SearchFields & { contentVector: ArrayLike<number> })[]): void {
    const dims = this.dimensions;
    for (const d of documents) {
      const { contentVector, ...rest } = d;
      const fields: SearchFields = {
        id: rest.id,
        kind: rest.kind,
        productId: rest.productId,
        title: rest.title,
        content: rest.content,
        url: rest.url,
        category: rest.category,
        brand: rest.brand,
      };
      const rows = this.#rows ??= new Map(this.#ids.map((id, row) => [id, row]));
      let row = rows.get(fields.id);
      if (row === undefined) {
        row = this.#ids.length;
        rows.set(fields.id, row);
        this.#ids.push(fields.id);
        this.#grow(row + 1);
      }
      this.#fields.set(row, encoder.encode(JSON.stringify(fields)));
      this.#tokens.set(row, this.#tokenizeFields(fields));
      this.#vectors.set(contentVector, row * dims);
      this.#magnitudes[row] = magnitude(this.#vectors, row * dims, dims);
    }
    this.#postings = undefined;
  }

  /**
   * Build the postings now (else the first search after an upsert does), with the BM25 length
   * factors for `bm25`: start-up pays for it, not the first request.
   */
  prepare(bm25: Bm25Parameters): void {
    this.#factors(this.#builtPostings(), bm25);
  }

  #builtPostings(): Postings {
    return this.#postings ??= buildPostings(this.#tokens, this.size, this.#terms.length, PROPS);
  }

  /**
   * Make room for `rows` documents at once: their vectors, and their fields and tokens at
   * {@link RESERVED_FIELD_BYTES} and {@link RESERVED_TOKENS} a row. Growing step by step copies
   * each array into a larger one and holds both until the garbage collector frees the old one,
   * the largest moments of a cold build at 10,000 products. A generous guess costs no memory:
   * a new typed array is zero pages the system only backs once they are written, so the peak
   * RSS counts what is used, not what is reserved; a store that outgrows its room still grows.
   */
  reserve(rows: number): void {
    if (rows > this.#magnitudes.length) this.#resize(rows);
    this.#fields.reserve(rows, rows * RESERVED_FIELD_BYTES);
    this.#tokens.reserve(rows, rows * RESERVED_TOKENS);
  }

  /** The fields of the document in `row`. */
  fieldsOf(row: number): SearchFields {
    return JSON.parse(decoder.decode(this.#fields.get(row)));
  }

  /** The persistable state, postings included (views, not copies). */
  data(): HybridIndexData {
    const postings = this.#builtPostings();
    return {
      dimensions: this.dimensions,
      terms: this.#terms,
      ids: this.#ids,
      fields: this.#fields.packed(this.size),
      tokens: this.#tokens.packed(this.size),
      vectors: this.#vectors.subarray(0, this.size * this.dimensions),
      magnitudes: this.#magnitudes.subarray(0, this.size),
      postings: postings.rows.map((values, p) => ({ values, offsets: postings.offsets[p] })),
    };
  }

  /**
   * The `top` best documents for a query, scored exactly as Orama's hybrid mode scores them.
   * With an approximate index, `maxV` and the vector-only candidates come from it.
   */
  search(
    text: string,
    vector: ArrayLike<number>,
    options: {
      top: number;
      weights: { text: number; vector: number };
      bm25: Bm25Parameters;
      /** Compare the query with every vector (Orama's results exactly); default text-first. */
      exact?: boolean;
    },
  ): { row: number; score: number }[] {
    const n = this.size;
    if (n === 0) return [];
    this.prepare(options.bm25);
    const postings = this.#postings!;
    const top = Math.max(1, options.top);
    // Orama falls back to 0.5/0.5 unless both weights are non-zero.
    const w = options.weights.text && options.weights.vector
      ? options.weights
      : { text: 0.5, vector: 0.5 };

    // Full-text half: BM25 summed over properties and query terms. With Orama's term frequency
    // (tokens are unique per field, so always 1 / field length) a posting's score is the term's
    // idf times a factor of the field's length alone, computed once per index.
    const factors = this.#factors(postings, options.bm25);
    const textScores = this.#scratch(n);
    const touchedRows = this.#touched(n);
    let touchedCount = 0;
    const queryTerms = [...new Set(this.#tokenize(text))];
    for (let p = 0; p < PROPS; p++) {
      const factor = factors[p];
      for (const term of queryTerms) {
        const id = this.#termIds.get(term);
        if (id === undefined) continue;
        const start = postings.offsets[p][id];
        const end = postings.offsets[p][id + 1];
        const matching = end - start;
        if (matching === 0) continue;
        const idf = Math.log(1 + (n - matching + 0.5) / (matching + 0.5));
        const rows = postings.rows[p];
        for (let i = start; i < end; i++) {
          const row = rows[i];
          if (textScores[row] === 0) touchedRows[touchedCount++] = row;
          textScores[row] += idf * factor[row];
        }
      }
    }
    const touched = touchedRows.subarray(0, touchedCount);
    let maxText = 0;
    for (const row of touched) if (textScores[row] > maxText) maxText = textScores[row];

    // Vector half.
    const dims = this.dimensions;
    const vectors = this.#vectors;
    const magnitudes = this.#magnitudes;
    const q = Float32Array.from(vector);
    const qMag = magnitude(q, 0, dims);
    // Only the query's non-zero components take part in a dot product: a short question's
    // hashed embedding fills a few dozen of 256 dimensions, so this is the same sum in a
    // fraction of the reads (a dense query, as from a real model, takes the plain loop).
    const nonZero = nonZeroIndices(q);
    const qValues = Float32Array.from(nonZero, (i) => q[i]);
    const sparse = nonZero.length < dims / 2;
    const similarity = (row: number): number => {
      let dot = 0;
      const o = row * dims;
      if (sparse) {
        for (let k = 0; k < nonZero.length; k++) dot += qValues[k] * vectors[o + nonZero[k]];
      } else {
        for (let i = 0; i < dims; i++) dot += q[i] * vectors[o + i];
      }
      return dot / (qMag * magnitudes[row]);
    };
    const best: Scored[] = [];
    const score = (row: number, v: number | undefined, maxVector: number) => {
      const t = textScores[row] > 0 ? textScores[row] / maxText : 0;
      const s = w.text * t +
        (v !== undefined && v >= MIN_SIMILARITY ? w.vector * (v / maxVector) : 0);
      // Orama sorts a map of text hits (best text first) then vector-only hits; ties keep that
      // order.
      if (s > 0) keepBest(best, { row, score: s, order: t > 0 ? -t : 1 }, top);
    };

    if (options.exact || qMag === 0 || touched.length < top) {
      // Exact: every vector is compared (the reference; also when the text half finds fewer
      // than `top` documents, so vector-only hits can fill the list).
      const sims = new Float64Array(n);
      let maxVector = 0;
      if (qMag > 0) {
        for (let row = 0; row < n; row++) {
          const v = similarity(row);
          sims[row] = v;
          if (v >= MIN_SIMILARITY && v > maxVector) maxVector = v;
        }
      }
      for (let row = 0; row < n; row++) {
        if (textScores[row] > 0 || (qMag > 0 && sims[row] >= MIN_SIMILARITY)) {
          score(row, qMag > 0 ? sims[row] : undefined, maxVector);
        }
      }
    } else {
      // Text-first: only the text matches that can still reach the top (a vector adds at most
      // `w.vector` to a score) are compared with the query vector, and `maxV` is their best.
      const kthText = kthLargest(textScores, touched, top);
      const floor = w.text * (kthText / maxText) - MAX_V_MARGIN * w.vector;
      const candidates: number[] = [];
      for (const row of touched) {
        if (w.text * (textScores[row] / maxText) >= floor) candidates.push(row);
      }
      const sims = new Float64Array(candidates.length);
      let maxVector = 0;
      candidates.forEach((row, i) => {
        const v = similarity(row);
        sims[i] = v;
        if (v >= MIN_SIMILARITY && v > maxVector) maxVector = v;
      });
      candidates.forEach((row, i) => score(row, sims[i], maxVector));
    }
    for (const row of touched) textScores[row] = 0;
    return best.map(({ row, score }) => ({ row, score }));
  }

  /** A row list of `n` entries, reused by every query. */
  #touched(n: number): Int32Array {
    if (!this.#touchedRows || this.#touchedRows.length < n) this.#touchedRows = new Int32Array(n);
    return this.#touchedRows;
  }

  /** A zeroed score array of `n` entries, reused by every query (left zeroed after each). */
  #scratch(n: number): Float64Array {
    if (!this.#scores || this.#scores.length < n) this.#scores = new Float64Array(n);
    return this.#scores;
  }

  /** Per property and row: BM25's term-frequency factor for these parameters. */
  #factors(postings: Postings, bm25: Bm25Parameters): Float64Array[] {
    const key = `${bm25.k}:${bm25.b}:${bm25.d}`;
    let factors = postings.factors.get(key);
    if (!factors) {
      const { k, b, d } = bm25;
      factors = postings.lengths.map((lengths, p) => {
        const avg = postings.averageLengths[p];
        const out = new Float64Array(lengths.length);
        for (let row = 0; row < lengths.length; row++) {
          const len = lengths[row];
          if (len === 0) continue;
          const tf = 1 / len;
          // Orama's BM25 without the idf: (d + tf (k + 1)) / (tf + k (1 - b + b len / avg)).
          out[row] = (d + tf * (k + 1)) / (tf + k * (1 - b + (b * len) / avg));
        }
        return out;
      });
      postings.factors.set(key, factors);
    }
    return factors;
  }

  #tokenizeFields(fields: SearchFields): Int32Array {
    const lists = TEXT_PROPERTIES.map((p) => this.#tokenize(fields[p]));
    const out = new Int32Array(PROPS + lists.reduce((s, l) => s + l.length, 0));
    let o = PROPS;
    lists.forEach((list, p) => {
      out[p] = list.length;
      for (const term of list) {
        let id = this.#termIds.get(term);
        if (id === undefined) {
          id = this.#terms.length;
          this.#terms.push(term);
          this.#termIds.set(term, id);
        }
        out[o++] = id;
      }
    });
    return out;
  }

  #grow(rows: number): void {
    if (rows <= this.#magnitudes.length) return;
    this.#resize(Math.max(rows, Math.ceil(this.#magnitudes.length * 1.5), 16));
  }

  #resize(capacity: number): void {
    const vectors = new Float32Array(capacity * this.dimensions);
    vectors.set(this.#vectors);
    this.#vectors = vectors;
    const magnitudes = new Float64Array(capacity);
    magnitudes.set(this.#magnitudes);
    this.#magnitudes = magnitudes;
  }
}

/** Per property: CSR postings (term → rows), field lengths and their average. */
interface Postings {
  offsets: Int32Array[];
  rows: Int32Array[];
  lengths: Int32Array[];
  averageLengths: number[];
  /** BM25 length factors by parameters (see `HybridIndex.#factors`). */
  factors: Map<string, Float64Array[]>;
}

function buildPostings(
  tokens: RowStore<Int32Array>,
  n: number,
  termCount: number,
  props: number,
): Postings {
  const offsets: Int32Array[] = [];
  const rows: Int32Array[] = [];
  const lengths: Int32Array[] = [];
  const averageLengths: number[] = [];
  const ints = tokens.values;
  for (let p = 0; p < props; p++) {
    const counts = new Int32Array(termCount + 1);
    const len = new Int32Array(n);
    let total = 0;
    for (let row = 0; row < n; row++) {
      const base = tokens.start(row);
      let o = base + props;
      for (let q = 0; q < p; q++) o += ints[base + q];
      const count = ints[base + p];
      len[row] = count;
      total += count;
      for (let i = 0; i < count; i++) counts[ints[o + i] + 1]++;
    }
    for (let i = 0; i < termCount; i++) counts[i + 1] += counts[i];
    const fill = counts.slice(0, termCount);
    const list = new Int32Array(counts[termCount]);
    for (let row = 0; row < n; row++) {
      const base = tokens.start(row);
      let o = base + props;
      for (let q = 0; q < p; q++) o += ints[base + q];
      const count = ints[base + p];
      for (let i = 0; i < count; i++) list[fill[ints[o + i]]++] = row;
    }
    offsets.push(counts);
    rows.push(list);
    lengths.push(len);
    averageLengths.push(total / n);
  }
  return { offsets, rows, lengths, averageLengths, factors: new Map() };
}

/**
 * Postings as saved, with the field lengths and their averages taken from the token lists (a
 * pass over 290,000 counts at 10,000 products, against the 2.8 million token ids that building
 * the postings walks twice).
 */
function loadedPostings(
  saved: PackedRows<Int32Array>[],
  tokens: RowStore<Int32Array>,
  n: number,
): Postings {
  if (saved.length !== PROPS) throw new RangeError(`Index has postings for ${saved.length} fields`);
  const ints = tokens.values;
  const lengths: Int32Array[] = [];
  const averageLengths: number[] = [];
  for (let p = 0; p < PROPS; p++) {
    const len = new Int32Array(n);
    let total = 0;
    for (let row = 0; row < n; row++) {
      const count = ints[tokens.start(row) + p];
      len[row] = count;
      total += count;
    }
    lengths.push(len);
    averageLengths.push(total / n);
  }
  return {
    offsets: saved.map((s) => s.offsets),
    rows: saved.map((s) => s.values),
    lengths,
    averageLengths,
    factors: new Map(),
  };
}

type TypedArrayOf<T> = { new (length: number): T };

/**
 * Variable-length rows in one growing typed array (a replaced row is appended again; `packed()`
 * drops the old copies): a few arrays for the whole index instead of two objects per document,
 * which kept the garbage collector busy at 72,000 documents.
 */
class RowStore<T extends Uint8Array | Int32Array> {
  values: T;
  #used: number;
  #starts: Int32Array;
  #ends: Int32Array;
  #make: TypedArrayOf<T>;
  #holes = 0;

  constructor(make: TypedArrayOf<T>, packed?: PackedRows<T>) {
    this.#make = make;
    if (packed) {
      const rows = packed.offsets.length - 1;
      this.values = packed.values;
      this.#used = packed.offsets[rows];
      this.#starts = packed.offsets.slice(0, rows);
      this.#ends = packed.offsets.slice(1);
    } else {
      this.values = new make(1024);
      this.#used = 0;
      this.#starts = new Int32Array(16);
      this.#ends = new Int32Array(16);
    }
  }

  /** Room for `rows` rows and `values` values in all, so neither grows before then. */
  reserve(rows: number, values: number): void {
    if (rows > this.#starts.length) this.#resizeRows(rows);
    if (values > this.values.length) this.#resizeValues(values);
  }

  start(row: number): number {
    return this.#starts[row];
  }

  get(row: number): T {
    return this.values.subarray(this.#starts[row], this.#ends[row]) as T;
  }

  set(row: number, value: T): void {
    if (row >= this.#starts.length) {
      this.#resizeRows(Math.max(row + 1, Math.ceil(this.#starts.length * 1.5)));
    } else if (this.#ends[row] > this.#starts[row]) {
      this.#holes += this.#ends[row] - this.#starts[row];
    }
    if (this.#used + value.length > this.values.length) {
      this.#resizeValues(
        Math.max(this.#used + value.length, Math.ceil(this.values.length * 1.5)),
      );
    }
    this.values.set(value, this.#used);
    this.#starts[row] = this.#used;
    this.#used += value.length;
    this.#ends[row] = this.#used;
  }

  #resizeRows(capacity: number): void {
    const starts = new Int32Array(capacity);
    starts.set(this.#starts);
    this.#starts = starts;
    const ends = new Int32Array(capacity);
    ends.set(this.#ends);
    this.#ends = ends;
  }

  #resizeValues(capacity: number): void {
    const values = new this.#make(capacity);
    values.set(this.values.subarray(0, this.#used));
    this.values = values;
  }

  /** The first `rows` rows, in order, without the copies that replacements left behind. */
  packed(rows: number): PackedRows<T> {
    const offsets = new Int32Array(rows + 1);
    let inOrder = this.#holes === 0;
    for (let row = 0; row < rows && inOrder; row++) {
      if (this.#starts[row] !== (row === 0 ? 0 : this.#ends[row - 1])) inOrder = false;
    }
    if (inOrder) {
      for (let row = 0; row < rows; row++) offsets[row + 1] = this.#ends[row];
      return { values: this.values.subarray(0, offsets[rows]) as T, offsets };
    }
    let total = 0;
    for (let row = 0; row < rows; row++) total += this.#ends[row] - this.#starts[row];
    const values = new this.#make(total);
    let o = 0;
    for (let row = 0; row < rows; row++) {
      values.set(this.get(row), o);
      o += this.#ends[row] - this.#starts[row];
      offsets[row + 1] = o;
    }
    return { values, offsets };
  }
}

/** The indices of the non-zero components of `v`, in order. */
function nonZeroIndices(v: Float32Array): Int32Array {
  let count = 0;
  for (let i = 0; i < v.length; i++) if (v[i] !== 0) count++;
  const out = new Int32Array(count);
  for (let i = 0, k = 0; i < v.length; i++) if (v[i] !== 0) out[k++] = i;
  return out;
}

function magnitude(v: Float32Array, offset: number, dims: number): number {
  let m = 0;
  for (let i = 0; i < dims; i++) m += v[offset + i] * v[offset + i];
  return Math.sqrt(m);
}

interface Scored {
  row: number;
  score: number;
  order: number;
}

function before(x: Scored, y: Scored): boolean {
  return x.score > y.score || (x.score === y.score && (x.order < y.order ||
    (x.order === y.order && x.row < y.row)));
}

/** Insert `item` into `best` (sorted, at most `k` long) if it belongs there. */
function keepBest(best: Scored[], item: Scored, k: number): void {
  if (best.length === k && !before(item, best[k - 1])) return;
  let i = best.length;
  while (i > 0 && before(item, best[i - 1])) i--;
  best.splice(i, 0, item);
  if (best.length > k) best.pop();
}

/** The `k`-th largest of `values[rows]` (the smallest when there are fewer; 0 when none). */
function kthLargest(values: Float64Array, rows: Int32Array, k: number): number {
  if (rows.length === 0) return 0;
  const best: number[] = [];
  for (const row of rows) {
    const v = values[row];
    if (best.length < k) {
      best.push(v);
      best.sort((a, b) => a - b);
    } else if (v > best[0]) {
      best[0] = v;
      best.sort((a, b) => a - b);
    }
  }
  return best[0];
}
