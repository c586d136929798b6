/**
 * `deno task seed [--data DIR]`: load and validate a data directory, then upsert it into the
 * configured stores (Azure Cosmos DB and Azure AI Search after provisioning; otherwise the
 * embedded ones, which shows what would be loaded). Manuals are read, chunked, embedded and
 * uploaded a bounded batch at a time, so a large folder never sits in memory; progress goes to
 * stderr (a live line on a terminal, a line every few seconds otherwise). Bad records are
 * reported with file and line and skipped; the manuals line says how many manuals each linking
 * rule linked, and why any were skipped. Idempotent: stable keys mean a second run leaves the
 * same counts, and against Azure AI Search documents whose content hash is unchanged are
 * neither embedded nor uploaded again, while passages a manual no longer has are removed.
 *
 * @module
 */
import { formatConfig, loadConfig, readEnvironment } from "../lib/config/mod.ts";
import { parseCommandLine } from "../lib/cli/args.ts";
import { EXIT, runCommand } from "../lib/cli/exit.ts";
import { createRuntime } from "../lib/runtime/mod.ts";
import { manualLinkSummary, type SeedProgress, type SeedProgressDetail } from "../lib/seed/mod.ts";

const USAGE = `Usage: deno task seed [--data DIR] [--progress-every SECONDS]

  --data DIR                data folder with products.csv, customers/*.json, manuals/*.md,
                            eval/*.jsonl (default: CONTOSO_DATA_DIR or data)
  --progress-every SECONDS  when stderr is not a terminal, a progress line this often
                            (default 5; 0 for one line per stage)`;

/** Ids listed in the "no manual" note before the rest is counted. */
const LISTED_IDS = 20;

const number = (n: number) => n.toLocaleString("en-US");
const count = (n: number, one: string, many: string) => `${number(n)} ${n === 1 ? one : many}`;

function detailText(d: SeedProgressDetail | undefined): string {
  if (!d) return "";
  const parts = [`${number(d.documents)} documents`, `${number(d.embedded)} embedded`];
  if (d.unchanged > 0) parts.push(`${number(d.unchanged)} unchanged`);
  return ` · ${parts.join(", ")}`;
}

/**
 * The progress display: a bar redrawn in place on a terminal (at most ten times a second), or
 * on a pipe a plain line every `everyMs` and when a stage completes.
 */
function progressReporter(tty: boolean, everyMs: number): SeedProgress & { end(): void } {
  const write = (text: string) => Deno.stderr.writeSync(new TextEncoder().encode(text));
  let stage = "";
  let counts = "";
  let last = Date.now();
  let open = false;
  const report = ((s, done, total, detail) => {
    const now = Date.now();
    // The embedding counts ride on the manuals line (its detail), which follows each batch.
    if (s === "embeddings") return;
    const complete = s !== "index" && done >= total;
    const changed = s !== stage;
    stage = s;
    counts = `${number(done)}/${number(total)}${detailText(detail)}`;
    if (tty) {
      if (!complete && !changed && now - last < 100) return;
      const width = 24;
      const filled = total ? Math.min(width, Math.round((done / total) * width)) : width;
      const bar = `[${"#".repeat(filled)}${".".repeat(width - filled)}]`;
      write(`\r\x1b[2K${s.padEnd(10)} ${bar} ${counts}${complete ? "\n" : ""}`);
      open = !complete;
    } else {
      if (!complete && !(everyMs > 0 && now - last >= everyMs)) return;
      write(`seed: ${s} ${counts}\n`);
    }
    last = now;
  }) as SeedProgress & { end(): void };
  report.end = () => {
    if (tty && open) write("\n");
    else if (!tty && stage === "index") write(`seed: ${stage} ${counts}\n`);
    open = false;
  };
  return report;
}

async function main(): Promise<number> {
  const { values } = parseCommandLine(Deno.args, {
    data: { type: "string" },
    "progress-every": { type: "string", default: "5" },
  });
  if (values.help) {
    console.log(USAGE);
    return EXIT.ok;
  }
  const every = Number(values["progress-every"]);
  if (!Number.isFinite(every) || every < 0) {
    console.error(
      `Error: --progress-every must be a number of seconds, got "${
        values["progress-every"]
      }"\n\n${USAGE}`,
    );
    return EXIT.usage;
  }
  const env = readEnvironment();
  const config = loadConfig(env);
  const dir = values.data ?? config.dataDir;
  console.log(`Data folder: ${dir}`);
  console.log(
    `\nTarget stores:\n${
      formatConfig({ ...config, dataDir: dir }).split("\n").filter((l) =>
        /^(customers|products|embedding)/.test(l)
      ).map(
        (l) => `  ${l}`,
      ).join("\n")
    }\n`,
  );
  const runtime = await createRuntime({ ...config, dataDir: dir }, { seed: false, env });
  try {
    const progress = progressReporter(Deno.stderr.isTerminal(), every * 1000);
    const report = await runtime.seed(dir, { onProgress: progress }).finally(() => progress.end());

    console.log(
      `Loaded ${report.products} products, ${report.customersRead} customers, ${report.manuals} manuals, ` +
        `${report.evalRows} evaluation rows`,
    );
    console.log(`  ${manualLinkSummary(report.linkedBy, report.manualsSkipped)}`);
    for (const p of report.problems) {
      console.log(`  skipped ${p.file}${p.line ? `:${p.line}` : ""}: ${p.message}`);
    }
    const manualless = report.productsWithoutManual;
    if (manualless.length > 0) {
      const listed = manualless.slice(0, LISTED_IDS).join(", ");
      const more = manualless.length > LISTED_IDS
        ? `, and ${number(manualless.length - LISTED_IDS)} more`
        : "";
      console.log(`  note: ${manualless.length} products have no manual (${listed}${more})`);
    }
    console.log(
      `Upserted ${report.customers} customers; ${report.products} products and ${report.manualPassages} manual passages (${report.documents} search documents)`,
    );
    console.log(
      `  embedded ${count(report.embedded, "document", "documents")} in ${
        count(report.embedRequests, "request", "requests")
      }; wrote ${number(report.documents - report.unchanged)} to the index in ${
        count(report.uploadBatches, "batch", "batches")
      }` +
        (report.unchanged > 0
          ? `; ${number(report.unchanged)} unchanged (same content hash), not sent again`
          : "") +
        (report.removed > 0
          ? `; removed ${count(report.removed, "document", "documents")} the folder no longer has`
          : ""),
    );
    const [customers, documents] = await Promise.all([
      runtime.customers.count(),
      runtime.products.count(),
    ]);
    console.log(`Store counts now: ${customers} customers, ${documents} search documents`);
    return report.problems.length > 0 && report.products + report.customersRead === 0
      ? EXIT.failed
      : EXIT.ok;
  } finally {
    await runtime.close();
  }
}

Deno.exit(await runCommand(main, { usage: USAGE }));
