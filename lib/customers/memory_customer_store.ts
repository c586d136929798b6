/**
 * An in-memory customer store: the one fake of the customer port, for tests and demos. It
 * keeps the contract the real stores keep (`store_contract.ts`): copies in and out, replace by
 * id, `NotFoundError` for an unknown id, `TypeError` for a blank one, list in id order.
 *
 * @module
 */
import { NotFoundError } from "../errors.ts";
import type { Customer, CustomerStore } from "./types.ts";

/** Options of {@link createMemoryCustomerStore}. */
export interface MemoryCustomerStoreOptions {
  /** Every call rejects with this error (fault tests), as an unreachable store's calls do. */
  failWith?: () => Error;
  /** The store's `backend` name (default `"memory"`). */
  backend?: string;
}

const byNumericId = (a: Customer, b: Customer) => a.id.localeCompare(b.id, "en", { numeric: true });

/**
 * A customer store over a map.
 *
 * @example
 * ```ts
 * import { createMemoryCustomerStore } from "./memory_customer_store.ts";
 * const store = createMemoryCustomerStore([{
 *   id: "1", firstName: "Ann", lastName: "Lee", age: 30, email: "ann@example.com",
 *   phone: "555-0100", address: "1 Main St", membership: "Gold", orders: [],
 * }]);
 * console.assert((await store.get("1")).firstName === "Ann");
 * ```
 */
export function createMemoryCustomerStore(
  customers: Customer[] = [],
  options: MemoryCustomerStoreOptions = {},
): CustomerStore {
  const byId = new Map(customers.map((c) => [c.id, structuredClone(c)]));
  const answer = <T>(value: () => T): Promise<T> => {
    if (options.failWith) return Promise.reject(options.failWith());
    try {
      return Promise.resolve(value());
    } catch (error) {
      return Promise.reject(error);
    }
  };
  return {
    backend: options.backend ?? "memory",
    get: (id) =>
      answer(() => {
        if (typeof id !== "string" || id.trim() === "") {
          throw new TypeError("Customer id must be a non-empty string");
        }
        const customer = byId.get(id);
        if (!customer) throw new NotFoundError("customer", id);
        return structuredClone(customer);
      }),
    list: () => answer(() => [...byId.values()].sort(byNumericId).map((c) => structuredClone(c))),
    upsert: (items) =>
      answer(() => {
        for (const c of items) byId.set(c.id, structuredClone(c));
        return items.length;
      }),
    count: () => answer(() => byId.size),
  };
}
