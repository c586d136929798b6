import assert from "node:assert/strict";
import { join } from "node:path";
import { readRuns, runRows } from "./run_list.ts";

Deno.test("readRuns() and runRows() list runs oldest first with intervals", async () => {
  const dir = await Deno.makeTempDir();
  const summary = (name: string, startedAt: string, extra: object) => ({
    name,
    startedAt,
    rows: { total: 10, ok: 9, failed: 1, pending: 0 },
    skipped: [],
    ...extra,
  });
  await Deno.mkdir(join(dir, "b"));
  await Deno.writeTextFile(
    join(dir, "b", "summary.json"),
    JSON.stringify(summary("later", "2026-05-02T12:00:00.000Z", {
      fingerprintId: "f00d",
      metrics: [{
        name: "coherence",
        kind: "judge",
        range: [1, 5],
        mean: 4.25,
        count: 9,
        missing: 0,
        min: 3,
        max: 5,
        interval: { low: 3.9, high: 4.6, level: 0.95, method: "bootstrap" },
      }],
    })),
  );
  await Deno.mkdir(join(dir, "a"));
  await Deno.writeTextFile(
    join(dir, "a", "summary.json"),
    JSON.stringify(summary("earlier", "2026-05-01T08:30:00.000Z", {
      metrics: [{ name: "f1", kind: "text", range: [0, 1], mean: null, count: 0, missing: 9 }],
    })),
  );
  await Deno.mkdir(join(dir, "broken"));
  await Deno.writeTextFile(join(dir, "broken", "summary.json"), "{not json");
  await Deno.writeTextFile(join(dir, "notes.txt"), "not a run");

  const listing = await readRuns(dir);
  assert.deepEqual(listing.runs.map((r) => r.summary.name), ["earlier", "later"]);
  assert.equal(listing.unreadable.length, 1);
  assert.equal(listing.unreadable[0].dir, join(dir, "broken"));
  assert.deepEqual(runRows(listing.runs), [
    {
      run: "earlier",
      date: "2026-05-01 08:30",
      fingerprint: "unknown",
      n: "9/10 (1 failed)",
      f1: "no scores",
      coherence: "",
    },
    {
      run: "later",
      date: "2026-05-02 12:00",
      fingerprint: "f00d",
      n: "9/10 (1 failed)",
      f1: "",
      coherence: "4.25 [3.90, 4.60]",
    },
  ]);
  await assert.rejects(readRuns(join(dir, "missing")), TypeError);
});
