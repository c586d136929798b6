/**
 * `deno task seed [--data DIR]`: load and validate a data directory, then upsert it into the
 * configured stores (Azure Cosmos DB and Azure AI Search after provisioning; otherwise the
 * embedded ones, which shows what would be loaded). Bad records are reported with file and
 * line and skipped; the manuals line says how many manuals each linking rule (file name, front
 * matter, declared id, product name) linked, and why any were skipped. Idempotent: stable keys
 * mean a second run leaves the same counts.
 *
 * @module
 */
import { parseArgs } from "node:util";
import {
  ConfigError,
  createRuntime,
  errorMessage,
  formatConfig,
  loadConfig,
  loadDataSet,
  manualLinkSummary,
  readEnvironment,
  seedStores,
} from "../lib/mod.ts";
import type { ProductSearch } from "../lib/mod.ts";

const USAGE = `Usage: deno task seed [--data DIR]

  --data DIR   data folder with products.csv, customers/*.json, manuals/*.md, eval/*.jsonl
               (default: CONTOSO_DATA_DIR or data)`;

function bar(stage: string, done: number, total: number) {
  if (!Deno.stderr.isTerminal()) return;
  const width = 24;
  const filled = total ? Math.round((done / total) * width) : width;
  const line = `\r${stage.padEnd(11)} [${"#".repeat(filled)}${
    ".".repeat(width - filled)
  }] ${done}/${total}`;
  Deno.stderr.writeSync(new TextEncoder().encode(line + (done >= total ? "\n" : "")));
}

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: Deno.args,
      options: { data: { type: "string" }, help: { type: "boolean", short: "h", default: false } },
    }));
  } catch (error) {
    console.error(`Error: ${errorMessage(error)}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const env = readEnvironment();
  const config = loadConfig(env);
  const dir = values.data ?? config.dataDir;
  const data = await loadDataSet(dir);
  console.log(`Data folder: ${dir}`);
  console.log(
    `Loaded ${data.products.length} products, ${data.customers.length} customers, ${data.manuals.length} manuals, ` +
      `${Object.values(data.eval).reduce((n, rows) => n + rows.length, 0)} evaluation rows`,
  );
  console.log(`  ${manualLinkSummary(data.manuals, data.manualsSkipped)}`);
  for (const p of data.problems) {
    console.log(`  skipped ${p.file}${p.line ? `:${p.line}` : ""}: ${p.message}`);
  }
  const manualless = data.products.filter((p) => !data.manuals.some((m) => m.productId === p.id));
  if (manualless.length > 0) {
    console.log(
      `  note: ${manualless.length} products have no manual (${
        manualless.map((p) => p.id).join(", ")
      })`,
    );
  }

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
    const products = runtime.products as ProductSearch & { ensureIndex?: () => Promise<void> };
    if (products.ensureIndex) await products.ensureIndex();
    const counts = await seedStores(data, {
      customers: runtime.customers,
      products,
      embeddings: runtime.embeddingModel,
    }, {
      onProgress: bar,
    });
    console.log(
      `Upserted ${counts.customers} customers; ${counts.products} products and ${counts.manualPassages} manual passages (${counts.documents} search documents)`,
    );
    const [customers, documents] = await Promise.all([
      runtime.customers.count(),
      runtime.products.count(),
    ]);
    console.log(`Store counts now: ${customers} customers, ${documents} search documents`);
    return data.problems.length > 0 && data.products.length + data.customers.length === 0 ? 1 : 0;
  } finally {
    await runtime.close();
  }
}

try {
  Deno.exit(await main());
} catch (error) {
  console.error(`Error: ${errorMessage(error)}`);
  Deno.exit(error instanceof ConfigError || error instanceof TypeError ? 2 : 1);
}
