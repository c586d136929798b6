import { rejects } from "node:assert/strict";
import { createCosmosCustomerStore, startEmbeddedCosmos } from "./mod.ts";
import { createMemoryCustomerStore } from "./memory_customer_store.ts";
import { testCustomerStoreContract } from "./store_contract.ts";

Deno.test("createMemoryCustomerStore() keeps the CustomerStore contract", (t) =>
  testCustomerStoreContract(t, { open: () => ({ store: createMemoryCustomerStore() }) }));

Deno.test("createCosmosCustomerStore() on the embedded server keeps the CustomerStore contract", async (t) => {
  const cosmos = await startEmbeddedCosmos();
  let n = 0;
  try {
    await testCustomerStoreContract(t, {
      open: async () => ({
        store: await createCosmosCustomerStore(cosmos.client, {
          database: "contract",
          container: `customers-${++n}`,
          backend: "embedded",
          createIfMissing: true,
        }),
      }),
    });
  } finally {
    await cosmos.close();
  }
});

Deno.test("createMemoryCustomerStore() failWith makes every call reject", async () => {
  const store = createMemoryCustomerStore([], { failWith: () => new Error("store down") });
  for (const call of [() => store.get("1"), store.list, () => store.upsert([]), store.count]) {
    await rejects(call(), { message: "store down" });
  }
});
