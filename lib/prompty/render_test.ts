import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { loadPrompty, parsePrompty } from "./load.ts";
import { checkTemplate, renderPrompty, resolveInputs, splitRoles } from "./render.ts";

const testdata = (name: string) => fileURLToPath(new URL(`./testdata/${name}`, import.meta.url));

Deno.test("splitRoles() splits on role marker lines", async (t) => {
  await t.step("system, user, assistant, user", () => {
    deepEqual(
      splitRoles("system:\nBe brief.\n\nuser:\nHi\nassistant:\nHello!\nuser:\nTents?\n"),
      [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hi" },
        { role: "assistant", content: "Hello!" },
        { role: "user", content: "Tents?" },
      ],
    );
  });
  await t.step("text before the first marker is the system message", () => {
    deepEqual(splitRoles("Preamble\nuser:\nQ"), [
      { role: "system", content: "Preamble" },
      { role: "user", content: "Q" },
    ]);
  });
  await t.step("markers are case-insensitive, may be # headings, and CRLF works", () => {
    deepEqual(splitRoles("# System:\r\nRules\r\n  USER :  \r\nQ\r\n"), [
      { role: "system", content: "Rules" },
      { role: "user", content: "Q" },
    ]);
  });
  await t.step("a role word inside a line is not a marker; empty sections are dropped", () => {
    deepEqual(splitRoles("system:\n\nuser: hello there\nassistant:\n\nuser:\nQ"), [
      { role: "system", content: "user: hello there" },
      { role: "user", content: "Q" },
    ]);
  });
});

Deno.test("renderPrompty() renders history turns as their own messages", async () => {
  const p = await loadPrompty(testdata("roles.prompty"));
  const messages = renderPrompty(p, {
    question: "How much does it weigh?",
    chat_history: [
      { role: "user", content: "Tell me about the Summit Dome 2 Tent" },
      { role: "assistant", content: "It is a two-person tent." },
    ],
  });
  deepEqual(messages, [
    { role: "system", content: "You are a preamble system message." },
    { role: "user", content: "Tell me about the Summit Dome 2 Tent" },
    { role: "assistant", content: "It is a two-person tent." },
    { role: "user", content: "How much does it weigh?" },
  ]);
});

Deno.test("resolveInputs() fills inputs from the sample and declared defaults; the caller wins", async () => {
  const p = await parsePrompty(
    "---\ninputs:\n  a:\n    default: 1\n  b:\n    type: string\nsample:\n  b: sample-b\n  c: only-in-sample\n---\nuser:\n{{a}}",
    { path: "layers.prompty" },
  );
  deepEqual(resolveInputs(p), { a: 1, b: "sample-b", c: "only-in-sample" });
  deepEqual(resolveInputs(p, { a: 2, b: "mine", c: "x" }), { a: 2, b: "mine", c: "x" });
});

Deno.test("renderPrompty() passes inputs the file does not declare through to the template", async () => {
  const p = await parsePrompty(
    "---\ninputs:\n  context:\n    type: string\nsample:\n  context: sample context\n---\n" +
      "system:\n{{ context }}\n{% for t in chat_history %}{{ t.role }}:\n{{ t.content }}\n{% endfor %}" +
      "user:\n{{ question }}",
    { path: "query.prompty" },
  );
  deepEqual(
    renderPrompty(p, {
      question: "Which stove?",
      chat_history: [{ role: "assistant", content: "Hello" }],
    }),
    [
      { role: "system", content: "sample context" },
      { role: "assistant", content: "Hello" },
      { role: "user", content: "Which stove?" },
    ],
  );
  deepEqual(resolveInputs(p, { extra: 1 }), { context: "sample context", extra: 1 });
});

Deno.test("renderPrompty() follows Jinja2 for inputs nobody passes", async (t) => {
  const p = await parsePrompty(
    "---\nname: lenient\n---\nsystem:\nHi {{ name }}!\n" +
      "{% for turn in history %}{{ turn.role }}: {{ turn.content }}\n{% else %}(new chat)\n{% endfor %}" +
      "{% if premium %}premium{% else %}standard{% endif %} {{ nothing }} {{ flag }}\n" +
      "user:\n{{ question }}",
    { path: "lenient.prompty" },
  );
  await t.step("undefined renders empty, loops are empty and run their else, if is false", () => {
    deepEqual(renderPrompty(p, { question: "q" }), [
      { role: "system", content: "Hi !\n(new chat)\nstandard" },
      { role: "user", content: "q" },
    ]);
  });
  await t.step("values print as Python prints them", () => {
    deepEqual(renderPrompty(p, { question: [1, "a"], nothing: null, flag: true, name: 2.5 }), [
      { role: "system", content: "Hi 2.5!\n(new chat)\nstandard None True" },
      { role: "user", content: "[1, 'a']" },
    ]);
  });
});

Deno.test("renderPrompty() errors name the file, the line in the file and the variable", async (t) => {
  const p = await loadPrompty(testdata("address_card.prompty"));
  await t.step("the sample renders", () => {
    equal(renderPrompty(p).at(-1)!.content, "Ship to Priya in Lund.");
  });
  await t.step("an attribute of a missing input (line 21 of the file)", () => {
    throws(() => renderPrompty(p, { customer: undefined }), (e: Error) => {
      ok(e instanceof TypeError);
      equal(
        e.message,
        `Cannot render prompt "${p.path}" (line 21): "customer" is undefined in "customer.firstName"`,
      );
      return true;
    });
  });
  await t.step("an attribute of a missing attribute", () => {
    throws(() => renderPrompty(p, { customer: { firstName: "Bo" } }), {
      name: "TypeError",
      message:
        `Cannot render prompt "${p.path}" (line 21): "customer.address" is undefined in "customer.address.city"`,
    });
  });
  await t.step("a loop over a value that is not iterable", () => {
    throws(() => renderPrompty(p, { notes: 3 }), {
      message:
        `Cannot render prompt "${p.path}" (line 18): cannot loop over "notes": 'int' object is not iterable`,
    });
  });
  await t.step("a filter that cannot take its value, and a call of a non-callable", async () => {
    const q = await parsePrompty(
      "---\nname: bad\n---\nsystem:\n{{ price|round }}\nuser:\n{{ name() }}",
      { path: "bad.prompty" },
    );
    throws(() => renderPrompty(q, { price: "cheap", name: "x" }), {
      message:
        `Cannot render prompt "bad.prompty" (line 5): filter "round": type str doesn't define __round__ method`,
    });
    throws(() => renderPrompty(q, { price: 2.5, name: "x" }), {
      message:
        `Cannot render prompt "bad.prompty" (line 7): "name" is not callable ('str' object) in "name(…)"`,
    });
  });
});

Deno.test("renderPrompty() accepts any input when the file declares none", async () => {
  const p = await parsePrompty("---\nname: free\n---\nuser:\n{{ anything }}", {
    path: "free.prompty",
  });
  deepEqual(renderPrompty(p, { anything: "goes" }), [{ role: "user", content: "goes" }]);
});

Deno.test("renderPrompty() follows a template edited after loading (a notebook cell)", async () => {
  const p = await parsePrompty("---\nname: edit\n---\nuser:\nv1 {{ q }}", { path: "e.prompty" });
  equal(renderPrompty(p, { q: "x" })[0].content, "v1 x");
  p.template = "user:\nv2 {{ q }}";
  equal(renderPrompty(p, { q: "x" })[0].content, "v2 x");
});

Deno.test("checkTemplate() reports the line of an invalid tag", async (t) => {
  checkTemplate("user:\n{% for x in xs %}{{ x }}{% endfor %}", { path: "ok", firstLine: 5 });
  const fails = (template: string, message: string) =>
    throws(() => checkTemplate(template, { path: "t.prompty", firstLine: 10 }), (e: Error) => {
      ok(e instanceof SyntaxError);
      equal(e.message, message);
      return true;
    });
  await t.step("an if without a test", () => {
    fails(
      "system:\nfine\n{% if %}\n{% endif %}",
      'Cannot load prompt "t.prompty" (line 12): template syntax error: expected an expression, got end of statement block',
    );
  });
  await t.step("a for that is never closed names its own line", () => {
    fails(
      "system:\n{% for d in docs %}\n{{ d }}\n\nuser:\nq",
      'Cannot load prompt "t.prompty" (line 11): template syntax error: the "for" tag is never closed (expected "endfor" or "else")',
    );
  });
  await t.step("an unknown tag and an unknown filter", () => {
    fails(
      "a\nb\n{% include 'x.jinja' %}",
      'Cannot load prompt "t.prompty" (line 12): template syntax error: unknown tag "include"',
    );
    fails(
      "{{ name|shout }}",
      'Cannot load prompt "t.prompty" (line 10): template syntax error: no filter named "shout"',
    );
  });
});
