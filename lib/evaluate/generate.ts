/**
 * Draft an evaluation set from the product manuals, for a learner to curate. With a real model,
 * passages are sampled (seeded, so a draft can be made again) and the model writes a question
 * and a reference answer from each (`prompts/eval_generate.prompty`, JSON). Offline, the manuals'
 * own FAQ entries become question/answer pairs. Every row is an evaluation row
 * (`{customerId, question, chat_history, intent, truth}`) plus where it came from: `source`
 * ("faq" or "model"), the `passageId` and `productId`, and the model's name. The customer is
 * one who bought the product when there is one, else the first customer, so the pipeline
 * greets someone real.
 *
 * @module
 */
import { join } from "node:path";
import {
  type Manual,
  manualDocuments,
  type Product,
  questionEntries,
  type UnembeddedDocument,
} from "../products/documents.ts";
import { parseManual } from "../products/manual_markdown.ts";
import type { Customer } from "../customers/types.ts";
import { linkManual } from "../seed/link_manual.ts";
import { executePrompty, loadPrompty, type Prompty } from "../prompty/mod.ts";
import type { ChatModel } from "../models/types.ts";
import { resolveProjectPath } from "../runtime/paths.ts";
import { mulberry32 } from "./stats.ts";

/** Where a drafted row came from. */
export type GeneratedSource = "faq" | "model";

/** One drafted row: an evaluation row plus its provenance. */
export interface GeneratedRow {
  customerId: string;
  question: string;
  chat_history: [];
  intent: string;
  truth: string;
  source: GeneratedSource;
  /** The manual passage the question was drafted from (`<productId>-manual-faq-2`). */
  passageId: string;
  productId: string;
  /** The model that wrote it (source "model"). */
  model?: string;
}

/** What a draft needs of a data set. */
export interface GenerateData {
  products: readonly Product[];
  customers: readonly Customer[];
  manuals: readonly Manual[];
}

/** The default number of passages sampled for the model. */
export const DEFAULT_GENERATE_COUNT = 10;
/** The default seed of the passage sample. */
export const DEFAULT_GENERATE_SEED = 42;
/** The generation prompt shipped with the project. */
export const GENERATE_PROMPT = "prompts/eval_generate.prompty";

/**
 * A customer who bought the product, else the first customer (by id), else "1".
 *
 * @example
 * ```ts
 * import { customerFor } from "./generate.ts";
 * console.assert(customerFor([], "7") === "1");
 * ```
 */
export function customerFor(customers: readonly Customer[], productId: string): string {
  const buyer = customers.find((c) => c.orders.some((o) => String(o.productId) === productId));
  if (buyer) return buyer.id;
  const ids = customers.map((c) => c.id).sort((a, b) =>
    a.localeCompare(b, "en", { numeric: true })
  );
  return ids[0] ?? "1";
}

/**
 * `count` items picked without replacement by a seeded shuffle, kept in their original order.
 *
 * @example
 * ```ts
 * import { seededSample } from "./generate.ts";
 * console.assert(seededSample([1, 2, 3, 4], 2, 7).join() === seededSample([1, 2, 3, 4], 2, 7).join());
 * ```
 */
export function seededSample<T>(items: readonly T[], count: number, seed: number): T[] {
  const random = mulberry32(seed);
  const order = items.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order.slice(0, Math.max(0, count)).sort((a, b) => a - b).map((i) => items[i]);
}

const clean = (text: string) =>
  text.replace(/\*\*|__/g, "").replace(/^\s*(?:[-*]\s+)?(?:[QA]\s*\d*\s*[:.)]\s*)?/i, "")
    .replace(/\s+/g, " ").trim();

/**
 * The manuals' FAQ entries as rows (source "faq"): the question line, and the answer under it as
 * the reference; a question that does not name the product (its first word) is prefixed with it ("About the
 * Kettle: …"). With `count`, a seeded sample of that many.
 *
 * @example
 * ```ts
 * import { faqRows } from "./generate.ts";
 * const markdown = "# Kettle\n## FAQ\n**Q: Can it boil sea water?**\nNo, salt damages it.\n\n" +
 *   "**Q: Is it dishwasher safe?**\nYes, top rack.";
 * const rows = faqRows({
 *   products: [{ id: "k1", name: "Kettle", price: 20, category: "Cookware", brand: "B", description: "A kettle." }],
 *   customers: [], manuals: [{ productId: "k1", file: "k1.md", markdown }],
 * });
 * console.assert(rows[1].question === "About the Kettle: Is it dishwasher safe?");
 * console.assert(rows[1].passageId === "k1-manual-faq-2" && rows[1].truth === "Yes, top rack.");
 * ```
 */
export function faqRows(
  data: GenerateData,
  options: { count?: number; seed?: number } = {},
): GeneratedRow[] {
  const products = new Map(data.products.map((p) => [p.id, p]));
  const rows: GeneratedRow[] = [];
  for (const manual of data.manuals) {
    const docs = manualDocuments(manual, products.get(manual.productId));
    for (const section of parseManual(manual.markdown).sections) {
      for (const entry of questionEntries(section.body) ?? []) {
        const [first, ...rest] = entry.split("\n");
        const asked = clean(first);
        const truth = clean(rest.join(" "));
        if (!asked.endsWith("?") || !truth) continue;
        // A FAQ's "Is a footprint included?" relies on the manual it sits in; a customer asking
        // the shop names the product.
        const name = products.get(manual.productId)?.name;
        const model = name?.split(/\s+/)[0].toLowerCase();
        const question = name && model && !asked.toLowerCase().includes(model)
          ? `About the ${name}: ${asked}`
          : asked;
        const passage = docs.find((d) => d.content.includes(first.trim()));
        rows.push({
          customerId: customerFor(data.customers, manual.productId),
          question,
          chat_history: [],
          intent: "faq",
          truth,
          source: "faq",
          passageId: passage?.id ?? `${manual.productId}-manual`,
          productId: manual.productId,
        });
      }
    }
  }
  return options.count === undefined
    ? rows
    : seededSample(rows, options.count, options.seed ?? DEFAULT_GENERATE_SEED);
}

/** Options of {@link modelRows}. */
export interface ModelRowsOptions {
  /** Passages to sample (default {@link DEFAULT_GENERATE_COUNT}). */
  count?: number;
  seed?: number;
  /** The generation prompt (default `prompts/eval_generate.prompty` of the project). */
  prompty?: Prompty;
  signal?: AbortSignal;
  /** Told about each passage that gave no row (model error, reply without the fields). */
  onProblem?: (problem: { passageId: string; message: string }) => void;
}

/** The manual passages a model can draft from (more than a title's worth of text). */
function draftable(docs: UnembeddedDocument[]): UnembeddedDocument[] {
  return docs.filter((d) =>
    d.kind === "manual" && d.content.slice(d.title.length).trim().split(/\s+/).length >= 8
  );
}

/**
 * Rows written by a model from a seeded sample of manual passages (source "model").
 *
 * @example
 * ```ts ignore
 * const rows = await modelRows(data, runtime.chatModel, { count: 20, seed: 7 });
 * ```
 */
export async function modelRows(
  data: GenerateData,
  model: ChatModel,
  options: ModelRowsOptions = {},
): Promise<GeneratedRow[]> {
  const prompty = options.prompty ?? await loadPrompty(resolveProjectPath(GENERATE_PROMPT));
  const products = new Map(data.products.map((p) => [p.id, p]));
  const docs = draftable(
    data.manuals.flatMap((m) => manualDocuments(m, products.get(m.productId))),
  );
  const sample = seededSample(
    docs,
    options.count ?? DEFAULT_GENERATE_COUNT,
    options.seed ?? DEFAULT_GENERATE_SEED,
  );
  const rows: GeneratedRow[] = [];
  for (const doc of sample) {
    options.signal?.throwIfAborted();
    try {
      const reply = await executePrompty(prompty, model, {
        passage: { id: doc.id, title: doc.title, content: doc.content },
      }, { json: true, signal: options.signal });
      const { question, answer } = (reply ?? {}) as Record<string, unknown>;
      if (typeof question !== "string" || !question.trim()) {
        throw new SyntaxError('the reply has no "question" string');
      }
      if (typeof answer !== "string" || !answer.trim()) {
        throw new SyntaxError('the reply has no "answer" string');
      }
      rows.push({
        customerId: customerFor(data.customers, doc.productId),
        question: question.trim(),
        chat_history: [],
        intent: "generated",
        truth: answer.trim(),
        source: "model",
        passageId: doc.id,
        productId: doc.productId,
        model: model.name,
      });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      options.onProblem?.({ passageId: doc.id, message: (error as Error).message });
    }
  }
  return rows;
}

/**
 * Rows as JSON Lines.
 *
 * @example
 * ```ts
 * import { toJsonl } from "./generate.ts";
 * console.assert(toJsonl([]) === "");
 * ```
 */
export function toJsonl(rows: readonly GeneratedRow[]): string {
  return rows.map((r) => JSON.stringify(r)).join("\n") + (rows.length > 0 ? "\n" : "");
}

/**
 * The manuals of a folder, linked to the given products as seeding links them (file name,
 * front matter, declared id, product name); unlinked files are reported, not fatal.
 *
 * @example
 * ```ts ignore
 * const { manuals, problems } = await loadManualsFrom("my-manuals", data.products);
 * ```
 */
export async function loadManualsFrom(
  dir: string,
  products: readonly Product[],
): Promise<{ manuals: Manual[]; problems: string[] }> {
  const manuals: Manual[] = [];
  const problems: string[] = [];
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isFile && entry.name.toLowerCase().endsWith(".md")) names.push(entry.name);
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new TypeError(`Cannot read manuals "${dir}": directory not found`);
    }
    throw error;
  }
  for (const name of names.sort((a, b) => a.localeCompare(b, "en", { numeric: true }))) {
    const markdown = await Deno.readTextFile(join(dir, name));
    const link = linkManual(name, markdown, [...products]);
    if (link.productId === undefined) problems.push(`${name}: ${link.reason}`);
    else manuals.push({ productId: link.productId, file: name, markdown, linkedBy: link.rule });
  }
  return { manuals, problems };
}
