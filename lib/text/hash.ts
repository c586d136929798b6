/**
 * Content hashing, defined once: a SHA-256 of a text (full or short), and JSON with sorted keys so
 * equal values always hash alike. Run fingerprints, the embedded index's cache key and the
 * per-document content hashes that let seeding skip unchanged documents all use these.
 *
 * @module
 */
import { createHash } from "node:crypto";

/** JSON with object keys sorted (and `undefined` fields dropped), so equal values always hash alike. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** SHA-256 of a text (as UTF-8) or of bytes, as 64 hex digits. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/** Short SHA-256 of a text (12 hex digits): enough to tell runs or documents apart at a glance. */
export function shortHash(text: string): string {
  return sha256Hex(text).slice(0, 12);
}
