import { deepEqual, equal, rejects } from "node:assert/strict";
import { NotFoundError } from "../errors.ts";
import { createCosmosCustomerStore, startEmbeddedCosmos } from "./mod.ts";
import type { Customer } from "./types.ts";

const ann: Customer = {
  id: "1",
  firstName: "Ann",
  lastName: "Lee",
  age: 30,
  email: "ann@example.com",
  phone: "555-0100",
  address: "1 Main St",
  membership: "Gold",
  orders: [],
};

Deno.test("createCosmosCustomerStore() on the embedded server: upsert, get, list, count, not found", async () => {
  const cosmos = await startEmbeddedCosmos();
  try {
    const store = await createCosmosCustomerStore(cosmos.client, {
      database: "db",
      container: "customers",
      createIfMissing: true,
    });
    equal(await store.upsert([ann, { ...ann, id: "2", firstName: "Bo" }]), 2);
    equal(await store.upsert([ann]), 1); // idempotent
    equal(await store.count(), 2);
    deepEqual(await store.get("1"), ann);
    deepEqual((await store.list()).map((c) => c.id), ["1", "2"]);
    await rejects(store.get("404"), NotFoundError);
    await rejects(store.get(""), TypeError);
  } finally {
    await cosmos.close();
  }
});

Deno.test("createCosmosCustomerStore() get() never reads anything but the one document", async () => {
  const cosmos = await startEmbeddedCosmos();
  try {
    const store = await createCosmosCustomerStore(cosmos.client, {
      database: "db",
      container: "customers",
      createIfMissing: true,
    });
    await store.upsert([ann, { ...ann, id: "2", firstName: "Bo" }]);
    // "." and "?x" resolved to the document feed (every customer), ".." to the container.
    for (
      const id of [".", "..", "?x=1", "1/../2", "a/b", "#1", "1\\2", "\ud800", "x".repeat(256)]
    ) {
      await rejects(store.get(id), NotFoundError, JSON.stringify(id));
    }
    deepEqual(await store.get("1"), ann);
  } finally {
    await cosmos.close();
  }
});
