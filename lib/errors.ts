/**
 * The project's one error vocabulary. Input that breaks a rule (a request, a configuration, a
 * record) is a {@link ValidationError}; everything that goes wrong in a service we call is an
 * {@link UpstreamError}; a lookup that finds nothing is a {@link NotFoundError}. The server maps
 * these to HTTP by class in one place (`server/errors.ts`) and every command line to an exit
 * status in one place (`lib/cli/exit.ts`); a built-in `TypeError` or `SyntaxError` that reaches
 * either is treated as a bug, since the engine raises the same classes for mistakes in our code.
 *
 * @module
 */

/** Names of the services the app depends on, as used in errors, logs and readiness checks. */
export type ServiceName =
  | "chat-model"
  | "embedding-model"
  | "eval-model"
  | "customers"
  | "products"
  /** The chat pipeline as a whole (the server's per-request deadline). */
  | "chat-pipeline"
  /** The Azure AI Foundry project that records evaluation runs. */
  | "ai-project"
  /** A deployed chat endpoint under evaluation (`deno task eval --target URL`). */
  | "endpoint";

/**
 * Input that breaks one of our rules: a chat request, a configuration, an evaluation row. The
 * message names the field and is meant to be shown (`question is too long: ...`); `problems`
 * lists every problem when more than one was found.
 *
 * Not a `TypeError`: the engine throws those for bugs, and a bug must never be answered as bad
 * input.
 *
 * @example
 * ```ts
 * import { ValidationError } from "./errors.ts";
 * const err = new ValidationError("question is required");
 * console.assert(err.problems[0] === "question is required");
 * ```
 */
export class ValidationError extends Error {
  override name = "ValidationError";
  /** Each problem found, one line each (the message alone when there was one). */
  readonly problems: string[];
  constructor(message: string, options: { problems?: string[]; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.problems = options.problems ?? [message];
  }
}

/** Options of an {@link UpstreamError}. */
export interface UpstreamErrorOptions {
  service: ServiceName;
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
  readonly service: ServiceName;
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

/**
 * Whether a service's HTTP status is worth another attempt, the one rule every adapter maps
 * with: no answer at all (0: the connection failed), a request timeout (408), throttling (429)
 * and server errors (5xx, gateway timeouts included). Anything else would fail the same way
 * again. A caller that knows one of these cannot help says so beside its call.
 *
 * @example
 * ```ts
 * import { isRetryableStatus } from "./errors.ts";
 * console.assert(isRetryableStatus(503) && isRetryableStatus(408) && !isRetryableStatus(404));
 * ```
 */
export function isRetryableStatus(status: number): boolean {
  return status === 0 || status === 408 || status === 429 || status >= 500;
}

/** Azure OpenAI refused the prompt or the answer with its content filter. Not retryable. */
export class ContentFilterError extends UpstreamError {
  override name = "ContentFilterError";
  constructor(service: ServiceName, cause?: unknown) {
    super(
      "Sorry, I can't help with that request: it was blocked by the content safety filter. Please rephrase your question.",
      { service, status: 400, isRetryable: false, cause },
    );
  }
}

/** Options of {@link timeoutError}. */
export interface TimeoutErrorOptions {
  /** The time budget that ran out, named in the message. */
  afterMs?: number;
  cause?: unknown;
}

/**
 * The one way to build a timeout: a call of `service` that ran out of its time budget (our own
 * deadline on a model call, the server's per-request deadline, an endpoint under evaluation, a
 * client's timeout). Status 504, and never retryable: the budget the caller gave is spent, and
 * a retry would multiply the wait it asked to bound (the caller may try again). An upstream that
 * itself answers 408 or 504 is not this: its adapter maps that status like any other.
 *
 * @example
 * ```ts
 * import { timeoutError } from "./errors.ts";
 * const error = timeoutError("chat-model", { afterMs: 30_000 });
 * console.assert(error.isTimeout && !error.isRetryable);
 * ```
 */
export function timeoutError(
  service: ServiceName,
  options: TimeoutErrorOptions = {},
): UpstreamError {
  const after = options.afterMs === undefined ? "" : ` after ${options.afterMs} ms`;
  return new UpstreamError(`The ${service} timed out${after}`, {
    service,
    status: 504,
    isRetryable: false,
    cause: options.cause,
  });
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
