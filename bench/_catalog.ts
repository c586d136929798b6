/**
 * A deterministic catalog generator for the scale benchmark (issue 15): a data folder laid out
 * like `data/` (products.csv, customers/*.json, manuals/*.md, eval/, search/) holding the 24
 * real products, their manuals and the real customers byte for byte, plus as many generated
 * products (each with a manual of about six passages) and customers as asked for. The labelled
 * query sets of `data/search` are copied too, so their answers sit among thousands of
 * distractors in the same categories. Each generated record comes from its own seeded
 * generator (the seed and its id), so the same options always give the same bytes, and the
 * products and manuals of a catalog of 1,000 are the first 1,000 of one of 10,000 (customers'
 * orders are drawn from the whole catalog, so they differ). Manuals use four layouts, one per
 * rule seeding links manuals by (file name, front matter, declared id, product name), with
 * their own headings, tables and question styles.
 *
 * Run: deno run -A bench/_catalog.ts --products 1000 --out /tmp/catalog-1000
 *      [--customers N] [--seed 15] [--source data]
 *
 * @module
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { Customer, Order } from "../lib/customers/types.ts";
import type { Product } from "../lib/products/documents.ts";
import { parseCsv } from "../lib/seed/csv.ts";
import { ROOT } from "./_process.ts";
import { seededRandom } from "./_stats.ts";
import {
  BRANDS,
  CATEGORIES,
  type CategoryWords,
  FIRST_NAMES,
  LAST_NAMES,
  MODEL_HEADS,
  MODEL_TAILS,
  NAME_SUFFIXES,
  RESERVED_MODELS,
  type SpecRule,
  STREETS,
  TOWNS,
} from "./_catalog_words.ts";
import { type ManualLayout, pick, sample, writeManual } from "./_catalog_manual.ts";

export { type ManualLayout, pick, sample };

/** The default seed of generated catalogs. */
export const DEFAULT_SEED = 15;

/** A generated product with what its manual is written from. */
export interface GeneratedProduct extends Product {
  /** The name without the kind ("Corwick 3"), as manuals and questions call it. */
  shortName: string;
  kind: string;
  words: CategoryWords;
  /** "Label: value" specifications, weight first. */
  specs: [string, string][];
  use: string;
}

/** Options of {@link writeCatalog}. */
export interface CatalogOptions {
  /** Products in all, the real ones included (at least as many as the source has). */
  products: number;
  /** Customers in all, the real ones included (default: a tenth of the products, at least the real ones). */
  customers?: number;
  seed?: number;
  /** The folder whose records are kept unchanged (default `data/` of this repository). */
  source?: string;
  /** Called for each generated manual: its file name, its product and its layout. */
  onManual?: (manual: { file: string; productId: string; layout: ManualLayout }) => void;
}

/** What {@link writeCatalog} wrote. */
export interface CatalogSummary {
  dir: string;
  products: number;
  /** Products (and manuals) generated, beside the source's. */
  generated: number;
  customers: number;
  manuals: number;
  /** Generated manuals per layout, named by the seeding rule that links them. */
  layouts: Record<string, number>;
  seed: number;
}

/** A random generator for one record: the same (seed, stream, id) always gives the same values. */
export function recordRandom(seed: number, stream: number, id: number): () => number {
  const mixed = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^
    Math.imul(id + stream * 0x1000193, 0xc2b2ae35);
  const random = seededRandom(mixed >>> 0);
  random();
  return random;
}

function between(random: () => number, low: number, high: number, step: number): number {
  const steps = Math.round((high - low) / step);
  const value = low + Math.floor(random() * (steps + 1)) * step;
  return Number(value.toFixed(step < 1 ? String(step).split(".")[1].length : 0));
}

function specValue(random: () => number, rule: SpecRule): string {
  if (rule.length === 2) return pick(random, rule[1]);
  const [, low, high, step, unit] = rule;
  const value = between(random, low, high, step);
  const text = value >= 10_000 ? value.toLocaleString("en-US") : String(value);
  return unit ? `${text} ${unit}` : text;
}

function grams(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(2)} kg` : `${value} g`;
}

const nameKey = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, " ").trim();

/**
 * Generate product `id` (its category, name, brand, price, specifications and description).
 * `taken` holds the names already used (lower-cased words); the new name is added to it.
 */
export function generateProduct(id: number, seed: number, taken: Set<string>): GeneratedProduct {
  const random = recordRandom(seed, 1, id);
  const words = CATEGORIES[Math.floor(random() * CATEGORIES.length)];
  const kind = pick(random, words.kinds);
  let name = "";
  let shortName = "";
  for (let attempt = 0; !name || taken.has(nameKey(name)); attempt++) {
    let model = "";
    while (!model || RESERVED_MODELS.has(model.toLowerCase())) {
      model = `${pick(random, MODEL_HEADS)}${pick(random, MODEL_TAILS)}`;
    }
    const n = words.number;
    const number = n && random() < 0.8 ? ` ${between(random, n.low, n.high, n.step)}` : "";
    const suffix = attempt < 3 ? pick(random, NAME_SUFFIXES) : `${attempt}`;
    shortName = `${model}${number}`;
    name = `${shortName} ${kind}${suffix ? ` ${suffix}` : ""}`;
  }
  taken.add(nameKey(name));
  const brand = pick(random, BRANDS);
  const price = Math.round(between(random, words.price[0], words.price[1], 1)) +
    pick(random, [0.99, 0.95, 0.5, 0]);
  const weight = Math.round(between(random, words.grams[0], words.grams[1], 10));
  const specs: [string, string][] = [["Weight", grams(weight)]];
  for (const rule of sample(random, words.specs, 3 + Math.floor(random() * 3))) {
    specs.push([rule[0], specValue(random, rule)]);
  }
  const use = pick(random, words.uses);
  const features = sample(random, words.features, 2).map((f) => f.toLowerCase());
  const [s1, s2] = [specs[1], specs[2] ?? specs[0]];
  const description = [
    `${/^[AEIOU]/.test(kind) ? "An" : "A"} ${kind.toLowerCase()} from ${brand} for ${use}, ` +
    `weighing ${grams(weight)}.`,
    `${s1[0]}: ${s1[1]}; ${s2[0].toLowerCase()}: ${s2[1]}.`,
    `It comes with ${features[0]} and ${features[1] ?? "a carry bag"}.`,
  ].slice(0, 2 + Math.floor(random() * 2)).join(" ");
  return {
    id: String(id),
    name,
    price: Number(price.toFixed(2)),
    category: words.category,
    brand,
    description,
    shortName,
    kind,
    words,
    specs,
    use,
  };
}

/** Generate customer `id` with one to four orders of `products` (order ids unique by customer). */
export function generateCustomer(id: number, seed: number, products: readonly Product[]): Customer {
  const random = recordRandom(seed, 2, id);
  const firstName = pick(random, FIRST_NAMES);
  const lastName = pick(random, LAST_NAMES);
  const [town, state, zip] = pick(random, TOWNS);
  const orders: Order[] = [];
  const count = 1 + Math.floor(random() * 4);
  for (let k = 0; k < count; k++) {
    const p = pick(random, products);
    const quantity = random() < 0.8 ? 1 : 2;
    const month = String(1 + Math.floor(random() * 11)).padStart(2, "0");
    const day = String(1 + Math.floor(random() * 28)).padStart(2, "0");
    orders.push({
      id: 100_000 + id * 10 + k,
      productId: /^\d+$/.test(p.id) ? Number(p.id) : p.id,
      quantity,
      total: Number((quantity * p.price).toFixed(2)),
      date: `${random() < 0.4 ? 2025 : 2026}-${month}-${day}`,
      name: p.name,
      unitprice: p.price,
      category: p.category,
      brand: p.brand,
      description: p.description,
    });
  }
  const membership = random() < 0.6 ? "Base" : random() < 0.75 ? "Gold" : "Platinum";
  return {
    id: String(id),
    firstName,
    lastName,
    age: 19 + Math.floor(random() * 56),
    email: `${firstName}.${lastName}${id}@example.com`.toLowerCase(),
    phone: `555-${String(1000 + Math.floor(random() * 9000))}`,
    address: `${1 + Math.floor(random() * 980)} ${pick(random, STREETS)}, ${town}, ${state} ${zip}${
      String(100 + Math.floor(random() * 900))
    }`,
    membership,
    orders,
  };
}

function csvField(value: string | number): string {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The products.csv row of a product (price with two decimals, fields quoted when needed). */
export function productRow(p: Product): string {
  return [p.id, p.name, p.price.toFixed(2), p.category, p.brand, p.description].map(csvField)
    .join(",");
}

async function copyFolder(from: string, to: string, ext: string): Promise<string[]> {
  const names: string[] = [];
  await Deno.mkdir(to, { recursive: true });
  try {
    for await (const entry of Deno.readDir(from)) {
      if (entry.isFile && entry.name.endsWith(ext)) names.push(entry.name);
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  for (const name of names) await Deno.copyFile(join(from, name), join(to, name));
  return names;
}

/**
 * Write a catalog of `options.products` products into `dir` (created; files already there with
 * the same names are overwritten): the source's products.csv rows, manuals, customers, eval and
 * search sets unchanged, then the generated records. Returns what was written.
 *
 * @example
 * ```ts ignore
 * const summary = await writeCatalog("/tmp/catalog-1000", { products: 1000 });
 * console.log(summary.manuals, summary.layouts);
 * ```
 */
export async function writeCatalog(dir: string, options: CatalogOptions): Promise<CatalogSummary> {
  const seed = options.seed ?? DEFAULT_SEED;
  const source = options.source ?? join(ROOT, "data");
  const csvText = await Deno.readTextFile(join(source, "products.csv"));
  const records = parseCsv(csvText);
  const header = records[0].fields.map((h) => h.trim().toLowerCase());
  const real: Product[] = records.slice(1).map((r) => {
    const row = Object.fromEntries(header.map((h, i) => [h, r.fields[i] ?? ""]));
    return { ...row, id: row.id, price: Number(row.price) } as unknown as Product;
  });
  if (options.products < real.length) {
    throw new RangeError(
      `Cannot generate a catalog of ${options.products} products: the source has ${real.length}`,
    );
  }
  await Deno.mkdir(join(dir, "manuals"), { recursive: true });
  const manualNames = await copyFolder(join(source, "manuals"), join(dir, "manuals"), ".md");
  const customerNames = await copyFolder(
    join(source, "customers"),
    join(dir, "customers"),
    ".json",
  );
  await copyFolder(join(source, "eval"), join(dir, "eval"), ".jsonl");
  await copyFolder(join(source, "search"), join(dir, "search"), ".jsonl");

  const taken = new Set(real.map((p) => nameKey(p.name)));
  const firstId = Math.max(0, ...real.map((p) => Number(p.id)).filter(Number.isFinite)) + 1;
  const all: Product[] = [...real];
  const layouts: Record<string, number> = {};
  const csv = await Deno.open(join(dir, "products.csv"), {
    write: true,
    create: true,
    truncate: true,
  });
  const encoder = new TextEncoder();
  try {
    await csv.write(encoder.encode(csvText.endsWith("\n") ? csvText : `${csvText}\n`));
    const batch: string[] = [];
    for (let i = 0; i < options.products - real.length; i++) {
      const product = generateProduct(firstId + i, seed, taken);
      all.push(product);
      batch.push(productRow(product));
      const { file, markdown, layout } = writeManual(product, recordRandom(seed, 3, firstId + i));
      layouts[layout] = (layouts[layout] ?? 0) + 1;
      options.onManual?.({ file, productId: product.id, layout });
      await Deno.writeTextFile(join(dir, "manuals", file), markdown);
      if (batch.length >= 500) await csv.write(encoder.encode(`${batch.splice(0).join("\n")}\n`));
    }
    if (batch.length) await csv.write(encoder.encode(`${batch.join("\n")}\n`));
  } finally {
    csv.close();
  }

  const realCustomerIds = customerNames.map((n) => Number(n.replace(/\.json$/, "")));
  const customers = options.customers ??
    Math.max(customerNames.length, Math.round(options.products / 10));
  const firstCustomer = Math.max(0, ...realCustomerIds.filter(Number.isFinite)) + 1;
  for (let i = 0; i < customers - customerNames.length; i++) {
    const customer = generateCustomer(firstCustomer + i, seed, all);
    await Deno.writeTextFile(
      join(dir, "customers", `${customer.id}.json`),
      `${JSON.stringify(customer, null, 2)}\n`,
    );
  }
  return {
    dir,
    products: all.length,
    generated: all.length - real.length,
    customers: Math.max(customers, customerNames.length),
    manuals: manualNames.length + all.length - real.length,
    layouts,
    seed,
  };
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      products: { type: "string", default: "1000" },
      customers: { type: "string" },
      seed: { type: "string", default: String(DEFAULT_SEED) },
      source: { type: "string" },
      out: { type: "string" },
    },
  });
  if (!values.out) {
    console.error(
      "Usage: deno run -A bench/_catalog.ts --products N --out DIR [--customers N] [--seed S] [--source DIR]",
    );
    Deno.exit(2);
  }
  const started = performance.now();
  const summary = await writeCatalog(values.out, {
    products: Number(values.products),
    customers: values.customers ? Number(values.customers) : undefined,
    seed: Number(values.seed),
    source: values.source,
  });
  console.log(JSON.stringify({ ...summary, ms: Math.round(performance.now() - started) }));
}
