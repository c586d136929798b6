import { equal, ok, throws } from "node:assert/strict";
import { compileTemplate, JinjaError } from "./mod.ts";

const render = (template: string, vars: Record<string, unknown> = {}) =>
  compileTemplate(template).render(vars);

function fails(f: () => unknown, kind: "syntax" | "runtime", line: number, message: RegExp) {
  throws(f, (e: unknown) => {
    ok(e instanceof JinjaError, String(e));
    equal(e.kind, kind);
    equal(e.line, line, e.message);
    ok(message.test(e.message), e.message);
    return true;
  });
}

Deno.test("compileTemplate() reports syntax errors with their template line", async (t) => {
  await t.step("an unterminated string, comment and print tag", () => {
    fails(() => compileTemplate("a\n{{ 'open }}"), "syntax", 2, /unexpected end of string/);
    fails(() => compileTemplate("a\nb\n{# never closed"), "syntax", 3, /missing end of comment/);
    fails(() => compileTemplate("{{ x\n\n"), "syntax", 1, /"}}" is missing/);
  });
  await t.step("an empty print, an unknown test, a stray end tag", () => {
    fails(() => compileTemplate("\n{{ }}"), "syntax", 2, /expected an expression/);
    fails(
      () => compileTemplate("{% if x is shiny %}{% endif %}"),
      "syntax",
      1,
      /no test named "shiny"/,
    );
    fails(
      () => compileTemplate("ok\n{% endfor %}"),
      "syntax",
      2,
      /unexpected "endfor" with no open tag/,
    );
  });
  await t.step("an if closed by the wrong tag names both lines", () => {
    fails(
      () => compileTemplate("{% for a in b %}\n{% if a %}\n{% endfor %}"),
      "syntax",
      3,
      /unexpected "endfor": the "if" tag of line 2 is still open \(expected "elif" or "else" or "endif"\)/,
    );
  });
});

Deno.test("compileTemplate() rendering errors carry the line and the expression", () => {
  fails(() => render("x\ny\n{{ a.b }}"), "runtime", 3, /^"a" is undefined in "a\.b"$/);
  fails(
    () => render("{{ d[0].name }}", { d: [] }),
    "runtime",
    1,
    /"d\[0\]" is undefined in "d\[0\]\.name"/,
  );
  fails(() => render("\n{{ n + 1 }}"), "runtime", 2, /^"n" is undefined$/);
  fails(() => render("{{ 1 / 0 }}"), "runtime", 1, /division by zero/);
  fails(() => render("{% set a, b = xs %}", { xs: [1] }), "runtime", 1, /not enough values/);
  fails(() => render("{% set n.x = 1 %}", { n: 1 }), "runtime", 1, /not a namespace/);
});

Deno.test("compileTemplate() renders values the way Python prints them", () => {
  equal(render("{{ a }}|{{ b }}|{{ c }}", { a: undefined, b: null, c: 1e21 }), "|None|1e+21");
  equal(render("{{ 3|float }} {{ 7 / 7 }} {{ 2.5|round }} {{ 0.5 + 0.5 }}"), "3.0 1.0 2.0 1.0");
  equal(render("{{ {'b': 1, 'a': [True, None]} }}"), "{'b': 1, 'a': [True, None]}");
  equal(
    render("{{ x|tojson }}", { x: { b: "<&>", a: 1.5 } }),
    '{"a": 1.5, "b": "\\u003c\\u0026\\u003e"}',
  );
});

Deno.test("compileTemplate() keeps no state between renders", () => {
  const t = compileTemplate(
    "{% set ns = namespace(n=0) %}{% for x in xs %}{% set ns.n = ns.n + x %}{% endfor %}{{ ns.n }}",
  );
  equal(t.render({ xs: [1, 2] }), "3");
  equal(t.render({ xs: [5] }), "5");
  equal(t.render({}), "0");
});

Deno.test("compileTemplate() reads objects that are not plain (class instances, null prototype)", () => {
  class Customer {
    constructor(public firstName: string, public orders: { name: string }[]) {}
  }
  const bare = Object.assign(Object.create(null), { title: "Stove" });
  equal(
    render("{{ c.firstName }}: {% for o in c.orders %}{{ o.name }}{% endfor %} {{ d.title }}", {
      c: new Customer("Ana", [{ name: "Tent" }]),
      d: bare,
    }),
    "Ana: Tent Stove",
  );
  equal(render("{{ loop }}{% for x in [1] %}{{ loop is mapping }}{% endfor %}"), "False");
});
