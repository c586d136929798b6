/**
 * Where the urls of cited sources point: `parseSourceConfig(env)` reads
 * `CONTOSO_SOURCE_BASE_URL`, a storefront's base url that makes every context url absolute
 * (`https://shop.example/` + `/products/1`). Unset, the urls stay relative and this server's
 * own `/products/{id}` and `/manuals/{file}` pages answer them. Pure, like `loadConfig`.
 *
 * @module
 */

/** Where source urls point. */
export interface SourcesConfig {
  /** Absolute http(s) base the relative source urls are resolved against; absent: relative. */
  baseUrl?: string;
}

/**
 * Parse the source settings; `problems` names what is malformed.
 *
 * @example
 * ```ts
 * import { parseSourceConfig } from "./sources.ts";
 * const { sources } = parseSourceConfig({ CONTOSO_SOURCE_BASE_URL: "https://shop.example/" });
 * console.assert(sources.baseUrl === "https://shop.example/");
 * ```
 */
export function parseSourceConfig(
  env: Record<string, string | undefined>,
): { sources: SourcesConfig; problems: string[] } {
  const value = env.CONTOSO_SOURCE_BASE_URL?.trim();
  if (!value) return { sources: {}, problems: [] };
  let parsed: URL | undefined;
  try {
    parsed = new URL(value);
  } catch {
    // reported below
  }
  if (!parsed || (parsed.protocol !== "https:" && parsed.protocol !== "http:")) {
    return {
      sources: {},
      problems: [`CONTOSO_SOURCE_BASE_URL must be an absolute http(s) URL, got "${value}"`],
    };
  }
  if (parsed.search || parsed.hash) {
    return {
      sources: {},
      problems: [`CONTOSO_SOURCE_BASE_URL must not have a query or fragment, got "${value}"`],
    };
  }
  return { sources: { baseUrl: parsed.href }, problems: [] };
}
