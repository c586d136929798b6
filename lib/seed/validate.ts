/**
 * Validating data records (products, customers, evaluation rows) against the DESIGN.md
 * contracts. Each validator returns the clean record or the list of what is wrong with it.
 *
 * @module
 */
import type { Customer, Order } from "../customers/types.ts";
import type { Product } from "../products/documents.ts";
import { chatHistoryFromJson, checkChatHistory, type Checked } from "../chat/validate.ts";
import type { EvalRow } from "../evaluate/types.ts";

const isObject = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === "object" && !Array.isArray(v);
const isId = (v: unknown) =>
  (typeof v === "string" && v.trim() !== "") || (typeof v === "number" && Number.isFinite(v));
const num = (
  v: unknown,
): number => (typeof v === "number"
  ? v
  : typeof v === "string" && v.trim() !== ""
  ? Number(v)
  : NaN);

/** A product from CSV fields keyed by header. */
export function checkProduct(row: Record<string, string>): Checked<Product> {
  const errors: string[] = [];
  const id = row.id?.trim() ?? "";
  if (!id) errors.push("id is empty");
  const name = row.name?.trim() ?? "";
  if (!name) errors.push("name is empty");
  const price = num(row.price);
  if (!Number.isFinite(price) || price < 0) {
    errors.push(`price "${row.price ?? ""}" is not a non-negative number`);
  }
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      id,
      name,
      price,
      category: row.category?.trim() ?? "",
      brand: row.brand?.trim() ?? "",
      description: row.description?.trim() ?? "",
    },
  };
}

function checkOrder(o: unknown, i: number, errors: string[]): Order | undefined {
  if (!isObject(o)) {
    errors.push(`orders[${i}] must be an object`);
    return undefined;
  }
  if (!isId(o.productId)) errors.push(`orders[${i}].productId is missing`);
  if (typeof o.name !== "string") errors.push(`orders[${i}].name must be a string`);
  for (const key of ["quantity", "total", "unitprice"] as const) {
    if (o[key] !== undefined && !Number.isFinite(num(o[key]))) {
      errors.push(`orders[${i}].${key} must be a number`);
    }
  }
  return {
    id: (o.id as string | number) ?? i + 1,
    productId: o.productId as string | number,
    quantity: num(o.quantity ?? 1),
    total: num(o.total ?? 0),
    date: String(o.date ?? ""),
    name: String(o.name ?? ""),
    unitprice: num(o.unitprice ?? 0),
    category: String(o.category ?? ""),
    brand: String(o.brand ?? ""),
    description: String(o.description ?? ""),
  };
}

/** A customer document. Numeric ids are accepted and stored as strings (partition key `/id`). */
export function checkCustomer(doc: unknown): Checked<Customer> {
  if (!isObject(doc)) return { ok: false, errors: ["a customer must be a JSON object"] };
  const errors: string[] = [];
  if (!isId(doc.id)) errors.push("id is missing");
  if (typeof doc.firstName !== "string" || !doc.firstName.trim()) {
    errors.push("firstName is missing");
  }
  if (doc.orders !== undefined && !Array.isArray(doc.orders)) {
    errors.push("orders must be an array");
  }
  const orders = Array.isArray(doc.orders)
    ? doc.orders.map((o, i) => checkOrder(o, i, errors))
    : [];
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      ...doc,
      id: String(doc.id),
      firstName: String(doc.firstName),
      lastName: String(doc.lastName ?? ""),
      age: num(doc.age ?? 0),
      email: String(doc.email ?? ""),
      phone: String(doc.phone ?? ""),
      address: typeof doc.address === "string" ? doc.address : JSON.stringify(doc.address ?? ""),
      membership: String(doc.membership ?? "Base"),
      orders: orders as Order[],
    },
  };
}

/**
 * An evaluation row, as seeding's scan and `deno task eval` read it: `customerId` (or the
 * original workshop's `customer_id`), `question`, `chat_history` (or `chatHistory`; an array,
 * or that array as a JSON string, as the server's query form sends it), `intent`, `truth`.
 */
export function checkEvalRow(doc: unknown): Checked<EvalRow> {
  if (!isObject(doc)) return { ok: false, errors: ["a row must be a JSON object"] };
  const errors: string[] = [];
  const customerId = doc.customerId ?? doc.customer_id;
  if (!isId(customerId)) errors.push("customerId is missing");
  if (typeof doc.question !== "string" || !doc.question.trim()) errors.push("question is missing");
  const parsed = chatHistoryFromJson(doc.chat_history ?? doc.chatHistory);
  const history = parsed.ok ? checkChatHistory(parsed.value) : parsed;
  if (!history.ok) errors.push(...history.errors);
  if (doc.truth !== undefined && typeof doc.truth !== "string") {
    errors.push("truth must be a string");
  }
  if (errors.length > 0 || !history.ok) return { ok: false, errors };
  return {
    ok: true,
    value: {
      customerId: String(customerId),
      question: String(doc.question),
      chatHistory: history.value,
      intent: typeof doc.intent === "string" ? doc.intent : undefined,
      truth: typeof doc.truth === "string" && doc.truth.trim() ? doc.truth : undefined,
    },
  };
}
