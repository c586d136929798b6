/**
 * Search quality, measured: a labelled query set (one JSON object per line:
 * `{id, question, productId, section?}`) is run through a {@link ProductSearch} the way the chat
 * pipeline's search step runs a query (its text plus its embedding), and scored by top-1
 * accuracy and mean reciprocal rank over the top hits. A query without `section` asks for the
 * product (any document of that product counts); with `section` it asks for that manual section,
 * matched by the hit's product id and its title "Product — Section", case-insensitively, so a
 * passage whose title names several merged sections still counts. Labels never name passage ids,
 * which change when small sections are merged. Top-1 manual hits whose text is tiny (fewer than
 * {@link TINY_SECTION_WORDS} words, and not a FAQ question with its answer) are counted: a
 * one-line section outranking real content is the failure this guards against.
 *
 * @module
 */
import { ValidationError } from "../errors.ts";
import type { EmbeddingModel } from "../models/types.ts";
import { isTinyPassage, MIN_PASSAGE_WORDS } from "./documents.ts";
import type { ProductSearch, SearchHit } from "./types.ts";

/**
 * A manual passage with fewer words than this is "tiny": the threshold under which seeding merges
 * a section into its neighbour, so a tiny passage winning means a section escaped the merge.
 */
export const TINY_SECTION_WORDS = MIN_PASSAGE_WORDS;

/** One labelled query: the question and where its answer is. */
export interface LabelledQuery {
  id: string;
  question: string;
  /** The product the answer belongs to. */
  productId: string;
  /** The manual section heading that answers it; absent for product questions. */
  section?: string;
}

/** How one query fared. */
export interface QueryOutcome {
  query: LabelledQuery;
  /** 1-based rank of the first expected hit, or undefined when none is in the top hits. */
  rank?: number;
  /** The first hit (what top-1 accuracy judges). */
  top?: SearchHit;
  /**
   * True when the first hit is a manual passage of fewer than {@link TINY_SECTION_WORDS} words
   * that is not a question with its answer (see `isTinyPassage`).
   */
  tinyTop: boolean;
}

/** The figures of one query set. */
export interface SearchQualityReport {
  queries: number;
  /** Share of queries whose first hit is expected (0–1). */
  top1: number;
  /** Mean reciprocal rank over the top `depth` hits (0–1). */
  mrr: number;
  /** How many hits were looked at per query. */
  depth: number;
  /** Queries whose first hit was a tiny manual passage. */
  tinyWins: number;
  outcomes: QueryOutcome[];
}

function fail(file: string, line: number, message: string): never {
  throw new ValidationError(`Cannot load queries "${file}" (line ${line}): ${message}`);
}

/**
 * Parse a labelled query set (JSON Lines). Every row is checked; the first bad one throws a
 * `SyntaxError` naming the file and line.
 *
 * @example
 * ```ts
 * import { parseLabelledQueries } from "./search_eval.ts";
 * const [q] = parseLabelledQueries('{"id":"q1","question":"tent care?","productId":"1","section":"Care"}', "q.jsonl");
 * console.assert(q.section === "Care");
 * ```
 */
export function parseLabelledQueries(text: string, file: string): LabelledQuery[] {
  const queries: LabelledQuery[] = [];
  const ids = new Set<string>();
  text.split("\n").forEach((raw, i) => {
    if (!raw.trim()) return;
    let row: Record<string, unknown>;
    try {
      row = JSON.parse(raw);
    } catch (error) {
      fail(file, i + 1, `invalid JSON: ${(error as Error).message}`);
    }
    if (typeof row !== "object" || row === null || Array.isArray(row)) {
      fail(file, i + 1, "expected an object");
    }
    for (const key of ["id", "question", "productId"]) {
      if (typeof row[key] !== "string" || !(row[key] as string).trim()) {
        fail(file, i + 1, `"${key}" must be a non-empty string`);
      }
    }
    if (row.section !== undefined && (typeof row.section !== "string" || !row.section.trim())) {
      fail(file, i + 1, `"section" must be a non-empty string when present`);
    }
    const id = row.id as string;
    if (ids.has(id)) fail(file, i + 1, `duplicate query id "${id}"`);
    ids.add(id);
    queries.push({
      id,
      question: row.question as string,
      productId: row.productId as string,
      ...(row.section ? { section: row.section as string } : {}),
    });
  });
  return queries;
}

/** Read and parse a labelled query set. */
export async function loadLabelledQueries(file: string): Promise<LabelledQuery[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new ValidationError(`Cannot load queries "${file}": file not found`);
    }
    throw error;
  }
  return parseLabelledQueries(text, file);
}

const normalise = (s: string) => s.toLowerCase().replace(/\s+/g, " ").trim();

/** The section part of a passage title "Product — Section" (the whole title when there is none). */
function sectionPart(title: string): string {
  const at = title.indexOf(" — ");
  return at < 0 ? title : title.slice(at + 3);
}

/**
 * Whether a hit is what the query expects: same product, and for a section query a manual
 * passage whose title's section part contains the heading as whole words.
 */
export function matchesQuery(hit: SearchHit, query: LabelledQuery): boolean {
  if (hit.productId !== query.productId) return false;
  if (!query.section) return true;
  if (hit.kind !== "manual") return false;
  const heading = normalise(query.section).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(^|[^\\p{L}\\p{N}])${heading}($|[^\\p{L}\\p{N}])`, "u")
    .test(normalise(sectionPart(hit.title)));
}

/** Words of a passage's own text (a leading copy of its title, if the passage carries one, is not counted). */
export function passageWords(hit: Pick<SearchHit, "title" | "content">): number {
  let text = hit.content.trim();
  if (text.startsWith(hit.title)) text = text.slice(hit.title.length);
  return text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

/**
 * Run every query through the search (text and embedding, as the chat pipeline's search step
 * does) and score the results.
 *
 * @example
 * ```ts ignore
 * const report = await evaluateSearch(runtime.products, runtime.embeddingModel, queries);
 * console.log(report.top1, report.mrr);
 * ```
 */
export async function evaluateSearch(
  search: ProductSearch,
  embeddings: EmbeddingModel,
  queries: readonly LabelledQuery[],
  options: { depth?: number } = {},
): Promise<SearchQualityReport> {
  const depth = options.depth ?? 10;
  const vectors = queries.length ? await embeddings.embed(queries.map((q) => q.question)) : [];
  const outcomes: QueryOutcome[] = [];
  for (const [i, query] of queries.entries()) {
    const hits = await search.search({ text: query.question, vector: vectors[i] }, {
      top: depth,
    });
    const at = hits.findIndex((h) => matchesQuery(h, query));
    const top = hits[0];
    outcomes.push({
      query,
      ...(at >= 0 ? { rank: at + 1 } : {}),
      ...(top ? { top } : {}),
      tinyTop: top?.kind === "manual" && isTinyPassage(top),
    });
  }
  const n = outcomes.length || 1;
  return {
    queries: outcomes.length,
    top1: outcomes.filter((o) => o.rank === 1).length / n,
    mrr: outcomes.reduce((sum, o) => sum + (o.rank ? 1 / o.rank : 0), 0) / n,
    depth,
    tinyWins: outcomes.filter((o) => o.tinyTop).length,
    outcomes,
  };
}

/** What a query expected, as text: `3 / Warranty` or `3 (product)`. */
export function describeExpected(query: LabelledQuery): string {
  return query.section ? `${query.productId} / ${query.section}` : `${query.productId} (product)`;
}

/**
 * The misses of a report, one line each: query → expected, got the first hit (and the rank
 * where the expected hit was, if anywhere in the top hits).
 */
export function formatMisses(report: SearchQualityReport): string[] {
  return report.outcomes.filter((o) => o.rank !== 1).map((o) => {
    const got = o.top ? `${o.top.productId} "${o.top.title}"` : "nothing";
    const where = o.rank ? `expected at rank ${o.rank}` : `not in the top ${report.depth}`;
    const tiny = o.tinyTop ? ", a tiny section" : "";
    return `${o.query.id} "${o.query.question}" → expected ${
      describeExpected(o.query)
    }; got ${got}${tiny} (${where})`;
  });
}
