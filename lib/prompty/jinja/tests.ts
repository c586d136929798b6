/**
 * jinja2's tests (`x is defined`, `is number`, `is divisibleby 3`, …) and Python's `in`.
 *
 * @module
 */
import { FILTERS } from "./filters.ts";
import {
  compare,
  equals,
  isFloat,
  isMapping,
  isNumber,
  Namespace,
  numberOf,
  str,
  typeName,
  Undefined,
} from "./values.ts";

/** A test implementation. */
export type Test = (value: unknown, args: unknown[]) => boolean;

const cmp = (op: string, f: (c: number) => boolean): Test => (v, a) => f(compare(v, a[0], op));

/** The tests (`is defined`, `is number`, …), by name. */
export const TESTS: Record<string, Test> = {
  defined: (v) => !(v instanceof Undefined),
  undefined: (v) => v instanceof Undefined,
  none: (v) => v === null,
  boolean: (v) => typeof v === "boolean",
  true: (v) => v === true,
  false: (v) => v === false,
  integer: (v) => typeof v === "number" && Number.isInteger(v),
  float: (v) => isFloat(v),
  number: (v) => isNumber(v),
  string: (v) => typeof v === "string",
  mapping: (v) => isMapping(v),
  iterable: (v) =>
    v instanceof Undefined || typeof v === "string" || Array.isArray(v) || isMapping(v),
  sequence: (v) => typeof v === "string" || Array.isArray(v) || isMapping(v),
  callable: (v) => typeof v === "function",
  sameas: (v, a) => v === a[0],
  even: (v) => {
    if (!isNumber(v)) throw new TypeError(`not all arguments converted during string formatting`);
    return numberOf(v) % 2 === 0;
  },
  odd: (v) => {
    if (!isNumber(v)) throw new TypeError(`not all arguments converted during string formatting`);
    return Math.abs(numberOf(v) % 2) === 1;
  },
  divisibleby: (v, a) => numberOf(v) % numberOf(a[0]) === 0,
  eq: (v, a) => equals(v, a[0]),
  ne: (v, a) => !equals(v, a[0]),
  lt: cmp("<", (c) => c < 0),
  le: cmp("<=", (c) => c <= 0),
  gt: cmp(">", (c) => c > 0),
  ge: cmp(">=", (c) => c >= 0),
  in: (v, a) => contains(a[0], v),
  lower: (v) => str(v) === str(v).toLowerCase(),
  upper: (v) => str(v) === str(v).toUpperCase(),
  escaped: () => false,
  filter: (v) => typeof v === "string" && v in FILTERS,
  test: (v) => typeof v === "string" && v in TESTS,
};
Object.assign(TESTS, {
  "==": TESTS.eq,
  equalto: TESTS.eq,
  "!=": TESTS.ne,
  "<": TESTS.lt,
  lessthan: TESTS.lt,
  "<=": TESTS.le,
  ">": TESTS.gt,
  greaterthan: TESTS.gt,
  ">=": TESTS.ge,
});

/** Python's `item in container`. */
export function contains(container: unknown, item: unknown): boolean {
  if (container instanceof Undefined) return false;
  if (typeof container === "string") {
    if (typeof item !== "string") {
      throw new TypeError(`'in <string>' requires string as left operand, not ${typeName(item)}`);
    }
    return container.includes(item);
  }
  if (Array.isArray(container)) return container.some((x) => equals(x, item));
  if (isMapping(container)) return typeof item === "string" && Object.hasOwn(container, item);
  if (container instanceof Namespace) return false;
  throw new TypeError(`argument of type '${typeName(container)}' is not iterable`);
}
