/**
 * Evaluates a parsed template: scopes as in jinja2 (a `for` body and a macro get their own,
 * `if` does not), Python operators and truthiness, Undefined that renders empty and fails when
 * read from, and errors that carry the template line and the expression they happened in.
 *
 * @module
 */
import { getAttr, getItem, getSlice, LoopContext, UndefinedAccess } from "./access.ts";
import { add, type FilterEnv, FILTERS } from "./filters.ts";
import { percentFormat } from "./format.ts";
import { contains, TESTS } from "./tests.ts";
import type { Expr, Node, Target } from "./parser.ts";
import {
  compare,
  equals,
  float,
  isFloat,
  isNumber,
  isTuple,
  iterate,
  JinjaError,
  Namespace,
  numberOf,
  type PyCallable,
  str,
  truthy,
  tuple,
  typeName,
  Undefined,
} from "./values.ts";

class Scope {
  readonly vars = new Map<string, unknown>();
  readonly parent?: Scope;
  constructor(parent?: Scope) {
    this.parent = parent;
  }
  lookup(name: string): unknown {
    if (this.vars.has(name)) return this.vars.get(name);
    return this.parent ? this.parent.lookup(name) : GLOBALS[name] ?? new Undefined(name);
  }
}

function range(args: unknown[]): unknown[] {
  const n = args.map(numberOf);
  const [start, stop, step] = n.length === 1 ? [0, n[0], 1] : [n[0], n[1], n[2] ?? 1];
  if (step === 0) throw new TypeError("range() arg 3 must not be zero");
  const out: number[] = [];
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) {
    out.push(i);
    if (out.length > 100_000) throw new RangeError("range too big");
  }
  return out;
}

const GLOBALS: Record<string, PyCallable> = {
  range: (args) => range(args),
  dict: (_args, kwargs) => ({ ...kwargs }),
  namespace: (args, kwargs) =>
    new Namespace({ ...(args[0] && typeof args[0] === "object" ? args[0] : {}), ...kwargs }),
};

const ENV: FilterEnv = {
  filter(name, value, args, kwargs) {
    const f = FILTERS[name];
    if (!f) throw new TypeError(`no filter named "${name}"`);
    return f(value, args, kwargs, ENV);
  },
  test(name, value, args) {
    const t = TESTS[name];
    if (!t) throw new TypeError(`no test named "${name}"`);
    return t(value, args);
  },
};

function undefinedIn(u: Undefined, where: string | undefined, line: number): JinjaError {
  const inWhat = where && where !== u.path ? ` in "${where}"` : "";
  return new JinjaError(`"${u.path}" is undefined${inWhat}`, "runtime", line);
}

/** Wrap an error thrown while evaluating `e` with its line and a hint of where. */
function located(error: unknown, line: number, what: string): JinjaError {
  if (error instanceof JinjaError) return error;
  if (error instanceof UndefinedAccess) return undefinedIn(error.undefinedValue, undefined, line);
  return new JinjaError(`${what}: ${(error as Error).message}`, "runtime", line);
}

function arithmetic(op: string, a: unknown, b: unknown): unknown {
  if (op === "~") return str(a) + str(b);
  if (a instanceof Undefined) throw new UndefinedAccess(a);
  if (b instanceof Undefined) throw new UndefinedAccess(b);
  if (op === "+") return add(a, b);
  if (op === "%" && typeof a === "string") return percentFormat(a, b);
  if (op === "*") {
    if (typeof a === "string" && typeof b === "number") return a.repeat(Math.max(0, b));
    if (typeof b === "string" && typeof a === "number") return b.repeat(Math.max(0, a));
    if (Array.isArray(a) && typeof b === "number") {
      const out = Array.from({ length: Math.max(0, b) }, () => a).flat();
      return isTuple(a) ? tuple(out) : out;
    }
  }
  if (!isNumber(a) || !isNumber(b)) {
    throw new TypeError(
      `unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`,
    );
  }
  const x = numberOf(a), y = numberOf(b);
  const anyFloat = isFloat(a) || isFloat(b);
  const result = (n: number) => (anyFloat ? float(n) : n);
  switch (op) {
    case "-":
      return result(x - y);
    case "*":
      return result(x * y);
    case "/":
      if (y === 0) throw new TypeError("division by zero");
      return float(x / y);
    case "//":
      if (y === 0) throw new TypeError("integer division or modulo by zero");
      return result(Math.floor(x / y));
    case "%": {
      if (y === 0) throw new TypeError("integer division or modulo by zero");
      let r = x % y;
      if (r !== 0 && (r < 0) !== (y < 0)) r += y;
      return result(r);
    }
    case "**":
      return !anyFloat && y >= 0 ? x ** y : float(x ** y);
  }
  throw new TypeError(`unknown operator ${op}`);
}

/** Renders parsed templates. */
export class Interpreter {
  evaluate(e: Expr, scope: Scope): unknown {
    switch (e.type) {
      case "const":
        return e.value;
      case "name":
        return scope.lookup(e.name);
      case "list":
        return e.items.map((x) => this.evaluate(x, scope));
      case "tuple":
        return tuple(e.items.map((x) => this.evaluate(x, scope)));
      case "dict":
        return Object.fromEntries(
          e.items.map(([k, v]) => [str(this.evaluate(k, scope)), this.evaluate(v, scope)]),
        );
      case "getattr": {
        const obj = this.evaluate(e.obj, scope);
        if (obj instanceof Undefined) throw undefinedIn(obj, e.chain, e.line);
        return getAttr(obj, e.attr, `${obj instanceof Undefined ? "" : describePath(e)}`);
      }
      case "getitem": {
        const obj = this.evaluate(e.obj, scope);
        if (obj instanceof Undefined) throw undefinedIn(obj, e.chain, e.line);
        return getItem(obj, this.evaluate(e.key, scope), describePath(e));
      }
      case "slice": {
        const obj = this.evaluate(e.obj, scope);
        const part = (x?: Expr) => (x ? this.evaluate(x, scope) : undefined);
        try {
          return getSlice(obj, part(e.start), part(e.stop), part(e.step));
        } catch (error) {
          throw located(error, e.line, "cannot slice");
        }
      }
      case "call": {
        const fn = this.evaluate(e.fn, scope);
        if (fn instanceof Undefined) throw undefinedIn(fn, e.chain, e.line);
        const args = e.args.map((a) => this.evaluate(a, scope));
        const kwargs = Object.fromEntries(e.kwargs.map(([k, v]) => [k, this.evaluate(v, scope)]));
        if (typeof fn !== "function") {
          throw new JinjaError(
            `"${describePath(e.fn)}" is not callable ('${typeName(fn)}' object) in "${e.chain}"`,
            "runtime",
            e.line,
          );
        }
        try {
          return (fn as PyCallable)(args, kwargs);
        } catch (error) {
          throw located(error, e.line, `calling "${describePath(e.fn)}"`);
        }
      }
      case "filter": {
        const value = this.evaluate(e.value, scope);
        const args = e.args.map((a) => this.evaluate(a, scope));
        const kwargs = Object.fromEntries(e.kwargs.map(([k, v]) => [k, this.evaluate(v, scope)]));
        try {
          return ENV.filter(e.name, value, args, kwargs);
        } catch (error) {
          throw located(error, e.line, `filter "${e.name}"`);
        }
      }
      case "test": {
        const value = this.evaluate(e.value, scope);
        const args = e.args.map((a) => this.evaluate(a, scope));
        try {
          return ENV.test(e.name, value, args) !== e.negate;
        } catch (error) {
          throw located(error, e.line, `test "${e.name}"`);
        }
      }
      case "unary": {
        const v = this.evaluate(e.operand, scope);
        if (e.op === "not") return !truthy(v);
        if (v instanceof Undefined) throw undefinedIn(v, undefined, e.line);
        if (!isNumber(v)) {
          throw new JinjaError(
            `bad operand type for unary ${e.op}: '${typeName(v)}'`,
            "runtime",
            e.line,
          );
        }
        const n = e.op === "-" ? -numberOf(v) : numberOf(v);
        return isFloat(v) ? float(n) : n === 0 ? 0 : n;
      }
      case "binary": {
        if (e.op === "and" || e.op === "or") {
          const left = this.evaluate(e.left, scope);
          if (e.op === "and" ? !truthy(left) : truthy(left)) return left;
          return this.evaluate(e.right, scope);
        }
        const a = this.evaluate(e.left, scope), b = this.evaluate(e.right, scope);
        try {
          return arithmetic(e.op, a, b);
        } catch (error) {
          throw located(error, e.line, `operator "${e.op}"`);
        }
      }
      case "compare": {
        let left = this.evaluate(e.first, scope);
        for (const [op, rightExpr] of e.ops) {
          const right = this.evaluate(rightExpr, scope);
          let ok: boolean;
          try {
            ok = compareOp(op, left, right);
          } catch (error) {
            throw located(error, e.line, `comparison "${op === "notin" ? "not in" : op}"`);
          }
          if (!ok) return false;
          left = right;
        }
        return true;
      }
      case "cond":
        if (truthy(this.evaluate(e.test, scope))) return this.evaluate(e.then, scope);
        return e.otherwise ? this.evaluate(e.otherwise, scope) : new Undefined("inline if");
    }
  }

  assign(target: Target, value: unknown, scope: Scope, line: number): void {
    if (target.type === "name") {
      scope.vars.set(target.name, value);
    } else if (target.type === "nsattr") {
      const ns = scope.lookup(target.name);
      if (!(ns instanceof Namespace)) {
        throw new JinjaError(
          `cannot assign attribute "${target.attr}" on "${target.name}", which is not a namespace()`,
          "runtime",
          line,
        );
      }
      ns.attrs[target.attr] = value;
    } else {
      let items: unknown[];
      try {
        items = iterate(value);
      } catch (error) {
        throw located(error, line, "cannot unpack");
      }
      if (items.length !== target.items.length) {
        throw new JinjaError(
          items.length < target.items.length
            ? `not enough values to unpack (expected ${target.items.length}, got ${items.length})`
            : `too many values to unpack (expected ${target.items.length})`,
          "runtime",
          line,
        );
      }
      target.items.forEach((t, i) => this.assign(t, items[i], scope, line));
    }
  }

  run(nodes: Node[], scope: Scope, out: string[]): void {
    for (const node of nodes) {
      switch (node.type) {
        case "data":
          out.push(node.text);
          break;
        case "output":
          out.push(str(this.evaluate(node.expr, scope)));
          break;
        case "if":
          this.run(
            truthy(this.evaluate(node.test, scope)) ? node.body : node.otherwise,
            scope,
            out,
          );
          break;
        case "for": {
          const iterable = this.evaluate(node.iter, scope);
          let items: unknown[];
          try {
            items = iterate(iterable);
          } catch (error) {
            throw located(error, node.line, `cannot loop over "${describePath(node.iter)}"`);
          }
          const inner = new Scope(scope);
          if (node.filter) {
            const filter = node.filter;
            items = items.filter((item) => {
              this.assign(node.target, item, inner, node.line);
              return truthy(this.evaluate(filter, inner));
            });
          }
          if (items.length === 0) {
            this.run(node.otherwise, scope, out);
            break;
          }
          const loop = new LoopContext(items);
          inner.vars.set("loop", loop);
          for (let i = 0; i < items.length; i++) {
            loop.index0 = i;
            this.assign(node.target, items[i], inner, node.line);
            this.run(node.body, inner, out);
          }
          break;
        }
        case "set":
          this.assign(node.target, this.evaluate(node.expr, scope), scope, node.line);
          break;
        case "setblock": {
          const parts: string[] = [];
          this.run(node.body, new Scope(scope), parts);
          this.assign(
            node.target,
            this.applyFilters(node.filters, parts.join(""), scope),
            scope,
            node.line,
          );
          break;
        }
        case "filterblock": {
          const parts: string[] = [];
          this.run(node.body, scope, parts);
          out.push(str(this.applyFilters(node.filters, parts.join(""), scope)));
          break;
        }
        case "with": {
          const inner = new Scope(scope);
          for (const [t, e] of node.assigns) {
            this.assign(t, this.evaluate(e, scope), inner, node.line);
          }
          this.run(node.body, inner, out);
          break;
        }
        case "macro":
          scope.vars.set(node.name, this.macro(node, scope));
          break;
      }
    }
  }

  applyFilters(filters: Expr[], text: unknown, scope: Scope): unknown {
    let value = text;
    for (const f of filters) {
      if (f.type !== "filter") continue;
      const args = f.args.map((a) => this.evaluate(a, scope));
      const kwargs = Object.fromEntries(f.kwargs.map(([k, v]) => [k, this.evaluate(v, scope)]));
      try {
        value = ENV.filter(f.name, value, args, kwargs);
      } catch (error) {
        throw located(error, f.line, `filter "${f.name}"`);
      }
    }
    return value;
  }

  macro(node: Node & { type: "macro" }, defined: Scope): PyCallable {
    return (args, kwargs) => {
      if (args.length > node.params.length) {
        throw new TypeError(
          `macro "${node.name}" takes not more than ${node.params.length} arguments`,
        );
      }
      const scope = new Scope(defined);
      node.params.forEach((p, i) => {
        let v: unknown;
        if (i < args.length) v = args[i];
        else if (Object.hasOwn(kwargs, p.name)) v = kwargs[p.name];
        else if (p.default) v = this.evaluate(p.default, scope);
        else v = new Undefined(p.name);
        scope.vars.set(p.name, v);
      });
      for (const k of Object.keys(kwargs)) {
        if (!node.params.some((p) => p.name === k)) {
          throw new TypeError(`macro "${node.name}" takes no keyword argument "${k}"`);
        }
      }
      const out: string[] = [];
      this.run(node.body, scope, out);
      return out.join("");
    };
  }

  /** Render statements with the given variables. */
  render(nodes: Node[], vars: Record<string, unknown>): string {
    const scope = new Scope();
    for (const [k, v] of Object.entries(vars)) {
      scope.vars.set(k, v === undefined ? new Undefined(k) : v);
    }
    const out: string[] = [];
    try {
      this.run(nodes, new Scope(scope), out);
    } catch (error) {
      if (error instanceof JinjaError) throw error;
      if (error instanceof UndefinedAccess) throw undefinedIn(error.undefinedValue, undefined, 0);
      // Every evaluation step adds its line; this is only a safety net.
      throw new JinjaError((error as Error).message, "runtime");
    }
    return out.join("");
  }
}

function describePath(e: Expr): string {
  switch (e.type) {
    case "name":
      return e.name;
    case "getattr":
      return `${describePath(e.obj)}.${e.attr}`;
    case "getitem":
      return e.key.type === "const"
        ? `${describePath(e.obj)}[${JSON.stringify(e.key.value)}]`
        : `${describePath(e.obj)}[…]`;
    case "call":
      return `${describePath(e.fn)}(…)`;
    case "filter":
      return `${describePath(e.value)}|${e.name}`;
    default:
      return "…";
  }
}

function compareOp(op: string, a: unknown, b: unknown): boolean {
  switch (op) {
    case "==":
      return equals(a, b);
    case "!=":
      return !equals(a, b);
    case "in":
      return contains(b, a);
    case "notin":
      return !contains(b, a);
  }
  if (a instanceof Undefined) throw new UndefinedAccess(a);
  if (b instanceof Undefined) throw new UndefinedAccess(b);
  const c = compare(a, b, op);
  return op === "<" ? c < 0 : op === "<=" ? c <= 0 : op === ">" ? c > 0 : c >= 0;
}
