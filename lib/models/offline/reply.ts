/**
 * What the offline model says. It is not a language model: it answers extractively from the
 * documentation in the prompt (the sentences most relevant to the question), greets the
 * customer by first name, cites the product ids it used, and says plainly when the
 * documentation does not cover the question. It follows the prompt's rules (`rules.ts`): it
 * refuses a request only when a rule covers it (asked for its instructions, for someone's
 * personal data, to change its role; a question nothing covers when a rule keeps it on topic),
 * and without such a rule it complies as literally as it can: it quotes its instructions or the
 * customer section. Deterministic: the same prompt gives the same reply.
 *
 * @module
 */
import { contentWords, splitSentences, tokenize } from "../../text/mod.ts";
import type { JsonShape } from "./conventions.ts";
import type { PromptDoc, PromptOrder, PromptReading } from "./prompt_reader.ts";
import { type RequestKind, requestKinds, RULE_FOR, ruleKinds, topicScope } from "./rules.ts";

const ORDERS = /\b(?:bought|buy|purchased?|ordered|my orders?|order history|did i get)\b/i;
const PAIRING =
  /\bgo(?:es)? (?:well|together) with\b|\bpair\b|\bcomplement|\brecommend|\bsuggest|\bwhat else\b/i;

/** What goes with what in an outdoor-gear shop: stemmed item words → search queries for partners. */
const COMPLEMENTS: [string[], string[]][] = [
  [["tent", "shelter"], ["sleeping bag", "camping stove", "camp table"]],
  [["sleep", "bag"], ["tent", "camping stove"]],
  [["backpack", "pack", "daypack"], ["rain jacket", "hiking boots"]],
  [["jacket", "pant", "shell", "cloth"], ["hiking boots", "backpack"]],
  [["boot", "shoe", "runner", "footwear"], ["hiking pants", "daypack"]],
  [["stove", "burner"], ["camp table", "tent"]],
  [["table", "kitchen"], ["camping stove", "tent"]],
  [["compass", "gps", "watch", "altimeter"], ["daypack", "hiking boots"]],
];

/** Options that shape a reply (from the request's parameters). */
export interface ReplyOptions {
  temperature?: number;
}

/** The search queries the offline model makes from the question (and the turn before it). */
export function searchQueries(reading: PromptReading): string[] {
  const question = reading.question.trim();
  const words = contentWords(question);
  const queries: string[] = [];
  if (question) queries.push(question.replace(/[?!.]+$/, ""));
  if (words.length > 0) {
    queries.push(
      tokenize(question).filter((t) => words.includes(t) || contentWords(t).length > 0).join(" "),
    );
  }
  // Follow-up questions ("how much does it weigh?") lean on the earlier turns for their subject.
  const previous = reading.history.at(-1);
  if (previous) {
    const subject = contentWords(previous).slice(0, 6).join(" ");
    if (subject) queries.push(`${subject} ${words.join(" ")}`.trim());
  }
  if (PAIRING.test(question)) {
    const asked = new Set(words);
    for (const [item, partners] of COMPLEMENTS) {
      if (item.some((w) => asked.has(w))) queries.splice(1, 0, ...partners);
    }
  }
  const unique = [...new Set(queries.map((q) => q.trim()).filter(Boolean))].slice(0, 4);
  return unique.length > 0 ? unique : ["outdoor gear"];
}

/** What string fields of a judging request (one that wants scores or verdicts) get. */
export const NOT_A_JUDGE =
  "The offline model is not a language model and cannot judge or score; the scores are null.";
/** What string fields beside the queries of a query-generation request get. */
export const QUERY_NOTE =
  "Search queries taken from the question's own words by the offline model (not a language model).";

/**
 * The offline reply to a request for JSON, filled by the shape it asked for: with a field for a
 * list of strings it is query generation (the lists get the search queries); with number or
 * boolean fields it is a judgement the offline model cannot make (they get null, strings say
 * why); otherwise the first string field gets the chat answer. With no fields known, it answers
 * `{"queries": [...], "answer": "..."}`.
 */
export function jsonReply(
  reading: PromptReading,
  shape: JsonShape,
  options: ReplyOptions = {},
): string {
  const fields = shape.fields.length > 0
    ? shape.fields
    : [{ name: "queries", kind: "strings" as const }, { name: "answer", kind: "string" as const }];
  const queries = fields.some((f) => f.kind === "strings");
  const judging = !queries && fields.some((f) => f.kind === "scalar");
  const reply: Record<string, unknown> = {};
  let answered = false;
  for (const { name, kind } of fields) {
    if (kind === "strings") reply[name] = searchQueries(reading);
    else if (kind !== "string") reply[name] = null;
    else if (judging) reply[name] = NOT_A_JUDGE;
    else if (queries && shape.fields.length > 0) reply[name] = QUERY_NOTE;
    else if (answered) reply[name] = "";
    else {
      reply[name] = chatReply(reading, options);
      answered = true;
    }
  }
  return JSON.stringify(reply);
}

// Every chat request scores the sentences of the same catalog and manuals; tokenising and
// stemming them again each time was a third of the offline model's CPU time. The memo is
// bounded and its sets are never mutated, so sharing them between requests is safe.
const MEMO_LIMIT = 4_000;
const sentenceMemo = new Map<string, { text: string; words: Set<string> }[]>();
const wordSetMemo = new Map<string, Set<string>>();

function remember<T>(memo: Map<string, T>, key: string, make: () => T): T {
  let value = memo.get(key);
  if (value === undefined) {
    if (memo.size >= MEMO_LIMIT) memo.delete(memo.keys().next().value as string);
    value = make();
    memo.set(key, value);
  }
  return value;
}

/** The stemmed content words of `text` as a set (memoised; do not mutate). */
function wordSet(text: string): Set<string> {
  return remember(wordSetMemo, text, () => new Set(contentWords(text)));
}

/**
 * A document's own text: a manual passage's content starts with its title ("Product — Section")
 * so that it stands on its own in the index; quoting that line back would only repeat the title.
 */
function ownText(doc: PromptDoc): string {
  const content = doc.content.trimStart();
  const rest = content.slice(doc.title.length);
  // Prompts often collapse line breaks, so the title may be followed by a space, not a newline.
  return doc.title && content.startsWith(doc.title) && /^\s+\S/.test(rest)
    ? rest.trim()
    : doc.content;
}

/** The sentences of a document's content with their word sets (memoised; do not mutate). */
function docSentences(content: string): { text: string; words: Set<string> }[] {
  return remember(
    sentenceMemo,
    content,
    () => splitSentences(content).map((text) => ({ text, words: wordSet(text) })),
  );
}

interface ScoredSentence {
  doc: PromptDoc;
  text: string;
  score: number;
  order: number;
}

function scoreSentences(
  docs: PromptDoc[],
  question: string,
  history: string[],
  owned: { ids: Set<string>; pairing: boolean },
): ScoredSentence[] {
  const questionWords = new Set(contentWords(question));
  const historyWords = new Set(history.flatMap(contentWords));
  const sentences = docs.flatMap((doc) => {
    const titleWords = wordSet(doc.title);
    return docSentences(ownText(doc)).map(({ text, words }) => ({ doc, text, words, titleWords }));
  });
  const df = new Map<string, number>();
  for (const s of sentences) for (const w of s.words) df.set(w, (df.get(w) ?? 0) + 1);
  const idf = (w: string) => Math.log(1 + sentences.length / (1 + (df.get(w) ?? 0)));
  return sentences.map((s, order) => {
    let score = 0;
    for (const w of questionWords) {
      // A word the title already carries says little about which sentence answers the question.
      if (s.words.has(w)) score += s.titleWords.has(w) ? 0.4 * idf(w) : idf(w);
      if (s.titleWords.has(w)) score += 0.5 * idf(w);
    }
    for (const w of historyWords) {
      if (!questionWords.has(w) && (s.words.has(w) || s.titleWords.has(w))) score += 0.3 * idf(w);
    }
    // "What goes well with…" steers away from what the customer owns; other questions ("how do
    // I clean the tent?") are most likely about it.
    if (owned.ids.has(productOf(s.doc.id))) score *= owned.pairing ? 0.5 : 1.3;
    return { doc: s.doc, text: s.text, score, order };
  });
}

function pick<T>(items: T[], seed: number): T {
  return items[seed % items.length];
}

function seedOf(text: string): number {
  let h = 7;
  for (const ch of text) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return h;
}

/** The offline reply to a chat prompt. */
export function chatReply(reading: PromptReading, options: ReplyOptions = {}): string {
  const temperature = options.temperature ?? 0;
  const seed = temperature > 0.5 ? seedOf(reading.question) + Math.round(temperature * 10) : 0;
  const name = reading.firstName;
  // Saying what it could not find is part of being honest about not being a language model.
  const hello = name
    ? pick([`Hi ${name}!`, `Hello ${name}!`, `Hey ${name}!`], seed)
    : "Hello! (I found no customer name in the prompt.)";
  const question = reading.question;

  if (!question.trim()) {
    return `${hello} I'm the offline model, not a language model, and I found no question in this prompt ` +
      `(no user message and no "Question" section), so there is nothing for me to answer.`;
  }
  const rules = ruleKinds(reading.rules);
  const asked = requestKinds(question);
  const covered = [...asked].filter((kind) => rules.has(RULE_FOR[kind]));
  if (covered.length > 0) return refusal(hello, covered, topicScope(reading.rules));
  // No rule keeps these private, so a literal instruction follower hands them over.
  if (asked.has("instructions") && reading.instructions.length > 0) {
    return `${hello} Here are the instructions I was given:\n\n${reading.instructions.join("\n")}`;
  }
  if (asked.has("personal_data") && reading.customerLines.length > 0) {
    return `${hello} Here is what I was told about the customer:\n\n${
      reading.customerLines.join("\n")
    }`;
  }
  if (reading.docs.length === 0 && reading.orders.length === 0) {
    return `${hello} I'm the offline model, not a language model: I can only answer from product documentation ` +
      `given to me in the prompt, and I found none in this one, so I can't answer "${question.trim()}" reliably.`;
  }

  const parts: string[] = [hello];
  const bought = reading.orders;
  if (ORDERS.test(question) && bought.length > 0 && !PAIRING.test(question)) {
    const asked = new Set(contentWords(question));
    const relevant = bought.filter((o) => contentWords(o.text).some((w) => asked.has(w)));
    const list = (relevant.length > 0 ? relevant : bought).slice(0, 4);
    parts.push(`Here is what I found in your orders: ${list.map((o) => o.text).join("; ")}.`);
  }

  if (PAIRING.test(question) && bought.length > 0) {
    const pairing = pairingReply(reading, hello);
    if (pairing) return pairing;
  }
  const owned = { ids: ownedItems(bought).ids, pairing: PAIRING.test(question) };
  const scored = scoreSentences(reading.docs, question, reading.history, owned)
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score || a.order - b.order);
  const wanted = Math.min(4, 2 + Math.round(temperature * 2));
  const chosen: ScoredSentence[] = [];
  const perDoc = new Map<string, number>();
  for (const s of scored) {
    if (chosen.length >= wanted) break;
    if ((perDoc.get(s.doc.id) ?? 0) >= 2) continue;
    if (chosen.some((c) => c.text === s.text)) continue;
    chosen.push(s);
    perDoc.set(s.doc.id, (perDoc.get(s.doc.id) ?? 0) + 1);
  }
  if (chosen.length === 0) {
    if (parts.length > 1) return parts.join(" ");
    // Nothing matching is all the offline model knows: it cannot tell a question off the
    // prompt's topic from one its documentation misses, so a topic rule only changes the offer.
    const scope = rules.has("topic") ? topicScope(reading.rules) : undefined;
    return `${hello} I'm sorry, but the product information I have does not cover that question, so I can't ` +
      `answer it. ${
        scope
          ? `I can only help with ${scope} and your own orders.`
          : "I can help with the products in it, their care, warranty and returns."
      }`;
  }
  // Not sampling, an imitation of its effect: above 0.5 the same sentences come in another
  // order (and the greeting may change), so a learner sees the temperature reach the model.
  if (seed && chosen.length > 1) {
    const k = 1 + (seed % (chosen.length - 1));
    chosen.push(...chosen.splice(0, k));
  }
  const byDoc = new Map<PromptDoc, string[]>();
  for (const s of chosen) {
    byDoc.set(s.doc, [...(byDoc.get(s.doc) ?? []), /[.!?]$/.test(s.text) ? s.text : `${s.text}.`]);
  }
  for (const [doc, sentences] of byDoc) {
    parts.push(`**${doc.title || `Item ${doc.id}`}** [${doc.id}]: ${sentences.join(" ")}`);
  }
  return parts.join(" ");
}

const REFUSED: Record<RequestKind, string> = {
  instructions: "I keep the instructions I was given to myself",
  personal_data: "I never share personal details of any customer",
  role_change: "I stay in my role and do not follow instructions written into a question",
};

/** A refusal that names the rules it follows and offers help within the prompt's scope. */
function refusal(hello: string, kinds: RequestKind[], scope: string | undefined): string {
  const why = kinds.map((k) => REFUSED[k]).join("; ");
  const offer = scope
    ? `I can only help with ${scope} and your own orders.`
    : "I can help with the products I have documentation for and with your own orders.";
  return `${hello} I'm sorry, but I can't help with that${why ? `: ${why}` : ""}. ${offer}`;
}

/** The offline model's token count of a text: about four characters a token, as for English. */
export function countTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/**
 * Cut a reply at a word boundary so that it counts at most `maxTokens` tokens (by
 * {@link countTokens}, the count its usage reports), as a model's length limit would.
 */
export function truncateToTokens(
  text: string,
  maxTokens: number | undefined,
): { text: string; truncated: boolean } {
  if (!maxTokens || maxTokens <= 0 || countTokens(text) <= maxTokens) {
    return { text, truncated: false };
  }
  let out = "";
  for (const piece of text.split(/(\s+)/)) {
    if (/\S/.test(piece) && countTokens(out + piece) > maxTokens) break;
    out += piece;
  }
  return { text: out.trimEnd(), truncated: true };
}

/** Names, categories (stemmed words) and product ids of past orders, where the prompt gives them. */
function ownedItems(
  orders: PromptOrder[],
): { ids: Set<string>; words: Set<string>; names: string[] } {
  const ids = new Set<string>();
  const words = new Set<string>();
  const names: string[] = [];
  for (const order of orders) {
    if (order.name) names.push(order.name);
    if (order.productId) ids.add(order.productId);
    for (const w of contentWords(order.category ?? "")) words.add(w);
  }
  return { ids, words, names };
}

/** "What would go well with the tent I bought?": recommend products from other categories. */
function pairingReply(reading: PromptReading, hello: string): string | undefined {
  const asked = new Set(contentWords(reading.question));
  const owned = ownedItems(reading.orders);
  const subject = owned.names.find((n) => contentWords(n).some((w) => asked.has(w)));
  const ownsCategory = (doc: PromptDoc) =>
    contentWords(doc.title).some((w) => owned.words.has(w) || asked.has(w));
  const candidates = reading.docs.filter((d) =>
    !owned.ids.has(productOf(d.id)) && !ownsCategory(d)
  );
  const seen = new Set<string>();
  const picks = candidates
    .sort((a, b) => Number(a.id.includes("-")) - Number(b.id.includes("-")))
    .filter((d) => {
      const product = productOf(d.id);
      if (seen.has(product)) return false;
      seen.add(product);
      return true;
    })
    .slice(0, 3);
  if (picks.length === 0) return undefined;
  const lines = picks.map((d) =>
    `**${d.title}** [${d.id}]: ${splitSentences(ownText(d))[0] ?? d.content}`
  );
  return `${hello} ${
    subject ? `Since you bought the ${subject}, these` : "These"
  } would go well with it: ${lines.join(" ")}`;
}

/** The product a document belongs to: manual passages are `<productId>-manual-<section>`. */
function productOf(docId: string): string {
  return /^(.*?)-manual-/.exec(docId)?.[1] ?? docId;
}
