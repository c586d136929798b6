/**
 * The seed CLI end to end: `deno run -A cli/seed.ts` twice prints the same counts (idempotent),
 * `--data DIR` loads another catalog and reports its bad row by file and line, bad arguments
 * exit 2. Against Azure (HTTPS and HTTP stand-ins that hold the services' documented limits), a
 * second seed reads the content hashes back and sends no embedding request and no upload.
 * Real subprocesses.
 *
 * @module
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { VARIABLES } from "../lib/mod.ts";
import { openssl, selfSignedCertificate } from "./_azure_tls.ts";
import { createEmbeddingsStandIn, createSearchStandIn } from "./_azure_seed_stand_ins.ts";

const root = fileURLToPath(new URL("..", import.meta.url));

async function seed(args: string[], env: Record<string, string> = {}) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "cli/seed.ts", ...args],
    cwd: root,
    // Blank every configuration variable: the embedded stores, whatever the machine's .env says.
    env: { ...Object.fromEntries(VARIABLES.map((v) => [v.name, ""])), NO_COLOR: "1", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

const counts = (stdout: string) => ({
  loaded: /^Loaded .*$/m.exec(stdout)?.[0],
  upserted: /^Upserted .*$/m.exec(stdout)?.[0],
  now: /^Store counts now: .*$/m.exec(stdout)?.[0],
});

Deno.test("cli/seed.ts is idempotent, takes --data, and rejects bad arguments", async (t) => {
  const catalog = join(root, "lib/seed/testdata/paddle_catalog");
  const [first, second, other, bogus] = await Promise.all([
    seed([]),
    seed([]),
    seed(["--data", catalog]),
    seed(["--bogus"]),
  ]);

  await t.step("twice on data/ prints the same counts", () => {
    equal(first.code, 0, first.stderr);
    equal(second.code, 0, second.stderr);
    const a = counts(first.stdout);
    deepEqual(counts(second.stdout), a);
    match(a.loaded!, /^Loaded 24 products, 12 customers, 24 manuals, \d+ evaluation rows$/);
    match(a.now!, /^Store counts now: 12 customers, \d+ search documents$/);
    const docs = Number(/(\d+) search documents\)$/.exec(a.upserted!)?.[1]);
    ok(a.now!.endsWith(`${docs} search documents`), "the index holds what was upserted");
    ok(!first.stdout.includes("skipped"), "the repository's data has no bad records");
  });

  await t.step("--data DIR loads another catalog and reports its bad row", () => {
    equal(other.code, 0, other.stderr);
    match(other.stdout, /^Data folder: .*paddle_catalog$/m);
    const loaded = /^Loaded 18 products, 3 customers, (\d+) manuals, 1 evaluation rows$/m.exec(
      other.stdout,
    );
    ok(loaded, other.stdout);
    match(other.stdout, /skipped .*paddle_catalog\/products\.csv:6: name is empty/);
    // Every manual file is either loaded or reported as skipped, and p4, a2, a3 have none.
    const files = [...Deno.readDirSync(join(catalog, "manuals"))].length;
    const skipped = other.stdout.match(/skipped .*paddle_catalog\/manuals\//g)?.length ?? 0;
    equal(Number(loaded[1]) + skipped, files);
    const none = /note: (\d+) products have no manual \(([^)]*)\)/.exec(other.stdout);
    ok(none, other.stdout);
    equal(Number(none[1]), 18 - Number(loaded[1]));
    for (const id of ["p4", "a2", "a3"]) ok(none[2].split(", ").includes(id), none[2]);
    const docs = /(\d+) search documents\)$/m.exec(other.stdout)?.[1];
    match(
      other.stdout,
      new RegExp(`^Store counts now: 3 customers, ${docs} search documents$`, "m"),
    );
  });

  await t.step("bad arguments exit 2", () => {
    equal(bogus.code, 2);
    match(bogus.stderr, /Unknown option '--bogus'/);
    match(bogus.stderr, /Usage: deno task seed \[--data DIR\]/);
  });
});

Deno.test("cli/seed.ts against Azure: progress lines, and a second seed sends nothing", {
  ignore: openssl.ignore,
}, async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "contoso-seed-azure-" });
  const tls = await selfSignedCertificate(dir).catch(async (error) => {
    await Deno.remove(dir, { recursive: true });
    throw error;
  });
  const search = createSearchStandIn("contoso-products");
  const embeddings = createEmbeddingsStandIn("text-embedding-3-small", 64);
  const quiet = { hostname: "127.0.0.1", port: 0, onListen() {} };
  const searchServer = Deno.serve({ ...quiet, cert: tls.cert, key: tls.key }, search.fetch);
  const modelServer = Deno.serve(quiet, (r) => embeddings.fetch(r));
  const env = {
    AZURE_OPENAI_ENDPOINT: `http://127.0.0.1:${modelServer.addr.port}`,
    AZURE_OPENAI_API_KEY: "stand-in",
    AZURE_OPENAI_CHAT_DEPLOYMENT: "gpt-4.1-mini",
    AZURE_OPENAI_EMBEDDING_DEPLOYMENT: "text-embedding-3-small",
    AZURE_OPENAI_EMBEDDING_DIMENSIONS: "64",
    AZURE_SEARCH_ENDPOINT: `https://127.0.0.1:${searchServer.addr.port}`,
    AZURE_SEARCH_API_KEY: "stand-in",
    NODE_EXTRA_CA_CERTS: tls.certFile,
  };
  try {
    const catalog = join(root, "lib/seed/testdata/paddle_catalog");
    const args = ["--data", catalog, "--progress-every", "0"];
    const first = await seed(args, env);
    const afterFirst = {
      embeddings: embeddings.calls.requests.length,
      uploads: search.calls.uploads.length,
    };
    const second = await seed(args, env);

    await t.step("first seed: every document embedded and uploaded, progress on stderr", () => {
      equal(first.code, 0, first.stderr + first.stdout);
      const docs = Number(/\((\d+) search documents\)$/m.exec(first.stdout)?.[1]);
      ok(docs > 18, first.stdout);
      equal(search.documents.size, docs);
      equal(embeddings.calls.refused.length, 0, embeddings.calls.refused.join("; "));
      equal(embeddings.calls.texts.length, docs);
      match(
        first.stdout,
        new RegExp(
          `^  embedded ${docs} documents in ${afterFirst.embeddings} requests?; wrote ${docs} to the index in \\d+ batch(es)?$`,
          "m",
        ),
      );
      match(
        first.stdout,
        new RegExp(`^Store counts now: 3 customers, ${docs} search documents$`, "m"),
      );
      // Not a terminal: one plain line as each stage completes (--progress-every 0).
      const files = [...Deno.readDirSync(join(catalog, "manuals"))].length;
      match(first.stderr, /^seed: customers 3\/3$/m);
      match(
        first.stderr,
        new RegExp(`^seed: manuals ${files}/${files} · \\d+ documents, \\d+ embedded$`, "m"),
      );
      match(
        first.stderr,
        new RegExp(`^seed: index ${docs}/${docs} · ${docs} documents, ${docs} embedded$`, "m"),
      );
      ok(!first.stderr.includes("\r"), "no carriage returns on a pipe");
    });

    await t.step("second seed: zero embedding requests, zero uploads, all unchanged", () => {
      equal(second.code, 0, second.stderr + second.stdout);
      equal(embeddings.calls.requests.length, afterFirst.embeddings, "no embedding request");
      equal(search.calls.uploads.length, afterFirst.uploads, "no upload");
      const docs = search.documents.size;
      match(
        second.stdout,
        new RegExp(
          `^  embedded 0 documents in 0 requests; wrote 0 to the index in 0 batches; ${docs} unchanged \\(same content hash\\), not sent again$`,
          "m",
        ),
      );
      deepEqual(counts(second.stdout).loaded, counts(first.stdout).loaded);
      deepEqual(counts(second.stdout).upserted, counts(first.stdout).upserted);
      ok(search.calls.lookups.length > 0, "the hashes were read back");
    });
  } finally {
    await searchServer.shutdown();
    await modelServer.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});
