import { deepEqual, equal, match } from "node:assert/strict";
import { ConfigError, loadConfig } from "./load.ts";
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

Deno.test("loadConfig() carries the source base url and the offline stream delay", async (t) => {
  await t.step("unset: relative urls, no pause", () => {
    const config = loadConfig({});
    equal(config.sources, undefined);
    equal((config.chat as { streamDelayMs?: number }).streamDelayMs, undefined);
  });
  await t.step("set", () => {
    const config = loadConfig({
      CONTOSO_SOURCE_BASE_URL: "https://shop.example/",
      OFFLINE_STREAM_DELAY_MS: "40",
    });
    deepEqual(config.sources, { baseUrl: "https://shop.example/" });
    equal((config.chat as { streamDelayMs?: number }).streamDelayMs, 40);
  });
  await t.step("malformed values are reported with the others", () => {
    try {
      loadConfig({ CONTOSO_SOURCE_BASE_URL: "shop", OFFLINE_STREAM_DELAY_MS: "-1" });
      throw new Error("expected a ConfigError");
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      equal(error.problems.length, 2, error.problems.join("; "));
    }
  });
});
