/**
 * The Jinja2 parser: tokens to a tree, with jinja2's operator precedence (conditional
 * expressions, `or`, `and`, `not`, comparisons and `in`, `+ -`, `~`, `* / // %`, `**`, unary
 * signs, then postfix access, filters and `is` tests) and the statements prompts use: `if`
 * / `elif` / `else`, `for` (with `else`, an `if` filter and unpacking), `set` (including
 * namespace attributes and block capture), `macro`, `filter` and `with`. Unknown tags, filters
 * and tests are syntax errors at compile time, as in jinja2.
 *
 * @module
 */
import type { Token } from "./lexer.ts";
import { float, JinjaError } from "./values.ts";

/** An expression node. */
export type Expr =
  | { type: "const"; value: unknown; line: number }
  | { type: "name"; name: string; line: number }
  | { type: "list" | "tuple"; items: Expr[]; line: number }
  | { type: "dict"; items: [Expr, Expr][]; line: number }
  | { type: "getattr"; obj: Expr; attr: string; line: number; chain: string }
  | { type: "getitem"; obj: Expr; key: Expr; line: number; chain: string }
  | {
    type: "slice";
    obj: Expr;
    start?: Expr;
    stop?: Expr;
    step?: Expr;
    line: number;
  }
  | { type: "call"; fn: Expr; args: Expr[]; kwargs: [string, Expr][]; line: number; chain: string }
  | {
    type: "filter";
    value: Expr;
    name: string;
    args: Expr[];
    kwargs: [string, Expr][];
    line: number;
  }
  | {
    type: "test";
    value: Expr;
    name: string;
    args: Expr[];
    negate: boolean;
    line: number;
  }
  | { type: "unary"; op: "-" | "+" | "not"; operand: Expr; line: number }
  | { type: "binary"; op: string; left: Expr; right: Expr; line: number }
  | { type: "compare"; first: Expr; ops: [string, Expr][]; line: number }
  | { type: "cond"; test: Expr; then: Expr; otherwise?: Expr; line: number };

/** An assignment target: a name, `ns.attr`, or a tuple of names. */
export type Target =
  | { type: "name"; name: string }
  | { type: "nsattr"; name: string; attr: string }
  | { type: "tuple"; items: Target[] };

/** A statement node. */
export type Node =
  | { type: "data"; text: string; line: number }
  | { type: "output"; expr: Expr; line: number }
  | { type: "if"; test: Expr; body: Node[]; otherwise: Node[]; line: number }
  | {
    type: "for";
    target: Target;
    iter: Expr;
    filter?: Expr;
    body: Node[];
    otherwise: Node[];
    line: number;
  }
  | { type: "set"; target: Target; expr: Expr; line: number }
  | { type: "setblock"; target: Target; body: Node[]; filters: Expr[]; line: number }
  | {
    type: "macro";
    name: string;
    params: { name: string; default?: Expr }[];
    body: Node[];
    line: number;
  }
  | { type: "filterblock"; filters: Expr[]; body: Node[]; line: number }
  | { type: "with"; assigns: [Target, Expr][]; body: Node[]; line: number };

/** Names the parser accepts; the interpreter supplies the implementations. */
export interface KnownNames {
  filters: Set<string>;
  tests: Set<string>;
}

const COMPARE_OPS = new Set(["==", "!=", "<", "<=", ">", ">="]);

/** Source text of an expression, for messages (`customer.address.city`). */
export function describe(e: Expr): string {
  switch (e.type) {
    case "name":
      return e.name;
    case "const":
      return typeof e.value === "string" ? JSON.stringify(e.value) : String(e.value);
    case "getattr":
      return `${describe(e.obj)}.${e.attr}`;
    case "getitem":
      return `${describe(e.obj)}[${describe(e.key)}]`;
    case "slice":
      return `${describe(e.obj)}[…]`;
    case "call":
      return `${describe(e.fn)}(…)`;
    case "filter":
      return `${describe(e.value)}|${e.name}`;
    default:
      return "…";
  }
}

/** Parse tokens to statements. */
export function parse(tokens: Token[], known: KnownNames): Node[] {
  let i = 0;
  const peek = () => tokens[i];
  const next = () => tokens[i++];
  const fail = (message: string, t: Token = peek()): never => {
    throw new JinjaError(message, "syntax", t.line);
  };
  const isOp = (v: string, t = peek()) => t.type === "op" && t.value === v;
  const isName = (v: string, t = peek()) => t.type === "name" && t.value === v;
  const describeToken = (t: Token) =>
    t.type === "eof"
      ? "end of template"
      : t.type === "var_end"
      ? "end of print statement"
      : t.type === "block_end"
      ? "end of statement block"
      : "value" in t
      ? `"${t.value}"`
      : t.type;
  const expectOp = (v: string) => {
    if (!isOp(v)) fail(`expected "${v}", got ${describeToken(peek())}`);
    return next();
  };
  const expectName = (v?: string): string => {
    const t = peek();
    if (t.type !== "name" || (v !== undefined && t.value !== v)) {
      fail(`expected ${v ? `"${v}"` : "a name"}, got ${describeToken(t)}`);
    }
    next();
    return (t as { value: string }).value;
  };
  const expectBlockEnd = () => {
    if (peek().type !== "block_end") fail(`expected end of tag, got ${describeToken(peek())}`);
    next();
  };

  // ---- expressions ----
  function expression(withCond = true): Expr {
    return withCond ? condexpr() : or();
  }
  function condexpr(): Expr {
    let e = or();
    while (isName("if")) {
      const line = next().line;
      const test = or();
      let otherwise: Expr | undefined;
      if (isName("else")) {
        next();
        otherwise = condexpr();
      }
      e = { type: "cond", test, then: e, otherwise, line };
    }
    return e;
  }
  function or(): Expr {
    let e = and();
    while (isName("or")) {
      const line = next().line;
      e = { type: "binary", op: "or", left: e, right: and(), line };
    }
    return e;
  }
  function and(): Expr {
    let e = not();
    while (isName("and")) {
      const line = next().line;
      e = { type: "binary", op: "and", left: e, right: not(), line };
    }
    return e;
  }
  function not(): Expr {
    if (isName("not")) {
      const line = next().line;
      return { type: "unary", op: "not", operand: not(), line };
    }
    return compare();
  }
  function compare(): Expr {
    const first = math1();
    const ops: [string, Expr][] = [];
    for (;;) {
      const t = peek();
      if (t.type === "op" && COMPARE_OPS.has(t.value)) {
        next();
        ops.push([t.value, math1()]);
      } else if (isName("in")) {
        next();
        ops.push(["in", math1()]);
      } else if (isName("not") && isName("in", tokens[i + 1])) {
        i += 2;
        ops.push(["notin", math1()]);
      } else break;
    }
    return ops.length ? { type: "compare", first, ops, line: first.line } : first;
  }
  function binaryLevel(ops: string[], operand: () => Expr): () => Expr {
    return () => {
      let e = operand();
      while (peek().type === "op" && ops.includes((peek() as { value: string }).value)) {
        const t = next() as { value: string; line: number };
        e = { type: "binary", op: t.value, left: e, right: operand(), line: t.line };
      }
      return e;
    };
  }
  const pow = binaryLevel(["**"], () => unary());
  const math2 = binaryLevel(["*", "/", "//", "%"], pow);
  const concat = binaryLevel(["~"], math2);
  const math1 = binaryLevel(["+", "-"], concat);

  function unary(withFilter = true): Expr {
    let e: Expr;
    const t = peek();
    if (isOp("-") || isOp("+")) {
      next();
      e = {
        type: "unary",
        op: (t as { value: "-" | "+" }).value,
        operand: unary(false),
        line: t.line,
      };
    } else e = primary();
    e = postfix(e);
    if (withFilter) e = filterExpr(e);
    return e;
  }
  function primary(): Expr {
    const t = next();
    switch (t.type) {
      case "name":
        if (t.value === "true" || t.value === "True") {
          return { type: "const", value: true, line: t.line };
        }
        if (t.value === "false" || t.value === "False") {
          return { type: "const", value: false, line: t.line };
        }
        if (t.value === "none" || t.value === "None") {
          return { type: "const", value: null, line: t.line };
        }
        return { type: "name", name: t.value, line: t.line };
      case "string": {
        let value = t.value;
        while (peek().type === "string") value += (next() as { value: string }).value;
        return { type: "const", value, line: t.line };
      }
      case "int":
        return { type: "const", value: t.value, line: t.line };
      case "float":
        return { type: "const", value: float(t.value), line: t.line };
      case "op":
        if (t.value === "(") {
          if (isOp(")")) {
            next();
            return { type: "tuple", items: [], line: t.line };
          }
          const first = expression();
          if (isOp(")")) {
            next();
            return first;
          }
          const items = [first];
          while (isOp(",")) {
            next();
            if (isOp(")")) break;
            items.push(expression());
          }
          expectOp(")");
          return { type: "tuple", items, line: t.line };
        }
        if (t.value === "[") {
          const items: Expr[] = [];
          while (!isOp("]")) {
            if (items.length) expectOp(",");
            if (isOp("]")) break;
            items.push(expression());
          }
          next();
          return { type: "list", items, line: t.line };
        }
        if (t.value === "{") {
          const items: [Expr, Expr][] = [];
          while (!isOp("}")) {
            if (items.length) expectOp(",");
            if (isOp("}")) break;
            const key = expression();
            expectOp(":");
            items.push([key, expression()]);
          }
          next();
          return { type: "dict", items, line: t.line };
        }
    }
    return fail(`expected an expression, got ${describeToken(t)}`, t);
  }
  function callArgs(): { args: Expr[]; kwargs: [string, Expr][] } {
    expectOp("(");
    const args: Expr[] = [];
    const kwargs: [string, Expr][] = [];
    while (!isOp(")")) {
      if (args.length || kwargs.length) expectOp(",");
      if (isOp(")")) break;
      if (peek().type === "name" && isOp("=", tokens[i + 1])) {
        const name = (next() as { value: string }).value;
        next();
        kwargs.push([name, expression()]);
      } else {
        if (kwargs.length) fail("positional argument after keyword argument");
        args.push(expression());
      }
    }
    next();
    return { args, kwargs };
  }
  function postfix(e: Expr): Expr {
    const created: { chain: string }[] = [];
    for (;;) {
      const t = peek();
      if (isOp(".")) {
        next();
        const a = next();
        if (a.type === "name") {
          e = { type: "getattr", obj: e, attr: a.value, line: t.line, chain: "" };
        } else if (a.type === "int") {
          e = {
            type: "getitem",
            obj: e,
            key: { type: "const", value: a.value, line: a.line },
            line: t.line,
            chain: "",
          };
        } else fail(`expected an attribute name after ".", got ${describeToken(a)}`, a);
        created.push(e as { chain: string });
      } else if (isOp("[")) {
        next();
        const parts: (Expr | undefined)[] = [undefined];
        let colons = 0;
        while (!isOp("]")) {
          if (isOp(":")) {
            next();
            colons++;
            parts.push(undefined);
          } else if (parts[colons] === undefined) parts[colons] = expression();
          else fail(`expected "]", got ${describeToken(peek())}`);
        }
        next();
        if (colons === 0) {
          if (!parts[0]) fail("expected a subscript", t);
          e = { type: "getitem", obj: e, key: parts[0]!, line: t.line, chain: "" };
          created.push(e as { chain: string });
        } else {
          e = {
            type: "slice",
            obj: e,
            start: parts[0],
            stop: parts[1],
            step: parts[2],
            line: t.line,
          };
        }
      } else if (isOp("(")) {
        const { args, kwargs } = callArgs();
        e = { type: "call", fn: e, args, kwargs, line: t.line, chain: "" };
        created.push(e as { chain: string });
      } else break;
    }
    const chain = describe(e);
    for (const c of created) c.chain = chain;
    return e;
  }
  function filterExpr(e: Expr): Expr {
    for (;;) {
      if (isOp("|")) {
        const line = next().line;
        let name = expectName();
        while (isOp(".")) {
          next();
          name += "." + expectName();
        }
        if (!known.filters.has(name)) fail(`no filter named "${name}"`);
        const { args, kwargs } = isOp("(") ? callArgs() : { args: [], kwargs: [] };
        e = { type: "filter", value: e, name, args, kwargs, line };
      } else if (isName("is")) {
        const line = next().line;
        const negate = isName("not") ? (next(), true) : false;
        const t = peek();
        let name: string;
        if (t.type === "name") name = (next(), t.value);
        else if (t.type === "op" && COMPARE_OPS.has(t.value)) name = (next(), t.value);
        else name = fail(`expected a test name, got ${describeToken(t)}`);
        if (!known.tests.has(name)) fail(`no test named "${name}"`, t);
        let args: Expr[] = [];
        if (isOp("(")) {
          const call = callArgs();
          args = call.args;
        } else {
          const a = peek();
          const startsArg = a.type === "string" || a.type === "int" || a.type === "float" ||
            (a.type === "name" &&
              !["else", "or", "and", "if", "is", "in", "not"].includes(a.value)) ||
            (a.type === "op" && (a.value === "[" || a.value === "{" || a.value === "-"));
          if (startsArg) args = [postfix(primaryOrSigned())];
        }
        e = { type: "test", value: e, name, args, negate, line };
      } else break;
      e = postfix(e);
    }
    return e;
  }
  function primaryOrSigned(): Expr {
    return isOp("-") ? unary(false) : primary();
  }
  function tupleExpr(): Expr {
    const first = expression();
    if (!isOp(",")) return first;
    const items = [first];
    while (isOp(",")) {
      next();
      if (peek().type === "block_end" || peek().type === "var_end") break;
      items.push(expression());
    }
    return { type: "tuple", items, line: first.line };
  }

  // ---- statements ----
  function target(allowNs: boolean): Target {
    const items: Target[] = [];
    do {
      if (items.length) next();
      const name = expectName();
      if (allowNs && isOp(".")) {
        next();
        items.push({ type: "nsattr", name, attr: expectName() });
      } else items.push({ type: "name", name });
    } while (isOp(","));
    return items.length === 1 ? items[0] : { type: "tuple", items };
  }

  // The innermost open tag, for "never closed" errors.
  const open: { name: string; line: number }[] = [];

  function subparse(ends: string[]): { body: Node[]; end: string } {
    const body: Node[] = [];
    for (;;) {
      const t = next();
      if (t.type === "eof") {
        if (ends.length) {
          const tag = open.at(-1)!;
          throw new JinjaError(
            `the "${tag.name}" tag is never closed (expected "${ends.join('" or "')}")`,
            "syntax",
            tag.line,
          );
        }
        return { body, end: "" };
      }
      if (t.type === "data") body.push({ type: "data", text: t.value, line: t.line });
      else if (t.type === "var_begin") {
        if (peek().type === "var_end") fail("expected an expression, got end of print statement");
        const expr = tupleExpr();
        if (peek().type !== "var_end") {
          fail(`expected end of print statement, got ${describeToken(peek())}`);
        }
        next();
        body.push({ type: "output", expr, line: t.line });
      } else if (t.type === "block_begin") {
        const tag = peek();
        if (tag.type !== "name") fail(`expected a tag name, got ${describeToken(tag)}`);
        const name = (tag as { value: string }).value;
        if (ends.includes(name)) {
          next();
          return { body, end: name };
        }
        if (/^end|^(?:else|elif)$/.test(name)) {
          const inner = open.at(-1);
          fail(
            inner
              ? `unexpected "${name}": the "${inner.name}" tag of line ${inner.line} is still open (expected "${
                ends.join('" or "')
              }")`
              : `unexpected "${name}" with no open tag`,
            tag,
          );
        }
        body.push(statement(name, t.line));
      }
    }
  }

  function statement(name: string, line: number): Node {
    next();
    open.push({ name, line });
    const node = statementBody(name, line);
    open.pop();
    return node;
  }

  function statementBody(name: string, line: number): Node {
    switch (name) {
      case "if": {
        const test = expression();
        expectBlockEnd();
        const { body, end } = subparse(["elif", "else", "endif"]);
        const node: Node = { type: "if", test, body, otherwise: [], line };
        let cur = node;
        let last = end;
        while (last === "elif") {
          const l = tokens[i - 1].line;
          const t = expression();
          expectBlockEnd();
          const r = subparse(["elif", "else", "endif"]);
          const elif: Node & { type: "if" } = {
            type: "if",
            test: t,
            body: r.body,
            otherwise: [],
            line: l,
          };
          cur.otherwise = [elif];
          cur = elif;
          last = r.end;
        }
        if (last === "else") {
          expectBlockEnd();
          cur.otherwise = subparse(["endif"]).body;
        }
        expectBlockEnd();
        return node;
      }
      case "for": {
        const tgt = target(false);
        expectName("in");
        const iter = tupleExprNoCond();
        let filter: Expr | undefined;
        if (isName("if")) {
          next();
          filter = expression();
        }
        if (isName("recursive")) fail("recursive loops are not supported");
        expectBlockEnd();
        const { body, end } = subparse(["endfor", "else"]);
        let otherwise: Node[] = [];
        if (end === "else") {
          expectBlockEnd();
          otherwise = subparse(["endfor"]).body;
        }
        expectBlockEnd();
        return { type: "for", target: tgt, iter, filter, body, otherwise, line };
      }
      case "set": {
        const tgt = target(true);
        if (isOp("=")) {
          next();
          const expr = tupleExpr();
          expectBlockEnd();
          return { type: "set", target: tgt, expr, line };
        }
        const filters: Expr[] = [];
        let holder: Expr = { type: "const", value: "", line };
        if (isOp("|")) holder = filterExpr(holder);
        for (let f = holder; f.type === "filter"; f = f.value) filters.unshift(f);
        expectBlockEnd();
        const { body } = subparse(["endset"]);
        expectBlockEnd();
        return { type: "setblock", target: tgt, body, filters, line };
      }
      case "macro": {
        const macroName = expectName();
        expectOp("(");
        const params: { name: string; default?: Expr }[] = [];
        while (!isOp(")")) {
          if (params.length) expectOp(",");
          const p = expectName();
          if (isOp("=")) {
            next();
            params.push({ name: p, default: expression() });
          } else params.push({ name: p });
        }
        next();
        expectBlockEnd();
        const { body } = subparse(["endmacro"]);
        if (peek().type === "name") next();
        expectBlockEnd();
        return { type: "macro", name: macroName, params, body, line };
      }
      case "filter": {
        // `{% filter upper %}` reads like `|upper` applied to the block's text.
        i--;
        tokens[i] = { type: "op", value: "|", line };
        const holder = filterExpr({ type: "const", value: "", line });
        const filters: Expr[] = [];
        for (let f = holder; f.type === "filter"; f = f.value) filters.unshift(f);
        expectBlockEnd();
        const { body } = subparse(["endfilter"]);
        expectBlockEnd();
        return { type: "filterblock", filters, body, line };
      }
      case "with": {
        const assigns: [Target, Expr][] = [];
        while (peek().type !== "block_end") {
          if (assigns.length) expectOp(",");
          const t = target(false);
          expectOp("=");
          assigns.push([t, expression()]);
        }
        expectBlockEnd();
        const { body } = subparse(["endwith"]);
        expectBlockEnd();
        return { type: "with", assigns, body, line };
      }
      default:
        return fail(`unknown tag "${name}"`, tokens[i - 1]);
    }
  }

  function tupleExprNoCond(): Expr {
    const first = expression(false);
    if (!isOp(",")) return first;
    const items = [first];
    while (isOp(",")) {
      next();
      items.push(expression(false));
    }
    return { type: "tuple", items, line: first.line };
  }

  return subparse([]).body;
}
