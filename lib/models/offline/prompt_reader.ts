/**
 * Reading a rendered chat prompt the way the offline model needs it: the question and the
 * earlier turns, the documentation items with their ids, the customer's first name, past orders,
 * whether the system message has a block of safety rules, and an example JSON object if the
 * system message shows one. One pass over the system text with the recognisers of
 * `conventions.ts`; the reading of a system text is memoised, since benchmarks and evaluation
 * send the same prompts again and again.
 *
 * @module
 */
import type { ChatMessage } from "../types.ts";
import {
  cleanTitle,
  FIELD,
  type FieldRole,
  fieldRole,
  firstNameOf,
  HEADING,
  JSON_DOC_KEYS,
  JSON_NAME_KEYS,
  JSON_ORDER_KEYS,
  LABEL,
  LEADING_ID,
  LIST_ITEM,
  NAME_SENTENCES,
  ORDER_LINE,
  type SectionKind,
  sectionKind,
  TITLE_COLON,
  TITLE_SEPARATOR,
  TRAILING_ID,
  TRAILING_ID_HINT,
} from "./conventions.ts";

/** A documentation item found in the prompt. */
export interface PromptDoc {
  id: string;
  title: string;
  content: string;
}

/** A past order found in the prompt. */
export interface PromptOrder {
  /** The order as the prompt wrote it. */
  text: string;
  /** The product's name, when the layout separates it. */
  name?: string;
  productId?: string;
  category?: string;
}

/** What the offline model understood of a system message. */
export interface SystemReading {
  docs: PromptDoc[];
  firstName?: string;
  orders: PromptOrder[];
  hasSafetyRules: boolean;
  /** The rule items of the rules sections (a wrapped item is one rule). */
  rules: string[];
  /** The lines of the system text outside data sections: what the prompt instructs. */
  instructions: string[];
  /** The lines of the customer section, as the prompt wrote them. */
  customerLines: string[];
  /** The text under a "question" heading or label, if any. */
  question?: string;
  /** The first JSON object the system message shows that is not data (an output example). */
  jsonExample?: Record<string, unknown>;
}

/** What the offline model understood of a prompt. */
export interface PromptReading extends SystemReading {
  question: string;
  history: string[];
  system: string;
}

const MEMO_LIMIT = 512;
const memo = new Map<string, SystemReading>();

/**
 * Parse the messages of a chat completion request. The question is the last message when it
 * is the user's; otherwise the text under a "question" heading in the system message, or
 * else the last user message. Earlier user turns are the history.
 */
export function readPrompt(messages: ChatMessage[]): PromptReading {
  const system = messages.filter((m) => m.role === "system").map((m) => m.content).join("\n");
  let reading = memo.get(system);
  if (!reading) {
    if (memo.size >= MEMO_LIMIT) memo.delete(memo.keys().next().value as string);
    reading = readSystem(system);
    memo.set(system, reading);
  }
  const lastUser = messages.findLastIndex((m) => m.role === "user");
  const fromSystem = reading.question !== undefined &&
    (lastUser < 0 || lastUser < messages.length - 1);
  const question = fromSystem ? reading.question! : lastUser >= 0 ? messages[lastUser].content : "";
  const end = fromSystem ? messages.length : Math.max(lastUser, 0);
  const history = messages.slice(0, end).filter((m) => m.role === "user").map((m) => m.content);
  return { ...reading, question, history, system };
}

interface Block {
  fields: Partial<Record<FieldRole, string>>;
  extra: string[];
  section?: SectionKind;
  topLevel: boolean;
}

/** Read one system text (exported for tests and benchmarks; `readPrompt` memoises it). */
export function readSystem(text: string): SystemReading {
  const docs: PromptDoc[] = [];
  const orders: PromptOrder[] = [];
  const names: { first: string[]; full: string[] } = { first: [], full: [] };
  let jsonExample: Record<string, unknown> | undefined;
  const { rest, values } = extractJson(text);
  for (const value of values) {
    const before = docs.length + orders.length + names.first.length + names.full.length;
    readJson(value, undefined, 0, { docs, orders, names });
    const found = docs.length + orders.length + names.first.length + names.full.length > before;
    if (!found && !jsonExample && value && typeof value === "object" && !Array.isArray(value)) {
      jsonExample = value as Record<string, unknown>;
    }
  }

  let section: SectionKind | undefined;
  let seenHeading = false;
  let hasSafetyRules = false;
  const rules: string[] = [];
  const instructions: string[] = [];
  const customerLines: string[] = [];
  let question: string[] | undefined;
  let block: Block | undefined;
  let doc: PromptDoc | undefined; // a heading or marker item still collecting its paragraph
  let lastList: PromptOrder | undefined;

  const closeBlock = () => {
    if (block) classifyBlock(block, { docs, orders, names });
    block = undefined;
  };
  const openSection = (kind: SectionKind | undefined) => {
    closeBlock();
    doc = undefined;
    section = kind;
    seenHeading = true;
    if (kind === "question") question = [];
  };

  for (const raw of rest.split("\n")) {
    const line = raw.trim();
    if (!line) {
      closeBlock();
      if (question && section === "question") question.push("");
      continue;
    }
    // Cheap first-character and colon tests keep the regexes off most prose lines.
    const first = line[0];
    const heading = first === "#" || first === "*" ? HEADING.exec(line) : null;
    if (heading) {
      const title = heading[1] ?? heading[2];
      const marked = section !== "safety" && section !== "orders"
        ? markedDoc(title, true, true)
        : undefined;
      if (marked) {
        closeBlock();
        docs.push(marked);
        doc = marked.content ? undefined : marked;
        continue;
      }
      openSection(sectionKind(cleanTitle(title)));
      continue;
    }
    const colon = line.includes(":") || line.includes("=");
    const field = colon ? FIELD.exec(line) : null;
    const role = field ? fieldRole(field[1]) : undefined;
    // A label: `Safety:`, `Previous orders:`, `Customer's question:`.
    const label = field
      ? (!role && !field[2] ? field[1] : undefined)
      : colon && line.endsWith(":")
      ? LABEL.exec(line)?.[1]
      : undefined;
    if (label && sectionKind(label)) {
      openSection(sectionKind(label));
      continue;
    }
    if (section === "customer") customerLines.push(line);
    else if (section === "safety" || (section === undefined && !role)) instructions.push(line);
    if (field && role === "question" && section !== "documentation") {
      closeBlock();
      section = "question";
      question = field[2] ? [field[2]] : [];
      continue;
    }
    if (section === "question" && question) {
      question.push(line);
      continue;
    }
    if (field && role) {
      if (!block || block.fields[role] !== undefined) {
        closeBlock();
        block = { fields: {}, extra: [], section, topLevel: !seenHeading };
      }
      block.fields[role] = field[2].trim();
      doc = undefined;
      continue;
    }
    if (block) {
      if (/^\s/.test(raw) || field) {
        if (field) block.extra.push(`${field[1]}: ${field[2]}`);
        else if (block.fields.content !== undefined) block.fields.content += ` ${line}`;
        continue;
      }
      closeBlock();
    }
    const item = /[-*+•\d]/.test(first) ? LIST_ITEM.exec(line) : null;
    if (section === "safety") {
      if (item) {
        hasSafetyRules = true;
        rules.push(item[1]);
      } else if (rules.length > 0 && /^\s/.test(raw)) rules[rules.length - 1] += ` ${line}`;
      continue;
    }
    if (section === "orders") {
      if (item) orders.push(lastList = orderOf(item[1]));
      else if (lastList && /^\s/.test(raw)) lastList.text += ` ${line}`;
      continue;
    }
    if (section !== "customer") {
      const marked = markedDoc(item ? item[1] : line, section === "documentation");
      if (marked) {
        docs.push(marked);
        doc = marked.content ? undefined : marked;
        continue;
      }
      if (doc) {
        doc.content = doc.content ? `${doc.content} ${line}` : line;
        continue;
      }
    }
    doc = undefined;
  }
  closeBlock();

  for (const line of rest.split("\n")) {
    if (names.first.length > 0 || names.full.length > 0) break;
    for (const pattern of NAME_SENTENCES) {
      const name = pattern.exec(line)?.[1];
      const first = name ? firstNameOf(name) : undefined;
      if (first) {
        names.full.push(first);
        break;
      }
    }
  }
  const asked = question?.join("\n").replace(/\n{3,}/g, "\n\n").trim();
  return {
    docs: unique(docs),
    firstName: names.first[0] ?? names.full[0],
    orders,
    hasSafetyRules,
    rules,
    instructions,
    customerLines,
    question: asked || undefined,
    jsonExample,
  };
}

interface Found {
  docs: PromptDoc[];
  orders: PromptOrder[];
  names: { first: string[]; full: string[] };
}

/** A finished `key: value` block becomes a documentation item, an order or the customer. */
function classifyBlock(block: Block, found: Found): void {
  const f = block.fields;
  if (block.section === "orders") {
    const text = [f.title, f.content].filter(Boolean).join(" — ");
    if (text) {
      found.orders.push({
        text: f.id ? `${text} (product ${f.id})` : text,
        name: f.title || undefined,
        productId: f.id || undefined,
      });
    }
    return;
  }
  if (f.firstName) {
    const first = firstNameOf(f.firstName);
    if (first) found.names.first.push(first);
  }
  if (f.fullName) {
    const first = firstNameOf(f.fullName);
    if (first) found.names.full.push(first);
  }
  if (f.id && (f.title || f.content)) {
    const extra = block.extra.length > 0 ? ` ${block.extra.join(". ")}.` : "";
    found.docs.push({
      id: f.id,
      title: cleanTitle(f.title ?? ""),
      content: `${f.content ?? ""}${extra}`.trim(),
    });
  } else if (
    !f.id && !f.content && f.title && (block.section === "customer" || block.topLevel)
  ) {
    const first = firstNameOf(f.title); // `Name: Maya Lopez` in a customer block
    if (first) found.names.full.push(first);
  }
}

/** A line (or heading) that carries a documentation item's id. */
function markedDoc(text: string, inDocs: boolean, heading = false): PromptDoc | undefined {
  const leading = LEADING_ID.exec(text);
  if (leading) {
    const body = leading[2];
    const bold = /^\*\*(.+?)\*\*[ \t]*(?:[:—–-][ \t]*)?(.*)$/.exec(body);
    const split = heading ? undefined : bold ?? titleAndText(body);
    return split
      ? { id: leading[1], title: cleanTitle(split[1]), content: split[2].trim() }
      : { id: leading[1], title: cleanTitle(body), content: "" };
  }
  const trailing = TRAILING_ID_HINT.test(text) ? TRAILING_ID.exec(text) : null;
  if (trailing && (inDocs || /^\*\*.+\*\*$/.test(trailing[1].trim()))) {
    return {
      id: trailing[2] ?? trailing[3],
      title: cleanTitle(trailing[1]),
      content: (trailing[4] ?? "").trim(),
    };
  }
  return undefined;
}

/** `Title: text`, else `Title — text`: a title may itself hold a dash ("Stove — Care: …"). */
function titleAndText(text: string): RegExpExecArray | null {
  return TITLE_COLON.exec(text) ?? TITLE_SEPARATOR.exec(text);
}

function orderOf(text: string): PromptOrder {
  const ours = ORDER_LINE.exec(text);
  if (ours) return { text, name: ours[1].trim(), productId: ours[2].trim(), category: ours[3] };
  const split = titleAndText(text);
  return { text, name: cleanTitle(split ? split[1] : text) };
}

function unique(docs: PromptDoc[]): PromptDoc[] {
  const seen = new Set<string>();
  return docs.filter((d) => !seen.has(d.id) && seen.add(d.id));
}

/**
 * JSON values written into the text (`[{"id": …}]`, `{"firstName": …}`, pretty-printed or
 * not), and the text without them. Only `[{` and `{"` open a candidate, and each candidate is
 * scanned once, so the cost stays linear in practice.
 */
function extractJson(text: string): { rest: string; values: unknown[] } {
  const values: unknown[] = [];
  if (!text.includes("{")) return { rest: text, values };
  const open = /\[\s*\{|\{\s*"/g;
  let rest = "";
  let from = 0;
  for (let m = open.exec(text); m; m = open.exec(text)) {
    const end = matchingBracket(text, m.index);
    if (end < 0) continue;
    try {
      values.push(JSON.parse(text.slice(m.index, end + 1)));
    } catch {
      continue;
    }
    rest += `${text.slice(from, m.index)}\n`;
    from = end + 1;
    open.lastIndex = end + 1;
  }
  return { rest: rest + text.slice(from), values };
}

function matchingBracket(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "[" || c === "{") depth++;
    else if (c === "]" || c === "}") {
      if (--depth === 0) return i;
    }
  }
  return -1;
}

function pickKey(o: Record<string, unknown>, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const v = o[key];
    if ((typeof v === "string" && v.trim()) || typeof v === "number") return String(v).trim();
  }
  return undefined;
}

/** Documentation arrays, a customer object and its orders, anywhere in a JSON value. */
function readJson(value: unknown, key: string | undefined, depth: number, found: Found): void {
  if (depth > 4 || !value || typeof value !== "object") return;
  if (Array.isArray(value)) {
    const isOrders = key !== undefined && JSON_ORDER_KEYS.includes(key);
    for (const item of value) {
      if (!item || typeof item !== "object" || Array.isArray(item)) continue;
      const o = item as Record<string, unknown>;
      const title = pickKey(o, JSON_DOC_KEYS.title);
      const content = pickKey(o, JSON_DOC_KEYS.content);
      if (isOrders) {
        const productId = pickKey(o, ["productId", "product_id", "item_number", "sku"]);
        const text = [title, content].filter(Boolean).join(" — ");
        if (text) found.orders.push({ text, name: title, productId });
        continue;
      }
      const id = pickKey(o, JSON_DOC_KEYS.id);
      if (id && (title || content)) {
        found.docs.push({ id, title: title ?? "", content: content ?? "" });
      } else readJson(o, undefined, depth + 1, found);
    }
    return;
  }
  const o = value as Record<string, unknown>;
  const first = pickKey(o, JSON_NAME_KEYS.first);
  if (first) {
    const name = firstNameOf(first);
    if (name) found.names.first.push(name);
  } else if (depth > 0 && key !== undefined && /customer|shopper|user|client/i.test(key)) {
    const full = pickKey(o, JSON_NAME_KEYS.full);
    const name = full ? firstNameOf(full) : undefined;
    if (name) found.names.full.push(name);
  }
  for (const [k, v] of Object.entries(o)) {
    if (v && typeof v === "object") readJson(v, k, depth + 1, found);
  }
}
