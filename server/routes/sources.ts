/**
 * Source routes: the pages the urls in an answer's `context` point to. `GET /products/{id}` is
 * the product's page and `GET /manuals/{file}` the whole manual with one anchor per section, so
 * `/manuals/1-summit-dome-2-tent.md#overview` opens at its Overview. Both read the configured
 * store (the embedded index or Azure AI Search) through a {@link SourceStore}; an unknown id is
 * the usual JSON 404. Described in the OpenAPI document like every other route. `GET /chat/`
 * redirects to the chat page.
 *
 * @module
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { SourceStore } from "../../lib/products/sources.ts";
import { errorResponse, HEADERS, rateLimitedResponse } from "../contract/errors.ts";
import { HttpError } from "../errors.ts";
import { manualPage, productPage } from "../source_pages.ts";
import type { AppEnv } from "../types.ts";

const HTML = "text/html; charset=utf-8";

const html = (description: string) => ({
  description,
  headers: HEADERS.requestId,
  content: { "text/html": { schema: z.string() } },
});

const notFound = (what: string) =>
  errorResponse(`No ${what} with this id`, {
    code: "not_found",
    message: `No ${what} "does-not-exist"`,
  });

const internalError = errorResponse("An unexpected failure", {
  code: "internal_error",
  message: "Something went wrong on our side",
});
const storeErrors = {
  502: errorResponse("The search service failed", {
    code: "upstream_error",
    message: "The product search service failed to answer; please try again",
  }, HEADERS.retryAfterOptional),
  504: errorResponse("The search service did not answer in time", {
    code: "upstream_timeout",
    message: "The product search service did not answer in time",
  }, HEADERS.retryAfterOptional),
};

/** The id segment: any text but a slash (ids and file names are percent-decoded by Hono). */
const IdParam = (name: string, example: string, description: string) =>
  z.object({
    [name]: z.string().min(1).max(512).openapi({
      param: { name, in: "path" },
      example,
      description,
    }),
  });

const productRoute = (rateLimitPerMinute: number) =>
  createRoute({
    method: "get",
    path: "/products/{id}",
    tags: ["sources"],
    summary: "A product's page (the url of a product in an answer's context)",
    operationId: "getProductPage",
    request: { params: IdParam("id", "1", "Product id, as in `context[].productId`") },
    responses: {
      200: html("The product as a readable HTML page"),
      404: notFound("product"),
      429: rateLimitedResponse(rateLimitPerMinute),
      500: internalError,
      ...storeErrors,
    },
  });

const manualRoute = (rateLimitPerMinute: number) =>
  createRoute({
    method: "get",
    path: "/manuals/{file}",
    tags: ["sources"],
    summary: "A product manual with section anchors (the url of a manual passage in a context)",
    description:
      "The whole manual, one anchor per section: a passage's url `/manuals/{file}#{section}` " +
      "opens at its section; each passage also has its id (e.g. `1-manual-warranty`) as an anchor.",
    operationId: "getManualPage",
    request: {
      params: IdParam("file", "1-summit-dome-2-tent.md", "The manual's file name"),
    },
    responses: {
      200: html("The manual as a readable HTML page"),
      404: notFound("manual"),
      429: rateLimitedResponse(rateLimitPerMinute),
      500: internalError,
      ...storeErrors,
    },
  });

/** Options of {@link sourceRoutes}. */
export interface SourceRoutesOptions {
  /** The per-client limit the app applies to these pages (documented as their 429). */
  rateLimitPerMinute: number;
}

/**
 * Build the source routes over a store; without one, every id is unknown. The pages are public
 * catalog content, but each costs a store read, so the app rate-limits them like `/api`.
 */
export function sourceRoutes(
  sources: SourceStore | undefined,
  options: SourceRoutesOptions,
): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(productRoute(options.rateLimitPerMinute), async (c) => {
    const { id } = c.req.valid("param");
    const product = await sources?.product(id, { signal: c.req.raw.signal });
    if (!product) throw new HttpError(404, "not_found", `No product "${id}"`);
    const manuals = await sources?.manualsOf?.(id, { signal: c.req.raw.signal }) ?? [];
    return c.body(productPage(product, manuals), 200, { "Content-Type": HTML });
  });
  app.openapi(manualRoute(options.rateLimitPerMinute), async (c) => {
    const { file } = c.req.valid("param");
    const passages = await sources?.manual(file, { signal: c.req.raw.signal }) ?? [];
    if (passages.length === 0) throw new HttpError(404, "not_found", `No manual "${file}"`);
    return c.body(manualPage(file, passages), 200, { "Content-Type": HTML });
  });
  // The chat page's address with a trailing slash (a typed or bookmarked `/chat/`).
  app.get("/chat/", (c) => c.redirect("/chat", 308));
  return app;
}
