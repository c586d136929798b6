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

Deno.test("renderPrompty() rejects an input the file does not declare", async () => {
  const p = await loadPrompty(testdata("file_sample.prompty"));
  throws(() => renderPrompty(p, { question: "q", qestion: "typo", extra: 1 }), (e: Error) => {
    ok(e instanceof TypeError);
    equal(
      e.message,
      `Cannot render prompt "${p.path}": unknown inputs "qestion", "extra" (declared: question, items)`,
    );
    return true;
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

Deno.test("checkTemplate() reports the line of an invalid tag", () => {
  checkTemplate("user:\n{% for x in xs %}{{ x }}{% endfor %}", { path: "ok", firstLine: 5 });
  throws(
    () =>
      checkTemplate("system:\nfine\n{% if %}\n{% endif %}", { path: "t.prompty", firstLine: 10 }),
    (e: Error) => {
      ok(e instanceof SyntaxError);
      ok(e.message.startsWith('Cannot load prompt "t.prompty" (line 12): template syntax error'));
      return true;
    },
  );
});
