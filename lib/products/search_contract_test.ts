import { createOramaProductSearch } from "./orama_product_search.ts";
import { testProductSearchContract } from "./search_contract.ts";

Deno.test("createOramaProductSearch() keeps the ProductSearch contract", (t) =>
  testProductSearchContract(t, {
    open: (dimensions) => ({ search: createOramaProductSearch({ dimensions }) }),
    seedingLookups: false,
  }));

Deno.test("createOramaProductSearch() with exact vectors keeps the ProductSearch contract", (t) =>
  testProductSearchContract(t, {
    open: (dimensions) => ({
      search: createOramaProductSearch({ dimensions, exactVectors: true }),
    }),
    seedingLookups: false,
  }));
