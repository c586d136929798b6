/**
 * Static assets of the chat page and the API docs, embedded in the module graph with text
 * imports: the page files under `server/static/` and browser bundles read from npm packages
 * (Swagger UI, marked, DOMPurify). Nothing is fetched from a CDN, nothing is read from disk
 * per request, and `deno compile` or a container image carries them along. Each asset is
 * compressed once, on its first request, and revalidated with its entity tag.
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
import { brotliCompressSync, constants as zlibConstants, gzipSync } from "node:zlib";
import { type Handler, Hono } from "hono";
import { sha256Hex } from "../../lib/text/hash.ts";
import { etagMatches } from "../middleware/http_hygiene.ts";
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

/** A content coding the assets are served in. */
type Coding = "br" | "gzip" | "identity";

/** One encoded form of an asset, made on first use and kept. */
interface Representation {
  bytes: Uint8Array<ArrayBuffer>;
  etag: string;
}

// Below this size compression saves less than its headers cost.
const MIN_COMPRESS_BYTES = 1024;

/**
 * The coding to answer with for an `Accept-Encoding` value: brotli, then gzip, then none;
 * a coding with `q=0` is refused.
 *
 * @example
 * ```ts
 * import { chooseCoding } from "./assets.ts";
 * console.assert(chooseCoding("gzip, deflate, br") === "br");
 * console.assert(chooseCoding("br;q=0, gzip") === "gzip");
 * ```
 */
export function chooseCoding(acceptEncoding: string | undefined | null): Coding {
  const accepted = new Map<string, number>();
  for (const part of (acceptEncoding ?? "").split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    if (!name) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    accepted.set(name, q ? Number(q.slice(2)) || 0 : 1);
  }
  const allows = (name: string) => (accepted.get(name) ?? accepted.get("*") ?? 0) > 0;
  if (allows("br")) return "br";
  if (allows("gzip")) return "gzip";
  return "identity";
}

function encode(text: string, coding: Coding): Uint8Array<ArrayBuffer> {
  const plain = new TextEncoder().encode(text);
  // Copied out of Node's Buffer into a plain Uint8Array (once per asset and coding).
  if (coding === "gzip") return new Uint8Array(gzipSync(plain, { level: 6 }));
  if (coding === "br") {
    // Quality 5: the 1.7 MB Swagger bundle becomes 405 KB in about 0.3 s, once (gzip: 465 KB
    // in 0.07 s; quality 11: 359 KB in 5.7 s, too slow for a first request).
    return new Uint8Array(brotliCompressSync(plain, {
      params: {
        [zlibConstants.BROTLI_PARAM_QUALITY]: 5,
        [zlibConstants.BROTLI_PARAM_SIZE_HINT]: plain.byteLength,
      },
    }));
  }
  return plain;
}

/** How {@link representedBody} serves a text: its media type and `Cache-Control`. */
export interface RepresentedBodyOptions {
  type: string;
  cache: string;
}

/**
 * A handler serving one text the way every static answer here is served: compressed (brotli or
 * gzip, as the client accepts; each form made once, on first request), with a strong `ETag` per
 * form, `304` on a matching `If-None-Match`, `Vary: Accept-Encoding`, and an explicit
 * `Content-Length` (so `HEAD` announces what `GET` sends). `body` is called once, on first use
 * (the OpenAPI document is generated after every route has registered).
 */
export function representedBody(
  body: () => string,
  options: RepresentedBodyOptions,
): Handler<AppEnv> {
  const forms = new Map<Coding, Representation>();
  let text: string | undefined;
  let hash: string | undefined;
  let compressible = false;
  const representation = (coding: Coding): Representation => {
    let form = forms.get(coding);
    if (!form) {
      hash ??= sha256Hex(text!).slice(0, 24);
      const suffix = coding === "identity" ? "" : `-${coding === "gzip" ? "gz" : "br"}`;
      form = { bytes: encode(text!, coding), etag: `"${hash}${suffix}"` };
      forms.set(coding, form);
    }
    return form;
  };
  return (c) => {
    if (text === undefined) {
      text = body();
      compressible = new TextEncoder().encode(text).byteLength >= MIN_COMPRESS_BYTES;
    }
    const coding = compressible ? chooseCoding(c.req.header("Accept-Encoding")) : "identity";
    const form = representation(coding);
    const headers: Record<string, string> = {
      "Content-Type": options.type,
      "Cache-Control": options.cache,
      ETag: form.etag,
    };
    if (compressible) headers.Vary = "Accept-Encoding";
    if (etagMatches(c.req.header("If-None-Match"), form.etag)) {
      return c.body(null, 304, headers);
    }
    if (coding !== "identity") headers["Content-Encoding"] = coding;
    headers["Content-Length"] = String(form.bytes.byteLength);
    return c.body(form.bytes, 200, headers);
  };
}

/** Routes serving {@link ASSETS}, each through {@link representedBody}. */
export function assetRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  for (const [path, asset] of Object.entries(ASSETS)) {
    app.get(path, representedBody(() => asset.body, asset));
  }
  return app;
}
