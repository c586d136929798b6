/**
 * Request body size limit (413), for bodies with or without `Content-Length`. Wraps Hono's
 * `bodyLimit` so the error takes the API's JSON shape through `app.onError`.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HttpError } from "../errors.ts";
import type { AppEnv } from "../types.ts";

/** Middleware rejecting bodies larger than `maxBytes`. */
export function limitBody(maxBytes: number): MiddlewareHandler<AppEnv> {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new HttpError(
        413,
        "payload_too_large",
        `Request body is too large: the limit is ${maxBytes} bytes`,
      );
    },
  });
}
