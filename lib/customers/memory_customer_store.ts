/**
 * An in-memory customer store: the fake for tests at the port.
 *
 * @module
 */
import { NotFoundError } from "../errors.ts";
import type { Customer, CustomerStore } from "./types.ts";

/** A customer store over a map; `fail` makes every call throw (fault tests). */
export function createMemoryCustomerStore(
  customers: Customer[] = [],
  options: { fail?: () => Error } = {},
): CustomerStore {
  const byId = new Map(customers.map((c) => [c.id, structuredClone(c)]));
  const guard = () => {
    if (options.fail) throw options.fail();
  };
  return {
    backend: "memory",
    get(id) {
      guard();
      const customer = byId.get(id);
      if (!customer) return Promise.reject(new NotFoundError("customer", id));
      return Promise.resolve(structuredClone(customer));
    },
    list() {
      guard();
      return Promise.resolve([...byId.values()].map((c) => structuredClone(c)));
    },
    upsert(items) {
      guard();
      for (const c of items) byId.set(c.id, structuredClone(c));
      return Promise.resolve(items.length);
    },
    count() {
      guard();
      return Promise.resolve(byId.size);
    },
  };
}
