/**
 * The project's one error vocabulary. Bad input is a built-in `TypeError` or `SyntaxError`;
 * everything that goes wrong in a service we call is an {@link UpstreamError}; a lookup that
 * finds nothing is a {@link NotFoundError}. The server maps these to HTTP in one place.
 *
 * @module
 */

/** Names of the services the app depends on, as used in errors, logs and readiness checks. */
export type ServiceName =
  | "chat-model"
  | "embedding-model"
  | "eval-model"
  | "customers"
  | "products";

/** Options of an {@link UpstreamError}. */
export interface UpstreamErrorOptions {
  service: ServiceName | string;
  /** HTTP status the upstream returned; 0 for a network failure, 504 for our own timeout. */
  status: number;
  isRetryable: boolean;
  /** Seconds the upstream asked us to wait (`Retry-After`), when it said. */
  retryAfterSeconds?: number;
  cause?: unknown;
}

/**
 * A failure of a service we depend on (model, store, search index).
 *
 * @example
 * ```ts
 * import { UpstreamError } from "./errors.ts";
 * const err = new UpstreamError("Chat model returned 500", { service: "chat-model", status: 500, isRetryable: true });
 * console.assert(err.isRetryable);
 * ```
 */
export class UpstreamError extends Error {
  override name = "UpstreamError";
  readonly service: string;
  readonly status: number;
  readonly isRetryable: boolean;
  readonly retryAfterSeconds?: number;

  constructor(message: string, options: UpstreamErrorOptions) {
    super(message, { cause: options.cause });
    this.service = options.service;
    this.status = options.status;
    this.isRetryable = options.isRetryable;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  /** True when the failure was our own per-call timeout or an upstream gateway timeout. */
  get isTimeout(): boolean {
    return this.status === 504 || this.status === 408;
  }
}

/** Azure OpenAI refused the prompt or the answer with its content filter. Not retryable. */
export class ContentFilterError extends UpstreamError {
  override name = "ContentFilterError";
  constructor(service: string, cause?: unknown) {
    super(
      "Sorry, I can't help with that request: it was blocked by the content safety filter. Please rephrase your question.",
      { service, status: 400, isRetryable: false, cause },
    );
  }
}

/** A record that was asked for by id does not exist (an unknown customer, say). */
export class NotFoundError extends Error {
  override name = "NotFoundError";
  readonly resource: string;
  readonly id: string;
  constructor(resource: string, id: string) {
    super(`Cannot find ${resource} "${id}"`);
    this.resource = resource;
    this.id = id;
  }
}

/** Narrow an unknown thrown value to a message safe to show (no stack). */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
