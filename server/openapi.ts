/**
 * The OpenAPI 3.1 document served at `/openapi.json` and rendered by the offline docs page at
 * `/docs`. Nothing here is written by hand about the API's shapes: every route registers its
 * zod schemas (`server/contract/*`) with `@hono/zod-openapi`, and this module adds what is not
 * a route's own (the document's info, the security schemes, the pages, the stream events) and
 * asks the library to generate the document from the app's registry.
 *
 * @module
 */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { StreamContextEventSchema, StreamDeltaEventSchema } from "./contract/chat.ts";
import { errorResponse, HEADERS, StreamErrorEventSchema } from "./contract/errors.ts";
import type { AppEnv } from "./types.ts";

/** Options of {@link buildOpenApi}. */
export interface OpenApiOptions {
  version: string;
  /** Whether `/api/*` needs credentials (shown in the description). */
  authRequired: boolean;
  rateLimitPerMinute: number;
}

/** Paths that only serve the pages' assets; described by their page, not one by one. */
export const UNDOCUMENTED_ASSET_PREFIXES = ["/docs/", "/chat/", "/assets/"];

type Registry = OpenAPIHono<AppEnv>["openAPIRegistry"];

const ETAG = {
  ETag: {
    description: "Version of the page; send it back as If-None-Match to revalidate",
    required: true,
    schema: { type: "string" },
  },
} as const;

const html = (description: string) => ({
  description,
  headers: { ...HEADERS.requestId, ...ETAG },
  content: { "text/html": { schema: z.string() } },
});

const notModified = {
  description: "Not modified: the If-None-Match ETag is the current one",
  headers: { ...HEADERS.requestId, ...ETAG },
};

/** The document route itself (registered for the document; the app serves it as text). */
export const openApiRoute = createRoute({
  method: "get",
  path: "/openapi.json",
  tags: ["service"],
  summary: "This document",
  operationId: "getOpenApi",
  responses: {
    200: {
      description: "OpenAPI 3.1",
      headers: HEADERS.requestId,
      content: { "application/json": { schema: z.record(z.string(), z.unknown()) } },
    },
  },
});

/**
 * Register what no route registers itself: the security schemes, the stream events, and the
 * browser pages (served by the asset routes).
 */
export function registerDocumentParts(registry: Registry): void {
  registry.registerComponent("securitySchemes", "ApiKey", {
    type: "apiKey",
    in: "header",
    name: "x-api-key",
    description: "One of the configured API keys (several may be valid while a key rotates)",
  });
  registry.registerComponent("securitySchemes", "Bearer", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "A Microsoft Entra ID access token for this API (or an API key as the token)",
  });
  registry.register("StreamContextEvent", StreamContextEventSchema);
  registry.register("StreamDeltaEvent", StreamDeltaEventSchema);
  registry.register("StreamErrorEvent", StreamErrorEventSchema);
  registry.registerPath({
    method: "get",
    path: "/docs",
    tags: ["pages"],
    summary: "Interactive API documentation (works offline)",
    operationId: "getDocs",
    responses: { 200: html("HTML page"), 304: notModified },
  });
  registry.registerPath({
    method: "get",
    path: "/chat",
    tags: ["pages"],
    summary: "Chat page: pick a customer, ask, see the streamed answer and its sources",
    operationId: "getChat",
    responses: {
      200: html("HTML page"),
      304: notModified,
      404: errorResponse(
        "Off: a demo route, not served in production unless CONTOSO_DEMO_ROUTES=true",
        { code: "not_found", message: "No route for GET /chat" },
      ),
    },
  });
}

/**
 * Generate the document from everything registered on `app`.
 *
 * @example
 * ```ts ignore
 * const doc = buildOpenApi(app, { version: "1.0.0", authRequired: false, rateLimitPerMinute: 120 });
 * console.assert(doc.openapi === "3.1.0");
 * ```
 */
export function buildOpenApi(app: OpenAPIHono<AppEnv>, options: OpenApiOptions) {
  return app.getOpenAPI31Document({
    openapi: "3.1.0",
    info: {
      title: "Contoso Chat API",
      version: options.version,
      description: "Retail copilot for Contoso Outdoors: grounded answers about products. " +
        "Answers a customer's question from their profile and order history and " +
        "from the product catalog and manuals (hybrid search), citing the products used. " +
        `Requests to /api/* are limited to ${options.rateLimitPerMinute} per minute per client` +
        (options.authRequired ? " and require credentials." : ".") +
        " Every response carries `X-Request-Id`; every error body carries the same id.",
    },
    servers: [{ url: "/" }],
    tags: [
      { name: "chat", description: "Ask the assistant" },
      { name: "service", description: "Health, readiness and documentation" },
      { name: "pages", description: "Browser pages served by the app" },
    ],
  });
}
