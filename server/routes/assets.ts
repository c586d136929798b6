/**
 * Static assets of the chat page and the API docs, embedded in the module graph with text
 * imports: the page files under `server/static/` and browser bundles read from npm packages
 * (Swagger UI, marked, DOMPurify). Nothing is fetched from a CDN, nothing is read from disk
 * per request, and `deno compile` or a container image carries them along.
 *
 * @module
 */
import swaggerBundle from "swagger-ui-dist/swagger-ui-bundle.js" with { type: "text" };
import swaggerCss from "swagger-ui-dist/swagger-ui.css" with { type: "text" };
import markedEsm from "marked" with { type: "text" };
import purifyEsm from "dompurify" with { type: "text" };
import docsHtml from "../static/docs.html" with { type: "text" };
import docsJs from "../static/docs.js" with { type: "text" };
import chatHtml from "../static/chat.html" with { type: "text" };
import chatJs from "../static/chat.js" with { type: "text" };
import chatCss from "../static/chat.css" with { type: "text" };
import { Hono } from "hono";
import type { AppEnv } from "../types.ts";

/** One served file. */
interface Asset {
  body: string;
  type: string;
  /** Short-lived cache for pages; assets may be cached longer. */
  cache: string;
}

const JS = "text/javascript; charset=utf-8";
const CSS = "text/css; charset=utf-8";
const HTML = "text/html; charset=utf-8";
const PAGE_CACHE = "no-cache";
const ASSET_CACHE = "public, max-age=3600";

// Source map comments would make devtools ask for files we do not serve.
const stripSourceMap = (text: string) => text.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, "\n");

/** Every path the app serves a file at. */
export const ASSETS: Readonly<Record<string, Asset>> = {
  "/docs": { body: docsHtml, type: HTML, cache: PAGE_CACHE },
  "/docs/init.js": { body: docsJs, type: JS, cache: PAGE_CACHE },
  "/docs/swagger-ui-bundle.js": {
    body: stripSourceMap(swaggerBundle),
    type: JS,
    cache: ASSET_CACHE,
  },
  "/docs/swagger-ui.css": {
    body: swaggerCss.replace(/\/\*# sourceMappingURL=\S+\s*\*\/\s*$/, ""),
    type: CSS,
    cache: ASSET_CACHE,
  },
  "/chat": { body: chatHtml, type: HTML, cache: PAGE_CACHE },
  "/chat/app.js": { body: chatJs, type: JS, cache: PAGE_CACHE },
  "/chat/app.css": { body: chatCss, type: CSS, cache: PAGE_CACHE },
  "/assets/marked.js": { body: stripSourceMap(markedEsm), type: JS, cache: ASSET_CACHE },
  "/assets/purify.js": { body: stripSourceMap(purifyEsm), type: JS, cache: ASSET_CACHE },
};

/** Routes serving {@link ASSETS}. */
export function assetRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  for (const [path, asset] of Object.entries(ASSETS)) {
    app.get(path, (c) =>
      c.body(asset.body, 200, {
        "Content-Type": asset.type,
        "Cache-Control": asset.cache,
      }));
  }
  return app;
}
