/**
 * Optional API key for `/api/*`: when `CONTOSO_API_KEY` is configured, a request must carry it
 * as `x-api-key` or `Authorization: Bearer <key>`. Compared in constant time.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { HttpError } from "../errors.ts";
import type { AppEnv } from "../types.ts";

const encoder = new TextEncoder();

/** Constant-time comparison of two strings (time depends only on the expected length). */
export function safeEqual(actual: string, expected: string): boolean {
  const a = encoder.encode(actual);
  const b = encoder.encode(expected);
  let diff = a.length ^ b.length;
  for (let i = 0; i < b.length; i++) diff |= (a[i] ?? 0) ^ b[i];
  return diff === 0;
}

/** The key a request presents, if any. */
export function presentedKey(headers: Headers): string | undefined {
  const header = headers.get("x-api-key");
  if (header) return header.trim();
  const auth = headers.get("authorization");
  const match = auth ? /^Bearer\s+(.+)$/i.exec(auth.trim()) : null;
  return match ? match[1].trim() : undefined;
}

/** Middleware rejecting requests without the configured key (401). */
export function requireApiKey(expected: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method === "OPTIONS") return await next();
    const key = presentedKey(c.req.raw.headers);
    if (key === undefined || !safeEqual(key, expected)) {
      throw new HttpError(
        401,
        "unauthorized",
        key === undefined
          ? "An API key is required: send it as x-api-key or Authorization: Bearer"
          : "The API key is not valid",
        { headers: { "WWW-Authenticate": 'Bearer realm="contoso-chat"' } },
      );
    }
    await next();
  };
}
