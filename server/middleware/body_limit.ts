/**
 * Reading the request body, once, before any route sees it: the size limit (413, with or
 * without `Content-Length`), a deadline of its own (408; the request deadline starts only after
 * the body is read, so without this a client sending one byte every few seconds holds a request
 * open forever), and a body cut short by the client (truncated, half-closed or reset
 * connection: 400, a client fault, never a 500). The bytes go into Hono's body cache, so
 * `c.req.json()`, `c.req.text()` and validators read them from memory, and `c.req.raw` is
 * replaced by a request carrying the same bytes for code that reads the raw request.
 *
 * When the server starts shutting down (the `draining` signal `startServer` passes in the
 * bindings), a body still arriving is answered 408 at once - Deno itself fails such reads at
 * shutdown - so a half-sent body never holds a stopping container.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { HttpError } from "../errors.ts";
import type { AppEnv } from "../types.ts";

/** Default time a client has to send the whole body. */
export const DEFAULT_BODY_TIMEOUT_MS = 10_000;

/** Options of {@link limitBody}. */
export interface BodyLimitOptions {
  /** Longest time to receive the whole body (default {@link DEFAULT_BODY_TIMEOUT_MS}). */
  timeoutMs?: number;
}

const tooLarge = (maxBytes: number) =>
  new HttpError(
    413,
    "payload_too_large",
    `Request body is too large: the limit is ${maxBytes} bytes`,
  );

/**
 * Middleware reading the body under a size limit and a deadline into Hono's body cache.
 *
 * @example
 * ```ts ignore
 * app.use("/api/*", limitBody(64 * 1024, { timeoutMs: 10_000 }));
 * app.post("/api/echo", async (c) => c.json(await c.req.json())); // read from the cache
 * ```
 */
export function limitBody(
  maxBytes: number,
  options: BodyLimitOptions = {},
): MiddlewareHandler<AppEnv> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;
  return async (c, next) => {
    const raw = c.req.raw;
    if (!raw.body) return await next();
    const declared = raw.headers.get("content-length");
    if (declared !== null && !raw.headers.has("transfer-encoding")) {
      if (Number.parseInt(declared, 10) > maxBytes) throw tooLarge(maxBytes);
    }
    const bytes = await readAll(raw.body, {
      maxBytes,
      timeoutMs,
      draining: drainingOf(c.env),
      onFault: (kind) => {
        c.get("logFields").bodyFault = kind;
      },
    });
    c.req.raw = new Request(raw, { body: bytes });
    // Hono keeps the promise of each body form in `bodyCache` (its type names the value).
    (c.req.bodyCache as Record<string, unknown>).arrayBuffer = Promise.resolve(bytes.buffer);
    await next();
  };
}

/** The shutdown signal `startServer` puts in the bindings (absent under `app.request`). */
const drainingOf = (env: unknown) => (env as { draining?: AbortSignal } | undefined)?.draining;

// 408 tells a client it may send the request again, on a new connection (RFC 9110 15.5.9).
const restarting = () =>
  new HttpError(408, "request_timeout", "The server is restarting: send the request again", {
    headers: { "Retry-After": "1" },
  });

interface ReadOptions {
  maxBytes: number;
  timeoutMs: number;
  draining?: AbortSignal;
  onFault(kind: "too_large" | "timeout" | "truncated"): void;
}

/** Read a body stream to the end, or throw the HttpError that says why not. */
async function readAll(body: ReadableStream<Uint8Array>, options: ReadOptions) {
  const reader = body.getReader();
  let expire: (error: HttpError) => void = () => {};
  const expired = new Promise<never>((_, reject) => (expire = reject));
  const timer = setTimeout(
    () =>
      expire(
        new HttpError(
          408,
          "request_timeout",
          `The request body did not arrive within ${options.timeoutMs} ms`,
        ),
      ),
    options.timeoutMs,
  );
  const stopping = () => expire(restarting());
  if (options.draining?.aborted) stopping();
  else options.draining?.addEventListener("abort", stopping, { once: true });

  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (true) {
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        result = await Promise.race([reader.read(), expired]);
      } catch (error) {
        if (error instanceof HttpError) {
          options.onFault("timeout");
          throw error;
        }
        if (options.draining?.aborted) {
          options.onFault("timeout");
          throw restarting();
        }
        // Deno reports a body the client cut short (closed, half-closed or reset before the
        // declared length) as a failed read: the client's fault.
        options.onFault("truncated");
        throw new HttpError(400, "bad_request", "The request body was cut short", {
          cause: error,
        });
      }
      if (result.done) break;
      size += result.value.byteLength;
      if (size > options.maxBytes) {
        options.onFault("too_large");
        throw tooLarge(options.maxBytes);
      }
      chunks.push(result.value);
    }
  } finally {
    clearTimeout(timer);
    options.draining?.removeEventListener("abort", stopping);
    // Releasing (not cancelling) the reader: a cancelled body makes Deno keep the connection
    // open and delays shutdown (measured), a released one lets it go.
    reader.releaseLock();
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
