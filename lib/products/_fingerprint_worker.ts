/**
 * Worker entry of {@link dataFingerprintInWorker}: hashes a data folder's files off the main
 * thread, so a warm start reads and hashes 10,000 manuals on the second core while the first
 * seeds customers.
 *
 * @module
 */
import { dataFingerprint } from "./index_cache.ts";

self.onmessage = (event: MessageEvent<{ dataDir: string }>) => {
  try {
    self.postMessage({ fingerprint: dataFingerprint(event.data.dataDir) });
  } catch (error) {
    self.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
  self.close();
};
