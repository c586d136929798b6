import { deepEqual, equal, ok } from "node:assert/strict";
import { checkCustomer, checkEvalRow, checkProduct } from "./validate.ts";

Deno.test("checkProduct() trims fields and parses the price", () => {
  deepEqual(
    checkProduct({
      id: " 7 ",
      name: " Shell ",
      price: "179.99",
      category: "Clothing",
      brand: "Brand",
      description: " Light. ",
    }),
    {
      ok: true,
      value: {
        id: "7",
        name: "Shell",
        price: 179.99,
        category: "Clothing",
        brand: "Brand",
        description: "Light.",
      },
    },
  );
});

Deno.test("checkProduct() lists every problem of a bad row", () => {
  deepEqual(checkProduct({ id: "", name: " ", price: "-3" }), {
    ok: false,
    errors: ["id is empty", "name is empty", 'price "-3" is not a non-negative number'],
  });
  deepEqual(checkProduct({ id: "1", name: "x", price: "" }), {
    ok: false,
    errors: ['price "" is not a non-negative number'],
  });
  equal(checkProduct({ id: "1", name: "x", price: "12 dollars" }).ok, false);
  equal(checkProduct({ id: "1", name: "x", price: "0" }).ok, true);
});

Deno.test("checkCustomer() normalises a customer document", () => {
  const checked = checkCustomer({
    id: 12,
    firstName: "Ana",
    address: { city: "Bend" },
    orders: [{ productId: 3, name: "Glacier Pass 2", quantity: "2", total: 1099.98 }],
    loyaltyNote: "kept",
  });
  ok(checked.ok);
  const c = checked.value;
  equal(c.id, "12", "numeric ids become strings (partition key /id)");
  equal(c.lastName, "");
  equal(c.membership, "Base");
  equal(c.address, '{"city":"Bend"}');
  equal((c as unknown as Record<string, unknown>).loyaltyNote, "kept", "unknown fields are kept");
  deepEqual(c.orders[0], {
    id: 1,
    productId: 3,
    quantity: 2,
    total: 1099.98,
    date: "",
    name: "Glacier Pass 2",
    unitprice: 0,
    category: "",
    brand: "",
    description: "",
  });
});

Deno.test("checkCustomer() reports what is wrong", () => {
  deepEqual(checkCustomer([1]), { ok: false, errors: ["a customer must be a JSON object"] });
  deepEqual(checkCustomer({ firstName: "" }), {
    ok: false,
    errors: ["id is missing", "firstName is missing"],
  });
  deepEqual(checkCustomer({ id: "1", firstName: "A", orders: "none" }), {
    ok: false,
    errors: ["orders must be an array"],
  });
  deepEqual(checkCustomer({ id: "1", firstName: "A", orders: [5, { name: 3, total: "x" }] }), {
    ok: false,
    errors: [
      "orders[0] must be an object",
      "orders[1].productId is missing",
      "orders[1].name must be a string",
      "orders[1].total must be a number",
    ],
  });
});

Deno.test("checkEvalRow() validates an evaluation row", () => {
  deepEqual(checkEvalRow({ customerId: 4, question: "Which boots?", truth: "The Talus." }), {
    ok: true,
    value: {
      customerId: "4",
      question: "Which boots?",
      chatHistory: [],
      intent: undefined,
      truth: "The Talus.",
    },
  });
  deepEqual(
    checkEvalRow({ customerId: "c9", question: "Hi?", intent: "smalltalk", truth: "  " }),
    {
      ok: true,
      value: {
        customerId: "c9",
        question: "Hi?",
        chatHistory: [],
        intent: "smalltalk",
        truth: undefined,
      },
    },
    "a blank reference answer is no reference answer",
  );
  deepEqual(checkEvalRow({ question: " ", chat_history: {}, truth: 3 }), {
    ok: false,
    errors: [
      "customerId is missing",
      "question is missing",
      "chat_history must be an array of {role, content} turns",
      "truth must be a string",
    ],
  });
});
