/**
 * Loading a data directory laid out as `products.csv`, `customers/*.json`, `manuals/*.md` and
 * `eval/*.jsonl`. Every record is validated; a bad one is reported with its file and line and
 * skipped, and nothing else is lost. A large folder is scanned first (catalog, customers and
 * evaluation rows read, manuals only listed) and its manuals then read one file at a time
 * ({@link readManuals}), so seeding never holds them all; {@link loadDataSet} collects them.
 *
 * @module
 */
import { basename, join } from "node:path";
import type { Customer } from "../customers/types.ts";
import { ValidationError } from "../errors.ts";
import type { Manual, Product } from "../products/documents.ts";
import { CsvSyntaxError, parseCsv } from "./csv.ts";
import { createManualLinker } from "./link_manual.ts";
import type { EvalRow } from "../evaluate/types.ts";
import { checkCustomer, checkEvalRow, checkProduct } from "./validate.ts";

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

/** File names in natural order ("2" before "10"); one collator, not one per comparison. */
const NAME_ORDER = new Intl.Collator("en", { numeric: true });

// The scan reads synchronously: it runs before anything else at start-up, and for 10,000 manuals
// and 1,000 customer files a synchronous listing and small-file reads took 30 + 20 ms against
// 80 + 190 ms with one await per entry (measured here).
function listFiles(dir: string, ext: string): string[] {
  const names: string[] = [];
  try {
    for (const entry of Deno.readDirSync(dir)) {
      if (entry.isFile && entry.name.toLowerCase().endsWith(ext)) names.push(entry.name);
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  return names.sort(NAME_ORDER.compare);
}

/** Read products.csv. */
export function readProducts(text: string, file: string, problems: DataProblem[]): Product[] {
  let records;
  try {
    records = parseCsv(text);
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) {
      problems.push({ file, message: (error as Error).message });
      return [];
    }
    // An unterminated quote runs to the end of the file: the records before it are whole.
    problems.push({ file, line: error.line, message: error.message });
    records = error.records;
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
 * A data directory with its small parts read and validated and its manuals listed, not read:
 * what {@link readManuals} and streaming seeding start from.
 */
export interface DataScan {
  dir: string;
  products: Product[];
  customers: Customer[];
  /** Evaluation sets by file stem ("test", "jailbreak"). */
  eval: Record<string, EvalRow[]>;
  /** Paths of the manual files (`manuals/*.md`), in name order. */
  manualFiles: string[];
  /** What was skipped in products.csv, the customer files and the evaluation sets. */
  problems: DataProblem[];
}

async function checkDirectory(dir: string): Promise<void> {
  try {
    if (!(await Deno.stat(dir)).isDirectory) {
      throw new ValidationError(`Cannot load data "${dir}": not a directory`);
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new ValidationError(`Cannot load data "${dir}": directory not found`);
    }
    throw error;
  }
}

function readCustomers(dir: string, problems: DataProblem[]): Customer[] {
  const customers: Customer[] = [];
  const customerIds = new Set<string>();
  const customersDir = join(dir, "customers");
  for (const name of listFiles(customersDir, ".json")) {
    const file = join(customersDir, name);
    let doc: unknown;
    try {
      doc = JSON.parse(Deno.readTextFileSync(file));
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
  return customers;
}

async function readEvalSets(
  dir: string,
  problems: DataProblem[],
): Promise<Record<string, EvalRow[]>> {
  const evalSets: Record<string, EvalRow[]> = {};
  const evalDir = join(dir, "eval");
  for (const name of listFiles(evalDir, ".jsonl")) {
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
  return evalSets;
}

/** Options of {@link scanDataSet}. */
export interface ScanOptions {
  /**
   * Read products.csv and list the manuals (default true). Without them the scan has no
   * products and no manual files: what a start that loads a persisted index still needs
   * (customers and evaluation sets) costs 20 ms at 10,000 products instead of 200.
   */
  catalog?: boolean;
}

/**
 * Read and validate the catalog, the customers and the evaluation sets of a data directory,
 * and list its manuals without reading them.
 *
 * @example
 * ```ts ignore
 * const scan = await scanDataSet("data");
 * console.log(scan.products.length, scan.manualFiles.length, scan.problems);
 * ```
 */
export async function scanDataSet(dir: string, options: ScanOptions = {}): Promise<DataScan> {
  await checkDirectory(dir);
  const catalog = options.catalog ?? true;
  const problems: DataProblem[] = [];
  const productsFile = join(dir, "products.csv");
  let products: Product[] = [];
  if (catalog) {
    try {
      products = readProducts(await Deno.readTextFile(productsFile), productsFile, problems);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
      problems.push({ file: productsFile, message: "file not found" });
    }
  }
  const customers = readCustomers(dir, problems);
  const manualsDir = join(dir, "manuals");
  const manualFiles = catalog
    ? listFiles(manualsDir, ".md").map((name) => join(manualsDir, name))
    : [];
  const evalSets = await readEvalSets(dir, problems);
  return { dir, products, customers, eval: evalSets, manualFiles, problems };
}

/** One manual file as {@link readManuals} gives it: linked to a product, or why not. */
export type ManualEntry =
  | { file: string; manual: Manual; problem?: undefined }
  | { file: string; manual?: undefined; problem: DataProblem };

/**
 * The manuals of a scanned directory, read and linked one file at a time (only the current
 * file is held).
 *
 * @example
 * ```ts ignore
 * const scan = await scanDataSet("data");
 * for await (const entry of readManuals(scan)) console.log(entry.file, entry.manual?.productId);
 * ```
 */
export async function* readManuals(
  scan: Pick<DataScan, "products" | "manualFiles">,
): AsyncGenerator<ManualEntry> {
  const link = createManualLinker(scan.products);
  for (const file of scan.manualFiles) {
    const markdown = await Deno.readTextFile(file);
    const name = basename(file);
    const found = link(name, markdown);
    if (found.productId === undefined) yield { file, problem: { file, message: found.reason } };
    else {
      yield {
        file,
        manual: { productId: found.productId, file: name, markdown, linkedBy: found.rule },
      };
    }
  }
}

/**
 * Load and validate a data directory, manuals included (see {@link scanDataSet} and
 * {@link readManuals} for a folder too large to hold).
 *
 * @example
 * ```ts ignore
 * const data = await loadDataSet("data");
 * console.log(data.products.length, data.problems);
 * ```
 */
export async function loadDataSet(dir: string): Promise<DataSet> {
  const scan = await scanDataSet(dir);
  const manuals: Manual[] = [];
  const manualProblems: DataProblem[] = [];
  for await (const entry of readManuals(scan)) {
    if (entry.manual) manuals.push(entry.manual);
    else manualProblems.push(entry.problem);
  }
  // Reported in the folder's order: products, customers, manuals, evaluation rows.
  const evalDir = join(dir, "eval");
  const firstEval = scan.problems.findIndex((p) => p.file.startsWith(evalDir));
  const problems = [...scan.problems];
  problems.splice(firstEval < 0 ? problems.length : firstEval, 0, ...manualProblems);
  return {
    dir,
    products: scan.products,
    customers: scan.customers,
    manuals,
    manualsSkipped: manualProblems.length,
    eval: scan.eval,
    problems,
  };
}
