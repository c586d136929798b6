import { equal } from "node:assert/strict";
import { loadConfig } from "../config/load.ts";
import { createOramaProductSearch } from "../products/orama_product_search.ts";
import { embeddedSearch, openCustomerStore } from "./stores.ts";

Deno.test("openCustomerStore() and embeddedSearch() open the embedded stores", async () => {
  const { customers, close } = await openCustomerStore(loadConfig({}).customers);
  try {
    equal(customers.backend, "embedded");
    const ana = {
      id: "c-1",
      firstName: "Ana",
      lastName: "Lee",
      age: 41,
      email: "ana@example.org",
      phone: "555-0101",
      address: "1 Harbour Rd",
      membership: "Gold",
      orders: [],
    };
    equal(await customers.upsert([ana]), 1);
    equal((await customers.get("c-1")).firstName, "Ana");
  } finally {
    await close();
  }
  const search = embeddedSearch(createOramaProductSearch({ dimensions: 4 }));
  await search.ensureIndex();
  equal(search.products.backend, "embedded");
  equal(await search.sources.product("absent"), undefined);
});
