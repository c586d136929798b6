/**
 * The contract every {@link CustomerStore} keeps, as one suite each implementation runs (the
 * way Hono's routers all pass one `runTest`): the embedded Cosmos DB server, Azure Cosmos DB
 * through its loopback stand-in, and the in-memory fake. A store passes when it stores what it
 * is given and hands back copies, replaces by id, answers an unknown id with `NotFoundError`
 * (never another customer, whatever the id holds) and a blank id with `TypeError`, and lists
 * in id order.
 *
 * @module
 */
import { deepEqual, equal, notEqual, ok, rejects } from "node:assert/strict";
import { NotFoundError } from "../errors.ts";
import { contractSteps, type Opened } from "../_port_contract.ts";
import type { Customer, CustomerStore } from "./types.ts";

/** An empty store under test and how to release what it holds. */
export interface OpenedCustomerStore extends Opened {
  store: CustomerStore;
}

/** Options of {@link testCustomerStoreContract}. */
export interface CustomerStoreContractOptions {
  /** Opens a new, empty store; called once per case. */
  open(): Promise<OpenedCustomerStore> | OpenedCustomerStore;
}

const base: Customer = {
  id: "7",
  firstName: "Noor",
  lastName: "Haddad",
  age: 51,
  email: "noor.haddad@example.org",
  phone: "+44 20 7946 0718",
  address: "Flat 3, 18 Harbour Row, Bristol",
  membership: "Silver",
  orders: [{
    id: 31,
    productId: "12",
    quantity: 2,
    total: 119.98,
    date: "2025-09-14",
    name: "Ridgeline Trekking Poles",
    unitprice: 59.99,
    category: "Hiking accessories",
    brand: "Cairnworks",
    description: 'Carbon poles with cork grips, "twist-lock" sections & a 110-140 cm range.',
  }],
};

/** Customers whose ids sort differently as text and as numbers ("10" after "9"). */
function customers(): Customer[] {
  return [
    base,
    { ...base, id: "10", firstName: "Ilse", orders: [] },
    { ...base, id: "9", firstName: "Kwame", membership: "Gold", orders: [] },
  ].map((c) => structuredClone(c));
}

/**
 * Runs the customer store contract as steps of the calling test.
 *
 * @example
 * ```ts ignore
 * Deno.test("createMemoryCustomerStore() keeps the CustomerStore contract", (t) =>
 *   testCustomerStoreContract(t, { open: () => ({ store: createMemoryCustomerStore() }) }));
 * ```
 */
export async function testCustomerStoreContract(
  t: Deno.TestContext,
  options: CustomerStoreContractOptions,
): Promise<void> {
  const steps = contractSteps(t, options.open);
  const step = (name: string, fn: (store: CustomerStore) => Promise<void>) =>
    steps(name, (opened) => fn(opened.store));

  await step("an empty store counts 0, lists nothing and knows no id", async (store) => {
    ok(typeof store.backend === "string" && store.backend !== "");
    equal(await store.count(), 0);
    deepEqual(await store.list(), []);
    await rejects(store.get("7"), NotFoundError);
  });

  await step("upsert() stores every field; get() and list() give them back", async (store) => {
    equal(await store.upsert(customers()), 3);
    equal(await store.count(), 3);
    deepEqual(await store.get("7"), base);
    deepEqual((await store.list()).map((c) => c.id), ["7", "9", "10"], "id order, numeric");
    deepEqual((await store.list()).find((c) => c.id === "7"), base);
  });

  await step("upsert() replaces by id", async (store) => {
    await store.upsert(customers());
    equal(await store.upsert([{ ...base, membership: "Platinum", orders: [] }]), 1);
    equal(await store.count(), 3);
    deepEqual(await store.get("7"), { ...base, membership: "Platinum", orders: [] });
    equal(await store.upsert([]), 0);
    equal(await store.count(), 3);
  });

  await step("callers get copies: changing one changes nothing stored", async (store) => {
    const given = customers();
    await store.upsert(given);
    given[0].firstName = "Changed after upsert";
    const got = await store.get("7");
    got.orders[0].quantity = 99;
    (await store.list())[0].lastName = "Changed in a list";
    deepEqual(await store.get("7"), base);
    notEqual(await store.get("7"), await store.get("7"));
  });

  await step("an id that names no customer is NotFoundError, never another one", async (store) => {
    await store.upsert(customers());
    for (
      const id of [
        "8",
        "07",
        "7 ",
        "Noor",
        ".",
        "..",
        "?id=7",
        "7/../9",
        "a/b",
        "#7",
        "7\\9",
        "\ud800",
        "7".repeat(256),
      ]
    ) {
      await rejects(store.get(id), NotFoundError, JSON.stringify(id));
    }
  });

  await step("a blank id is bad input (TypeError), not an unknown customer", async (store) => {
    await store.upsert(customers());
    for (const id of ["", "   "]) await rejects(store.get(id), TypeError, JSON.stringify(id));
  });
}
