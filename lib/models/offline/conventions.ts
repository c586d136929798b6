/**
 * The prompt conventions the offline model reads, in one place: how a rendered prompt marks its
 * sections (headings and labels), documentation items and their ids, the customer's name, past
 * orders, safety rules and the question, and how a request asks for a JSON reply. They describe
 * layouts people commonly write (this project's `id:`/`title:`/`content:` blocks, the original
 * workshop's `catalog:`/`item:`/`content:` blocks, Markdown headings and lists with `[id]`
 * markers, JSON), never particular words of a question: what the model does is decided by the
 * prompt's and the request's structure. `prompt_reader.ts` walks the prompt with these; the
 * README's "The offline model" section lists them.
 *
 * @module
 */

/** What a heading or a label line opens. */
export type SectionKind = "question" | "safety" | "orders" | "customer" | "documentation";

/**
 * A heading: Markdown `#`…`######`, or a whole line in bold (`**Safety**`, `**Rules:**`).
 * Group 1 or 2 is the title.
 */
export const HEADING = /^(?:#{1,6}[ \t]+(.+?)[ \t#]*|\*\*([^*]+?)\*\*:?)$/;

/** A label line opening a block: a few words, a colon and nothing after it (`Safety:`). */
export const LABEL = /^([\p{L}][\p{L}'’ ]{0,40}):$/u;

/** A list item (`-`, `*`, `+`, `•`, `1.`, `1)`); group 1 is its text. */
export const LIST_ITEM = /^(?:[-*+•]|\d{1,3}[.)])[ \t]+(.*)$/;

/**
 * A `key: value` field, optionally as a list item (`- id: 3`) or JSON-ish quoted key.
 * Group 1 is the key (up to four words), group 2 the value.
 */
export const FIELD =
  /^(?:[-*+][ \t]+)?["']?([A-Za-z][\w]*(?:[ \t][A-Za-z]\w*){0,3})["']?[ \t]*[:=][ \t]*(.*)$/;

/** Section titles, checked in this order (a "Customer question" is a question section). */
const SECTION_TITLES: [SectionKind, RegExp][] = [
  [
    "question",
    /^(?:the |current |latest |customer'?s? |user'?s? |shopper'?s? )*(?:question|query|request)s?\b/i,
  ],
  [
    "safety",
    /\b(?:safety|rules?|guardrails?|restrictions?|polic(?:y|ies)|boundaries|constraints|responsible ai|do(?:n'?t| not)s?)\b/i,
  ],
  ["orders", /\b(?:orders?|purchases?|purchased|bought|owns?|owned|order history)\b/i],
  ["customer", /\b(?:customer|shopper|client|member|user profile|profile)\b/i],
  [
    "documentation",
    /\b(?:documentation|documents?|docs|sources?|context|products?|catalog(?:ue)?|manuals?|passages?|knowledge|references?|results?|retrieved)\b/i,
  ],
];

/** The kind of section a heading or label title opens, if it is one the model reads. */
export function sectionKind(title: string): SectionKind | undefined {
  for (const [kind, pattern] of SECTION_TITLES) if (pattern.test(title)) return kind;
  return undefined;
}

/** What a field key means: normalised keys (lower case, no spaces, `_` or `-`). */
const FIELD_ROLES: Record<string, FieldRole> = {};
/** The role of a field in a block. */
export type FieldRole = "id" | "title" | "content" | "firstName" | "fullName" | "question";
for (
  const [role, keys] of [
    ["id", "id catalog catalogid catalognumber itemid itemnumber productid sku docid documentid"],
    ["title", "title item name itemname productname product heading"],
    ["content", "content description text body details passage snippet summary"],
    ["firstName", "firstname givenname"],
    ["fullName", "customer customername fullname shopper"],
    ["question", "question customerquestion userquestion query"],
  ] as [FieldRole, string][]
) for (const key of keys.split(" ")) FIELD_ROLES[key] = role;

/** The role of a field key (`first name`, `item_number`, `Catalog`), or undefined if unknown. */
export function fieldRole(key: string): FieldRole | undefined {
  return Object.hasOwn(FIELD_ROLES, key)
    ? FIELD_ROLES[key]
    : FIELD_ROLES[key.toLowerCase().replace(/[\s_-]+/g, "")];
}

/** Keys of a JSON object that hold a documentation item's id, title and content. */
export const JSON_DOC_KEYS = {
  id: ["id", "catalog", "item_number", "itemNumber", "productId", "product_id", "sku", "docId"],
  title: ["title", "name", "item", "productName", "heading"],
  content: ["content", "description", "text", "body", "passage", "snippet"],
} as const;

/** Keys of a JSON object that hold a list of past orders. */
export const JSON_ORDER_KEYS = ["orders", "purchases", "previousOrders", "previous_orders"];

/** Keys of a JSON object that hold a first name, then a full name. */
export const JSON_NAME_KEYS = {
  first: ["firstName", "first_name", "firstname", "givenName", "given_name"],
  full: ["name", "fullName", "full_name", "customerName"],
} as const;

const ID = String.raw`[\p{L}\p{N}][\p{L}\p{N}_.:/#-]{0,63}`;

/**
 * A documentation item marked by its id at the start of a line, list item or heading:
 * `[19-manual-care] Dreamhollow — Care: text`, `- [3] **Title**: text`, `### [3] Title`.
 * Group 1 is the id, group 2 the rest.
 */
export const LEADING_ID = new RegExp(String.raw`^\[(${ID})\][ \t]+(.+)$`, "u");

/**
 * A documentation item whose title carries its id: `**Title** (id 3): text`, `Title [3] — text`,
 * `Title (id: 3)`. Group 1 is the title, group 2 or 3 the id, group 4 the rest.
 */
export const TRAILING_ID = new RegExp(
  String
    .raw`^(.+?)[ \t]*(?:\[(${ID})\]|\((?:id|item|catalog|product|sku)[ \t]*[:#=]?[ \t]*(${ID})\))[ \t]*(?:[:—–-][ \t]*(.*))?$`,
  "iu",
);

/** A cheap test that a line may match `TRAILING_ID` (which is costly on long prose lines). */
export const TRAILING_ID_HINT = /\]|\((?:id|item|catalog|product|sku)\b/i;

/** Where a title ends and its text begins on one line: `Title: text` (tried first). */
export const TITLE_COLON = /^(.+?):[ \t]+(.+)$/;

/** Where a title ends and its text begins on one line: `Title — text`, `Title - text`. */
export const TITLE_SEPARATOR = /^(.+?) [—–-] (.+)$/;

/** This project's order lines: `Name (product 1, Tents), quantity 1, ordered …`. */
export const ORDER_LINE = /^(.*?)[ \t]*\(product[ \t]+([^,)]+)(?:,[ \t]*([^)]*))?\)/;

/** Sentences that name the customer: "The customer's name is Maya Lopez", "a customer named Maya". */
export const NAME_SENTENCES = [
  /\b(?:customer|shopper|user|client|member)(?:['’]s)?[ \t]+(?:first[ \t]+|full[ \t]+)?name[ \t]+is[ \t]+(\S+)/iu,
  /\b(?:customer|shopper|user|client|member)[ \t]+(?:named|called)[ \t]+(\S+)/iu,
  /\byou(?: are|'re)[ \t]+(?:talking|speaking|chatting)[ \t]+(?:to|with)[ \t]+(\S+)/iu,
];

const HONORIFIC = /^(?:mr|mrs|ms|mx|miss|dr|prof|sir|madam)\.?$/i;

/**
 * The first name in a name value ("Maya Lopez", "Dr. Maya Lopez" → "Maya"), or undefined when
 * the value does not start with a capitalised word (an unrendered or empty field).
 */
export function firstNameOf(value: string): string | undefined {
  const words = value.trim().replace(/^["'“]+/, "").split(/[\s,()]+/).filter(Boolean);
  while (words.length > 1 && HONORIFIC.test(words[0])) words.shift();
  const first = words[0]?.replace(/[.,;:!?"'”]+$/, "");
  return first && /^\p{Lu}[\p{L}'’-]*$/u.test(first) ? first : undefined;
}

/** Strip Markdown emphasis, code marks and quotes around a title. */
export function cleanTitle(text: string): string {
  return text.replace(/\*\*|__|`/g, "").replace(/^["'“]+|["'”]+$/g, "").replace(/[\s:—–-]+$/, "")
    .trim();
}

/** How a JSON reply should be shaped: each field and the kind of value it wants. */
export interface JsonShape {
  fields: { name: string; kind: "strings" | "string" | "scalar" | "other" }[];
}

/**
 * The JSON reply a request asks for, from its `response_format`: a `json_schema` gives the
 * fields of its top-level object; `json_object` takes them from the example object shown in the
 * system message (`example`), or none. Undefined when the request asks for text.
 */
export function requestedJson(
  responseFormat: unknown,
  example: Record<string, unknown> | undefined,
): JsonShape | undefined {
  const format = responseFormat as
    | { type?: string; json_schema?: { schema?: Record<string, unknown> } }
    | undefined;
  if (format?.type === "json_schema") {
    const properties = (format.json_schema?.schema?.properties ?? {}) as Record<
      string,
      { type?: string | string[]; items?: { type?: string } }
    >;
    return {
      fields: Object.entries(properties).map(([name, p]) => {
        const type = Array.isArray(p?.type) ? p.type.find((t) => t !== "null") : p?.type;
        const kind = type === "array" && (p.items?.type ?? "string") === "string"
          ? "strings"
          : type === "string"
          ? "string"
          : type === "number" || type === "integer" || type === "boolean"
          ? "scalar"
          : "other";
        return { name, kind };
      }),
    };
  }
  if (format?.type === "json_object") {
    return {
      fields: Object.entries(example ?? {}).map(([name, v]) => ({
        name,
        kind: Array.isArray(v) && v.every((x) => typeof x === "string")
          ? "strings"
          : typeof v === "string"
          ? "string"
          : typeof v === "number" || typeof v === "boolean"
          ? "scalar"
          : "other",
      })),
    };
  }
  return undefined;
}
