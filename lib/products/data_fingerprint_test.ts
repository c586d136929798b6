import { deepEqual, equal, notEqual, ok } from "node:assert/strict";
import { join } from "node:path";
import { delay } from "../async/delay.ts";
import { fingerprintFolder, RACY_MS, readManifest, writeManifest } from "./data_fingerprint.ts";

const CSV = `id,name,price,category,brand,description
k-1,Fernhill Kayak Paddle,119.00,Paddles,Rivermark,"A four-piece carbon paddle."
k-2,Fernhill Spray Deck,64.00,Kayaking,Rivermark,"A neoprene deck for small cockpits."
`;

async function writeFolder(dir: string) {
  await Deno.mkdir(join(dir, "manuals"), { recursive: true });
  await Deno.writeTextFile(join(dir, "products.csv"), CSV);
  await Deno.writeTextFile(
    join(dir, "manuals", "k-1.md"),
    "# Fernhill Kayak Paddle\n\n## Assembly\n\nPush the sections together until the button clicks.\n",
  );
  await Deno.writeTextFile(
    join(dir, "manuals", "k-2.md"),
    "# Fernhill Spray Deck\n\n## Fitting\n\nHook the back of the deck over the coaming first.\n",
  );
  // Not a manual: never part of the fingerprint.
  await Deno.writeTextFile(join(dir, "manuals", "notes.txt"), "scratch notes");
}

/** A clock far enough ahead that every file on disk is settled (not racy). */
const later = () => Date.now() + 60_000;

/**
 * Wait until the wall clock is well into the next second: Deno reports ctime to the second, and
 * the kernel stamps files from a coarse clock a few milliseconds behind Date.now().
 */
async function nextSecond() {
  const second = Math.floor(Date.now() / 1000);
  while (Date.now() < (second + 1) * 1000 + 150) {
    await delay(20);
  }
}

Deno.test("fingerprintFolder() reads only changed files and always matches a full hash", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "data-fingerprint-test-" });
  try {
    await writeFolder(dir);
    // The reference: every file read and hashed, no manifest.
    const full = () => fingerprintFolder(dir).fingerprint;
    let manifest = fingerprintFolder(dir, { now: later }).manifest;

    await t.step("first time: every file is read", () => {
      const first = fingerprintFolder(dir, { now: later });
      equal(first.files, 3);
      equal(first.hashed, 3);
      ok(first.changed);
      deepEqual(first.manifest.names, ["products.csv", "manuals/k-1.md", "manuals/k-2.md"]);
    });

    await t.step("unchanged: nothing is read and the manifest is kept", () => {
      const again = fingerprintFolder(dir, { previous: manifest, now: later });
      equal(again.hashed, 0);
      equal(again.changed, false);
      equal(again.fingerprint, full());
    });

    await t.step("a manual that grew is read again", async () => {
      const before = full();
      await Deno.writeTextFile(join(dir, "manuals", "k-2.md"), "\nKeep it out of the sun.\n", {
        append: true,
      });
      const changed = fingerprintFolder(dir, { previous: manifest, now: later });
      equal(changed.hashed, 1);
      ok(changed.changed);
      notEqual(changed.fingerprint, before);
      equal(changed.fingerprint, full());
      manifest = changed.manifest;
    });

    await t.step("same size, modification time put back: ctime still gives it away", async () => {
      const path = join(dir, "manuals", "k-1.md");
      const old = await Deno.stat(path);
      const text = await Deno.readTextFile(path);
      await nextSecond();
      await Deno.writeTextFile(path, text.replace("clicks", "snaps."));
      await Deno.utime(path, old.atime!, old.mtime!);
      const now = await Deno.stat(path);
      equal(now.size, old.size);
      equal(now.mtime!.getTime(), old.mtime!.getTime());
      const changed = fingerprintFolder(dir, { previous: manifest, now: later });
      equal(changed.hashed, 1);
      equal(changed.fingerprint, full());
      manifest = changed.manifest;
    });

    await t.step("added, removed and renamed manuals", async () => {
      await Deno.writeTextFile(join(dir, "manuals", "a-0.md"), "# Bilge Pump\n\nPump.\n");
      await Deno.rename(join(dir, "manuals", "k-2.md"), join(dir, "manuals", "k-3.md"));
      const changed = fingerprintFolder(dir, { previous: manifest, now: later });
      equal(changed.files, 4);
      equal(changed.hashed, 2, "the new file and the renamed one (a new name) are read");
      equal(changed.fingerprint, full());
      await Deno.remove(join(dir, "manuals", "a-0.md"));
      const removed = fingerprintFolder(dir, { previous: changed.manifest, now: later });
      equal(removed.hashed, 0);
      ok(removed.changed, "a file less is a new manifest");
      equal(removed.fingerprint, full());
    });

    await t.step("products.csv missing, then back", async () => {
      await Deno.rename(join(dir, "products.csv"), join(dir, "products.bak"));
      const missing = fingerprintFolder(dir, { previous: manifest, now: later });
      equal(missing.fingerprint, full());
      await Deno.rename(join(dir, "products.bak"), join(dir, "products.csv"));
      equal(fingerprintFolder(dir, { previous: missing.manifest }).fingerprint, full());
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("fingerprintFolder() does not trust files changed just before it looked", async () => {
  const dir = await Deno.makeTempDir({ prefix: "data-fingerprint-racy-" });
  try {
    await writeFolder(dir);
    // With the real clock the files are a few milliseconds old: racy, so read every time.
    const first = fingerprintFolder(dir);
    const again = fingerprintFolder(dir, { previous: first.manifest });
    equal(again.hashed, 3);
    // Recorded long enough after the last change, they are trusted.
    const settled = fingerprintFolder(dir, {
      previous: first.manifest,
      now: () => Date.now() + RACY_MS + 1_000,
    });
    equal(fingerprintFolder(dir, { previous: settled.manifest }).hashed, 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readManifest() and writeManifest() round-trip, and a damaged file reads as none", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "data-fingerprint-manifest-" });
  try {
    await writeFolder(join(dir, "data"));
    const path = join(dir, "cache", "folder.files.json");
    const { manifest } = fingerprintFolder(join(dir, "data"), { now: later });

    await t.step("written atomically into a new folder, read back equal", () => {
      writeManifest(path, manifest);
      deepEqual([...Deno.readDirSync(join(dir, "cache"))].map((e) => e.name), [
        "folder.files.json",
      ]);
      deepEqual(readManifest(path), manifest);
    });
    await t.step("missing, truncated or of another version: undefined", async () => {
      equal(readManifest(join(dir, "nowhere.json")), undefined);
      const text = await Deno.readTextFile(path);
      await Deno.writeTextFile(path, text.slice(0, text.length / 2));
      equal(readManifest(path), undefined);
      await Deno.writeTextFile(path, JSON.stringify({ ...manifest, version: 99 }));
      equal(readManifest(path), undefined);
      await Deno.writeTextFile(path, JSON.stringify({ ...manifest, hashes: [] }));
      equal(readManifest(path), undefined);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
