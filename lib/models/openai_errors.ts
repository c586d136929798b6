/**
 * Mapping what the `openai` client throws to the project's error vocabulary: one
 * `UpstreamError` with service, status and retryability; Azure's content filter becomes a
 * `ContentFilterError`.
 *
 * @module
 */
import { APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import {
  ContentFilterError,
  isRetryableStatus,
  type ServiceName,
  timeoutError,
  UpstreamError,
} from "../errors.ts";
import { parseRetryAfter } from "./retry.ts";
import { AllowanceExhaustedError } from "./rate_limits.ts";

/** True when an error body or code says Azure's content filter fired. */
function isContentFilter(error: APIError): boolean {
  const body = error.error as Record<string, unknown> | undefined;
  const code = String(error.code ?? body?.code ?? "");
  const inner = body?.innererror as Record<string, unknown> | undefined;
  return code === "content_filter" || inner?.code === "ResponsibleAIPolicyViolation";
}

/** Translate anything thrown by an `openai` call. */
export function toUpstreamError(error: unknown, service: ServiceName): Error {
  if (error instanceof UpstreamError) return error;
  // The pacing fetch throws it (shared by the clients of one model, so it cannot know which
  // service called); the client wraps it as a connection error. It is never retried.
  const exhausted = error instanceof AllowanceExhaustedError
    ? error
    : error instanceof Error && error.cause instanceof AllowanceExhaustedError
    ? error.cause
    : undefined;
  if (exhausted) {
    return exhausted.service === service ? exhausted : new AllowanceExhaustedError(
      exhausted.message,
      { resetAt: exhausted.resetAt, service, cause: exhausted.cause },
    );
  }
  if (
    error instanceof APIUserAbortError ||
    (error instanceof DOMException && error.name === "AbortError")
  ) {
    return error as Error;
  }
  if (error instanceof APIConnectionTimeoutError) {
    return timeoutError(service, { cause: error });
  }
  if (error instanceof APIError) {
    if (error.status === 400 && isContentFilter(error)) {
      return new ContentFilterError(service, error);
    }
    const status = error.status ?? 0;
    return new UpstreamError(
      status
        ? `The ${service} returned HTTP ${status}`
        : `Cannot reach the ${service}: ${error.message}`,
      {
        service,
        status: status === 0 ? 502 : status,
        isRetryable: isRetryableStatus(status),
        retryAfterSeconds: parseRetryAfter(error.headers as Headers | undefined),
        cause: error,
      },
    );
  }
  if (error instanceof SyntaxError) {
    return new UpstreamError(`The ${service} sent a malformed response`, {
      service,
      status: 502,
      isRetryable: true,
      cause: error,
    });
  }
  return new UpstreamError(`The ${service} failed: ${(error as Error)?.message ?? String(error)}`, {
    service,
    status: 502,
    isRetryable: false,
    cause: error,
  });
}

/** Request parameters an endpoint may reject as unsupported, which the client can adapt. */
export type AdaptableParameter = "max_tokens" | "temperature" | "top_p";

const ADAPTABLE: readonly AdaptableParameter[] = ["max_tokens", "temperature", "top_p"];

/**
 * The parameter an HTTP 400 says is unsupported (OpenAI's reasoning models reject `max_tokens`,
 * and any `temperature` or `top_p` but the default), or `undefined` for any other error. Reads
 * the error body's `param` and `code` (`unsupported_parameter`, `unsupported_value`), and, for
 * endpoints that send only a message, its `Unsupported parameter: 'max_tokens'` wording.
 */
export function unsupportedParameter(error: unknown): AdaptableParameter | undefined {
  const api = error instanceof UpstreamError ? error.cause : error;
  if (!(api instanceof APIError) || api.status !== 400) return undefined;
  const body = (api.error ?? {}) as Record<string, unknown>;
  const param = String(api.param ?? body.param ?? "");
  const code = String(api.code ?? body.code ?? "");
  if (
    (code === "unsupported_parameter" || code === "unsupported_value") &&
    (ADAPTABLE as readonly string[]).includes(param)
  ) {
    return param as AdaptableParameter;
  }
  const message = String(body.message ?? api.message ?? "");
  const match = /Unsupported (?:parameter|value):\s*'([a-z_]+)'/i.exec(message);
  const named = match?.[1].toLowerCase();
  return (ADAPTABLE as readonly string[]).includes(named ?? "")
    ? named as AdaptableParameter
    : undefined;
}
