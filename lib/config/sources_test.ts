import { deepEqual, equal, match } from "node:assert/strict";
import { parseSourceConfig } from "./sources.ts";

Deno.test("parseSourceConfig() reads the storefront base url", async (t) => {
  await t.step("unset or blank: relative urls", () => {
    deepEqual(parseSourceConfig({}), { sources: {}, problems: [] });
    deepEqual(parseSourceConfig({ CONTOSO_SOURCE_BASE_URL: "  " }), { sources: {}, problems: [] });
  });
  await t.step("an absolute http(s) url, normalised", () => {
    const { sources, problems } = parseSourceConfig({
      CONTOSO_SOURCE_BASE_URL: "https://Shop.Example.com/outdoor",
    });
    deepEqual(problems, []);
    equal(sources.baseUrl, "https://shop.example.com/outdoor");
  });
  await t.step("anything else is a problem naming the variable", () => {
    for (
      const value of [
        "shop.example.com",
        "/products",
        "ftp://shop.example",
        "https://s.example/?a=1",
      ]
    ) {
      const { sources, problems } = parseSourceConfig({ CONTOSO_SOURCE_BASE_URL: value });
      deepEqual(sources, {});
      equal(problems.length, 1);
      match(problems[0], /^CONTOSO_SOURCE_BASE_URL must/);
    }
  });
});
