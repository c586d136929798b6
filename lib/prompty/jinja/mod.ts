/**
 * A Jinja2 interpreter for prompt templates, written to render exactly what Python's jinja2
 * (3.1, default `Environment`, as the Python Prompty runtime uses it) renders: Undefined
 * renders empty, loops over it are empty and run their `else`, reading an attribute of it
 * fails; values print with Python's `str()`; whitespace and trailing-newline rules are
 * jinja2's defaults. It replaces `@huggingface/jinja`, chosen by measurement: of the 67
 * templates of the differential corpus (`lib/prompty/testdata/jinja2/`, checked against real
 * jinja2 3.1 by `differential_test.ts`), `@huggingface/jinja` 0.5 rendered 50 differently
 * (loops over undefined throw; `True`, `None`, lists and floats print the JavaScript way;
 * blocks trim their own newlines; `tojson` neither sorts keys nor escapes `<>&'`), and most of
 * those cannot be fixed around the library; this interpreter differs on 0.
 * Errors are {@link JinjaError}s with the template line.
 *
 * @example
 * ```ts
 * import { compileTemplate } from "./mod.ts";
 * const t = compileTemplate("{% for x in missing %}{{ x }}{% else %}none{% endfor %}");
 * console.assert(t.render({}) === "none");
 * ```
 *
 * @module
 */
import { tokenize } from "./lexer.ts";
import { type Node, parse } from "./parser.ts";
import { FILTERS } from "./filters.ts";
import { TESTS } from "./tests.ts";
import { Interpreter } from "./interpreter.ts";

export { JinjaError } from "./values.ts";

/** A compiled template. */
export interface CompiledTemplate {
  /** Render with variables (JSON-like values; `undefined` counts as missing). */
  render(vars: Record<string, unknown>): string;
}

const KNOWN = { filters: new Set(Object.keys(FILTERS)), tests: new Set(Object.keys(TESTS)) };
const interpreter = new Interpreter();

/** Compile a template; throws a {@link JinjaError} (kind "syntax") with the line. */
export function compileTemplate(source: string): CompiledTemplate {
  const nodes: Node[] = parse(tokenize(source), KNOWN);
  return { render: (vars) => interpreter.render(nodes, vars) };
}
