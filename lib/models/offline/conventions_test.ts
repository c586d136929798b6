/** The offline model's prompt conventions, each recogniser on its own. */
import { deepEqual, equal } from "node:assert/strict";
import { fieldRole, firstNameOf, requestedJson, sectionKind } from "./conventions.ts";

Deno.test("sectionKind() reads what a heading or label opens", async (t) => {
  for (
    const [title, kind] of [
      ["question", "question"],
      ["Customer question", "question"],
      ["Safety", "safety"],
      ["Ground rules", "safety"],
      ["Guardrails", "safety"],
      ["Previous Orders", "orders"],
      ["Owns", "orders"],
      ["Customer Context", "customer"],
      ["Shopper", "customer"],
      ["Documentation", "documentation"],
      ["Sources", "documentation"],
      ["Product notes", "documentation"],
      ["Role", undefined],
      ["Instructions", undefined],
      ["How to answer", undefined],
    ] as const
  ) {
    await t.step(title, () => equal(sectionKind(title), kind));
  }
});

Deno.test("fieldRole() maps the keys of common layouts", () => {
  deepEqual(
    ["id", "catalog", "item_number", "Product ID", "item", "title", "content", "description"]
      .map(fieldRole),
    ["id", "id", "id", "id", "title", "title", "content", "content"],
  );
  deepEqual(["first name", "firstName", "Customer", "Question"].map(fieldRole), [
    "firstName",
    "firstName",
    "fullName",
    "question",
  ]);
  equal(fieldRole("membership"), undefined);
});

Deno.test("firstNameOf() takes the first capitalised word", () => {
  equal(firstNameOf("Maya Lopez"), "Maya");
  equal(firstNameOf("Dr. Ana-María O'Neill"), "Ana-María");
  equal(firstNameOf("Jonas Ekdahl (Base member, age 29)"), "Jonas");
  equal(firstNameOf(""), undefined, "an unrendered value");
  equal(firstNameOf("unknown"), undefined);
  equal(firstNameOf("{{ customer.firstName }}"), undefined);
});

Deno.test("requestedJson() reads the reply shape from response_format", async (t) => {
  await t.step("text or no format: no JSON", () => {
    equal(requestedJson(undefined, { queries: [] }), undefined);
    equal(requestedJson({ type: "text" }, undefined), undefined);
  });
  await t.step("json_object takes the system message's example object", () => {
    deepEqual(requestedJson({ type: "json_object" }, { queries: ["a"], note: "", n: 1, o: {} }), {
      fields: [
        { name: "queries", kind: "strings" },
        { name: "note", kind: "string" },
        { name: "n", kind: "scalar" },
        { name: "o", kind: "other" },
      ],
    });
    deepEqual(requestedJson({ type: "json_object" }, undefined), { fields: [] });
  });
  await t.step("json_schema takes the schema's properties", () => {
    const format = {
      type: "json_schema",
      json_schema: {
        name: "x",
        schema: {
          type: "object",
          properties: {
            search_terms: { type: "array", items: { type: "string" } },
            confidence: { type: ["number", "null"] },
            why: { type: "string" },
          },
        },
      },
    };
    deepEqual(requestedJson(format, { ignored: 1 }), {
      fields: [
        { name: "search_terms", kind: "strings" },
        { name: "confidence", kind: "scalar" },
        { name: "why", kind: "string" },
      ],
    });
  });
});
