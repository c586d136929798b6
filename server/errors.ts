/**
 * How errors become HTTP (every body `{error: {code, message, requestId}}`). Routes and
 * middleware throw; `app.onError` calls {@link toHttpError} once, and the streaming route
 * sends the same body as an `error` event.
 * Messages that reach a client are written here or by the domain errors that are meant to be
 * shown; no stack trace, upstream body or configuration value ever leaves this module.
 *
 * The mapping goes by class, never by the words of a message: bad input is a
 * `ValidationError` (400, its message names the field); a built-in `TypeError` or
 * `SyntaxError` is what the engine throws for a mistake in our code, so it is a 500 whose
 * message says nothing about the code.
 *
 * @module
 */
import { HTTPException } from "hono/http-exception";
import {
  ContentFilterError,
  NotFoundError,
  type ServiceName,
  UpstreamError,
  ValidationError,
} from "../lib/errors.ts";
import { AllowanceExhaustedError } from "../lib/models/rate_limits.ts";
import type { ErrorBody, ErrorCode } from "./contract/errors.ts";

/** The error codes and body come from the contract (`server/contract/errors.ts`). */
export type { ErrorBody, ErrorCode };

/**
 * An error that knows its own response: thrown by validation and middleware.
 *
 * @example
 * ```ts
 * import { HttpError } from "./errors.ts";
 * throw new HttpError(400, "bad_request", "question is required");
 * ```
 */
export class HttpError extends Error {
  override name = "HttpError";
  readonly status: number;
  readonly code: ErrorCode;
  readonly headers: Record<string, string>;
  constructor(
    status: number,
    code: ErrorCode,
    message: string,
    options: { headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.status = status;
    this.code = code;
    this.headers = options.headers ?? {};
  }
}

/** An error mapped to HTTP: status, body and extra headers. */
export interface MappedError {
  status: number;
  body: ErrorBody;
  headers: Record<string, string>;
  /** True when the server is at fault (5xx): logged at error level. */
  serverFault: boolean;
}

function mapped(
  status: number,
  code: ErrorCode,
  message: string,
  requestId: string,
  headers: Record<string, string> = {},
): MappedError {
  return {
    status,
    body: { error: { code, message, requestId } },
    headers,
    serverFault: status >= 500,
  };
}

/**
 * Map anything thrown to the API's error response.
 *
 * @example
 * ```ts
 * import { toHttpError } from "./errors.ts";
 * import { NotFoundError } from "../lib/errors.ts";
 * console.assert(toHttpError(new NotFoundError("customer", "99")).status === 404);
 * ```
 */
export function toHttpError(error: unknown, id = "unknown"): MappedError {
  if (error instanceof HttpError) {
    return mapped(error.status, error.code, error.message, id, error.headers);
  }
  if (error instanceof ContentFilterError) {
    return mapped(400, "content_filtered", error.message, id);
  }
  if (error instanceof UpstreamError) {
    const headers: Record<string, string> = {};
    if (error.retryAfterSeconds !== undefined && error.retryAfterSeconds > 0) {
      headers["Retry-After"] = String(Math.ceil(error.retryAfterSeconds));
    }
    const service = serviceLabel(error.service);
    if (error.isTimeout) {
      return mapped(504, "upstream_timeout", `The ${service} did not answer in time`, id, headers);
    }
    return mapped(
      502,
      "upstream_error",
      `The ${service} failed to answer${error.isRetryable ? "; please try again" : ""}`,
      id,
      headers,
    );
  }
  if (error instanceof AllowanceExhaustedError) {
    // A rate-limited model provider (GitHub Models' free tier) has no requests left for now.
    const seconds = error.resetAt ? Math.ceil((error.resetAt.getTime() - Date.now()) / 1000) : 0;
    return mapped(
      502,
      "upstream_error",
      `The ${
        serviceLabel(error.service ?? "chat-model")
      } has used up its free allowance; try again later`,
      id,
      seconds > 0 ? { "Retry-After": String(seconds) } : {},
    );
  }
  if (error instanceof NotFoundError) return mapped(404, "not_found", error.message, id);
  if (error instanceof DOMException && error.name === "AbortError") {
    // The client went away; nobody reads this response, but the log shows what happened.
    return mapped(499, "client_closed_request", "The client closed the request", id);
  }
  if (error instanceof ValidationError) return mapped(400, "bad_request", error.message, id);
  if (error instanceof HTTPException) {
    const status = error.status;
    if (status === 413) return mapped(413, "payload_too_large", "Request body is too large", id);
    if (status < 500) return mapped(status, "bad_request", "Bad request", id);
  }
  return mapped(500, "internal_error", `Something went wrong on our side (request id ${id})`, id);
}

const SERVICE_LABELS: Record<ServiceName, string> = {
  "chat-model": "chat model service",
  "embedding-model": "embedding model service",
  "eval-model": "evaluation model service",
  customers: "customer database",
  products: "product search service",
  "chat-pipeline": "chat assistant",
  "ai-project": "Azure AI Foundry project",
  endpoint: "chat endpoint",
};

function serviceLabel(service: ServiceName): string {
  return SERVICE_LABELS[service] ?? "upstream service";
}
