/**
 * Writing search documents to an index in bounded batches: documents are buffered up to a
 * batch, those whose content hash the index already holds are dropped (when the store can read
 * hashes back), the rest are embedded in requests sized to the embedding model's limits and
 * uploaded, and the batch is released. Memory stays at one batch of vectors however large the
 * catalog, and a re-run over unchanged data embeds and uploads nothing.
 *
 * @module
 */
import { UpstreamError } from "../errors.ts";
import {
  type EmbeddingLimits,
  embeddingLimits,
  fitEmbeddingInput,
  planEmbeddingBatches,
} from "../models/embedding_batches.ts";
import type { EmbeddingModel } from "../models/types.ts";
import { embeddingText, type UnembeddedDocument } from "../products/documents.ts";
import type { ProductSearch, SearchDocument } from "../products/types.ts";
import { sha256Hex, stableJson } from "../text/hash.ts";

/**
 * The content hash of a document: its fields (not its vector) and the identity of the
 * embedding model, so a changed text, url or category, or another model, gives another hash.
 *
 * @example
 * ```ts
 * import { documentHash } from "./index_writer.ts";
 * const doc = { id: "1", kind: "product" as const, productId: "1", title: "Tent", content: "A tent.", url: "/products/1", category: "", brand: "" };
 * console.assert(documentHash(doc, "offline:m:256") !== documentHash(doc, "offline:m:512"));
 * ```
 */
export function documentHash(doc: UnembeddedDocument, embeddingKey: string): string {
  const { id, kind, productId, title, content, url, category, brand } = doc;
  return sha256Hex(
    stableJson({ id, kind, productId, title, content, url, category, brand, embeddingKey }),
  );
}

/** The default identity of an embedding model in content hashes. */
export function embeddingKeyOf(model: Pick<EmbeddingModel, "backend" | "name" | "dimensions">) {
  return `${model.backend}:${model.name}:${model.dimensions}`;
}

/** Options of {@link createIndexWriter}. */
export interface IndexWriterOptions {
  /** Override the embedding model's request limits (e.g. `maxInputs` for smaller requests). */
  limits?: Partial<EmbeddingLimits>;
  /** Documents held before they are checked, embedded and uploaded (default 500). */
  uploadBatchSize?: number;
  /** Skip documents whose hash the index holds (default: when the store has `existingHashes`). */
  skipUnchanged?: boolean;
  /** The embedding model's identity in content hashes (default {@link embeddingKeyOf}). */
  embeddingKey?: string;
  signal?: AbortSignal;
  /** Told after each embedding request and each upload. */
  onStats?: (stats: Readonly<IndexWriterStats>) => void;
}

/** What an index writer has done so far. */
export interface IndexWriterStats {
  /** Documents given to the writer (after duplicates within a batch are merged). */
  documents: number;
  /** Documents the index already held with the same hash: neither embedded nor uploaded. */
  unchanged: number;
  /** Documents embedded. */
  embedded: number;
  /** Documents uploaded. */
  written: number;
  embedRequests: number;
  uploadBatches: number;
}

/** Buffers documents and writes them in bounded batches; `flush()` writes what is left. */
export interface IndexWriter {
  add(documents: UnembeddedDocument[]): Promise<void>;
  flush(): Promise<void>;
  readonly stats: Readonly<IndexWriterStats>;
}

/** Words of the refusals a request over a size limit gets (Azure OpenAI, OpenAI, proxies). */
const SIZE_REFUSAL = /tokens?\b|too (many|large|long)|maximum|context length|array|limit/i;

/**
 * A request the service refused for its size: worth splitting, not retrying as is. Other 400s
 * (a wrong deployment, a content filter) are not: splitting them would only repeat the error.
 */
function tooLarge(error: unknown): boolean {
  if (!(error instanceof UpstreamError)) return false;
  if (error.status === 413) return true;
  const cause = (error.cause as Error | undefined)?.message ?? "";
  return error.status === 400 && SIZE_REFUSAL.test(`${error.message} ${cause}`);
}

/**
 * A writer of documents into `products`, embedding with `embeddings`.
 *
 * @example
 * ```ts ignore
 * const writer = createIndexWriter(products, embeddings);
 * for (const docs of batches) await writer.add(docs);
 * await writer.flush();
 * console.log(writer.stats.embedded, writer.stats.unchanged);
 * ```
 */
export function createIndexWriter(
  products: ProductSearch,
  embeddings: EmbeddingModel,
  options: IndexWriterOptions = {},
): IndexWriter {
  const limits = embeddingLimits(embeddings.backend, options.limits);
  const uploadBatchSize = options.uploadBatchSize ?? 500;
  if (!Number.isInteger(uploadBatchSize) || uploadBatchSize < 1) {
    throw new RangeError(`Cannot write documents in batches of ${uploadBatchSize}`);
  }
  const skipUnchanged = (options.skipUnchanged ?? true) && !!products.existingHashes;
  const embeddingKey = options.embeddingKey ?? embeddingKeyOf(embeddings);
  const stats: IndexWriterStats = {
    documents: 0,
    unchanged: 0,
    embedded: 0,
    written: 0,
    embedRequests: 0,
    uploadBatches: 0,
  };
  const report = () => options.onStats?.({ ...stats });
  let buffer = new Map<string, UnembeddedDocument>();

  async function embed(texts: string[]): Promise<number[][]> {
    try {
      stats.embedRequests++;
      return await embeddings.embed(texts, { signal: options.signal });
    } catch (error) {
      // The token estimate is on the safe side, but a service may count differently: halve.
      if (!tooLarge(error) || texts.length < 2) throw error;
      const half = Math.ceil(texts.length / 2);
      return [...await embed(texts.slice(0, half)), ...await embed(texts.slice(half))];
    }
  }

  async function write(docs: UnembeddedDocument[]): Promise<void> {
    options.signal?.throwIfAborted();
    let pending = docs;
    let hashes: string[] | undefined;
    if (skipUnchanged) {
      const all = docs.map((d) => documentHash(d, embeddingKey));
      const stored = await products.existingHashes!(docs.map((d) => d.id));
      const keep = docs.map((d, i) => stored.get(d.id) !== all[i]);
      pending = docs.filter((_, i) => keep[i]);
      hashes = all.filter((_, i) => keep[i]);
      stats.unchanged += docs.length - pending.length;
    }
    if (pending.length === 0) return report();
    const texts = pending.map((d) => fitEmbeddingInput(embeddingText(d), limits.maxInputTokens));
    const embedded: SearchDocument[] = [];
    for (const batch of planEmbeddingBatches(texts, limits)) {
      options.signal?.throwIfAborted();
      const vectors = await embed(texts.slice(batch.start, batch.end));
      for (let i = batch.start; i < batch.end; i++) {
        const doc: SearchDocument = { ...pending[i], contentVector: vectors[i - batch.start] };
        if (hashes) doc.contentHash = hashes[i];
        embedded.push(doc);
      }
      stats.embedded += batch.end - batch.start;
      report();
    }
    stats.written += await products.upsert(embedded);
    stats.uploadBatches++;
    report();
  }

  return {
    stats,
    async add(documents) {
      for (const doc of documents) {
        // The same id twice in one batch: the later one wins, as a second upsert would.
        if (buffer.delete(doc.id)) stats.documents--;
        buffer.set(doc.id, doc);
        stats.documents++;
        if (buffer.size >= uploadBatchSize) {
          const docs = [...buffer.values()];
          buffer = new Map();
          await write(docs);
        }
      }
    },
    async flush() {
      if (buffer.size === 0) return;
      const docs = [...buffer.values()];
      buffer = new Map();
      await write(docs);
    },
  };
}
