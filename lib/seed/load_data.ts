/**
 * Loading a data directory laid out as `products.csv`, `customers/*.json`, `manuals/*.md` and
 * `eval/*.jsonl`. Every record is validated; a bad one is reported with its file and line and
 * skipped, and nothing else is lost.
 *
 * @module
 */
import { join } from "node:path";
import type { Customer } from "../customers/types.ts";
import type { Manual, Product } from "../products/documents.ts";
import { parseCsv } from "./csv.ts";
import { linkManual } from "./link_manual.ts";
import { checkCustomer, checkEvalRow, checkProduct, type EvalRow } from "./validate.ts";

/** A record that was skipped, and why. */
export interface DataProblem {
  file: string;
  line?: number;
  message: string;
}

/** Everything in a data directory. */
export interface DataSet {
  dir: string;
  products: Product[];
  customers: Customer[];
  /** The manuals linked to a product (each says by which rule, see {@link linkManual}). */
  manuals: Manual[];
  /** How many manuals were skipped (unlinked or ambiguous; the reasons are in `problems`). */
  manualsSkipped: number;
  /** Evaluation sets by file stem ("test", "jailbreak"). */
  eval: Record<string, EvalRow[]>;
  problems: DataProblem[];
}

const REQUIRED_COLUMNS = ["id", "name", "price", "category", "brand", "description"];

async function listFiles(dir: string, ext: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isFile && entry.name.toLowerCase().endsWith(ext)) names.push(entry.name);
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  return names.sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
}

/** Read products.csv. */
export function readProducts(text: string, file: string, problems: DataProblem[]): Product[] {
  let records;
  try {
    records = parseCsv(text);
  } catch (error) {
    problems.push({ file, message: (error as Error).message });
    return [];
  }
  if (records.length === 0) {
    problems.push({ file, message: "the file is empty" });
    return [];
  }
  const header = records[0].fields.map((h) => h.trim().toLowerCase());
  const missing = REQUIRED_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    problems.push({
      file,
      line: 1,
      message: `missing column${missing.length > 1 ? "s" : ""}: ${missing.join(", ")}`,
    });
    if (missing.includes("id") || missing.includes("name")) return [];
  }
  const seen = new Set<string>();
  const products: Product[] = [];
  for (const record of records.slice(1)) {
    if (record.fields.length !== header.length) {
      problems.push({
        file,
        line: record.line,
        message: `expected ${header.length} fields, found ${record.fields.length}`,
      });
      continue;
    }
    const row = Object.fromEntries(header.map((h, i) => [h, record.fields[i]]));
    const checked = checkProduct(row);
    if (!checked.ok) {
      problems.push({ file, line: record.line, message: checked.errors.join("; ") });
    } else if (seen.has(checked.value.id)) {
      problems.push({
        file,
        line: record.line,
        message: `duplicate product id "${checked.value.id}"`,
      });
    } else {
      seen.add(checked.value.id);
      products.push(checked.value);
    }
  }
  return products;
}

/**
 * Load and validate a data directory.
 *
 * @example
 * ```ts ignore
 * const data = await loadDataSet("data");
 * console.log(data.products.length, data.problems);
 * ```
 */
export async function loadDataSet(dir: string): Promise<DataSet> {
  const problems: DataProblem[] = [];
  try {
    if (!(await Deno.stat(dir)).isDirectory) {
      throw new TypeError(`Cannot load data "${dir}": not a directory`);
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new TypeError(`Cannot load data "${dir}": directory not found`);
    }
    throw error;
  }

  const productsFile = join(dir, "products.csv");
  let products: Product[] = [];
  try {
    products = readProducts(await Deno.readTextFile(productsFile), productsFile, problems);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    problems.push({ file: productsFile, message: "file not found" });
  }

  const customers: Customer[] = [];
  const customerIds = new Set<string>();
  const customersDir = join(dir, "customers");
  for (const name of await listFiles(customersDir, ".json")) {
    const file = join(customersDir, name);
    let doc: unknown;
    try {
      doc = JSON.parse(await Deno.readTextFile(file));
    } catch (error) {
      problems.push({ file, message: `invalid JSON: ${(error as Error).message}` });
      continue;
    }
    for (const [i, item] of (Array.isArray(doc) ? doc : [doc]).entries()) {
      const checked = checkCustomer(item);
      const where = Array.isArray(doc) ? ` (item ${i + 1})` : "";
      if (!checked.ok) problems.push({ file, message: `${checked.errors.join("; ")}${where}` });
      else if (customerIds.has(checked.value.id)) {
        problems.push({ file, message: `duplicate customer id "${checked.value.id}"${where}` });
      } else {
        customerIds.add(checked.value.id);
        customers.push(checked.value);
      }
    }
  }

  const manuals: Manual[] = [];
  let manualsSkipped = 0;
  const manualsDir = join(dir, "manuals");
  for (const name of await listFiles(manualsDir, ".md")) {
    const file = join(manualsDir, name);
    const markdown = await Deno.readTextFile(file);
    const link = linkManual(name, markdown, products);
    if (link.productId === undefined) {
      problems.push({ file, message: link.reason });
      manualsSkipped++;
      continue;
    }
    manuals.push({ productId: link.productId, file: name, markdown, linkedBy: link.rule });
  }

  const evalSets: Record<string, EvalRow[]> = {};
  const evalDir = join(dir, "eval");
  for (const name of await listFiles(evalDir, ".jsonl")) {
    const file = join(evalDir, name);
    const rows: EvalRow[] = [];
    (await Deno.readTextFile(file)).split("\n").forEach((text, i) => {
      if (!text.trim()) return;
      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch (error) {
        problems.push({ file, line: i + 1, message: `invalid JSON: ${(error as Error).message}` });
        return;
      }
      const checked = checkEvalRow(doc);
      if (checked.ok) rows.push(checked.value);
      else problems.push({ file, line: i + 1, message: checked.errors.join("; ") });
    });
    evalSets[name.replace(/\.jsonl$/i, "")] = rows;
  }

  return { dir, products, customers, manuals, manualsSkipped, eval: evalSets, problems };
}
