/**
 * The model defaults that several layers share: the per-call timeout (configuration's
 * `MODEL_TIMEOUT_MS`, the client's own timeout and the deadline of every call) and the vector
 * size of an embedding model that names none (text-embedding-3-small's native 1536, which the
 * Bicep default in infra/ matches). Defined here once so the layers cannot disagree.
 *
 * @module
 */

/** Default time budget of one model call, in milliseconds (`MODEL_TIMEOUT_MS`). */
export const DEFAULT_MODEL_TIMEOUT_MS = 30_000;

/** Default embedding vector size (`AZURE_OPENAI_EMBEDDING_DIMENSIONS`). */
export const DEFAULT_EMBEDDING_DIMENSIONS = 1536;
