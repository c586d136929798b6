/**
 * The error half of the API contract, defined once with zod: the error codes, the body every
 * 4xx/5xx answer carries (`{error: {code, message, requestId}}`), the response headers that go
 * with errors and rate limits, and one documented response per error status. `server/errors.ts`
 * takes its types from here, so the document and the responses cannot drift apart.
 *
 * @module
 */
import { z } from "@hono/zod-openapi";

/** Every `error.code` the API answers with. */
export const ERROR_CODES = [
  "bad_request",
  "unauthorized",
  "forbidden",
  "not_found",
  "method_not_allowed",
  "request_timeout",
  "payload_too_large",
  "unsupported_media_type",
  "rate_limited",
  "content_filtered",
  "internal_error",
  "upstream_error",
  "upstream_timeout",
  "client_closed_request",
] as const;

/** The `error.code` field. */
export const ErrorCodeSchema = z.enum(ERROR_CODES).openapi("ErrorCode", {
  description: "Stable machine-readable reason; the message is for people",
});

/** The JSON body of every error response. */
export const ErrorBodySchema = z.object({
  error: z.object({
    code: ErrorCodeSchema,
    message: z.string().openapi({ description: "What went wrong, safe to show" }),
    requestId: z.string().openapi({
      description: "The request's id, also sent as `X-Request-Id`; quote it when reporting",
    }),
  }),
}).openapi("Error");

/** The JSON body of every error response. */
export type ErrorBody = z.infer<typeof ErrorBodySchema>;
/** The error codes of the API. */
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

/** The `error` event of a stream: the error body plus the HTTP status it maps to. */
export const StreamErrorEventSchema = ErrorBodySchema.extend({
  status: z.number().int().openapi({ description: "The HTTP status it maps to" }),
}).openapi("StreamErrorEvent");

/** Response header objects (OpenAPI `headers`), documented once and reused. */
export const HEADERS = {
  requestId: {
    "X-Request-Id": {
      description: "Id of this request (the client's own when it sent a valid one)",
      required: true,
      schema: { type: "string" },
    },
  },
  rateLimit: {
    "RateLimit-Limit": {
      description: "Requests allowed per minute for one client",
      required: true,
      schema: { type: "integer", minimum: 1 },
    },
    "RateLimit-Remaining": {
      description: "Requests left in the current window",
      required: true,
      schema: { type: "integer", minimum: 0 },
    },
  },
  retryAfter: {
    "Retry-After": {
      description: "Seconds to wait before trying again",
      required: true,
      schema: { type: "integer", minimum: 0 },
    },
  },
  retryAfterOptional: {
    "Retry-After": {
      description: "Seconds to wait, when the upstream service said how long",
      schema: { type: "integer", minimum: 0 },
    },
  },
  wwwAuthenticate: {
    "WWW-Authenticate": {
      description: "The authentication scheme to use (`Bearer`)",
      required: true,
      schema: { type: "string" },
    },
  },
  noStore: {
    "Cache-Control": {
      description: "`no-store`: answers about a customer are never cached",
      required: true,
      schema: { type: "string", pattern: "(^|[ ,])no-store([ ,]|$)" },
    },
  },
  allow: {
    Allow: {
      description: "The methods the path accepts",
      required: true,
      schema: { type: "string" },
    },
  },
} as const;

type HeaderMap = Record<string, { description: string; required?: boolean; schema: object }>;

/** The same headers, not promised: for answers some of which come before the middleware. */
function optional(headers: HeaderMap): HeaderMap {
  return Object.fromEntries(
    Object.entries(headers).map(([name, header]) => [name, { ...header, required: false }]),
  );
}

/** One documented error response with the error schema and an example. */
export function errorResponse(
  description: string,
  example: { code: ErrorCode; message: string },
  headers: HeaderMap = {},
) {
  return {
    description,
    headers: { ...HEADERS.requestId, ...headers },
    content: {
      "application/json": {
        schema: ErrorBodySchema,
        example: { error: { ...example, requestId: "4b1c2f0e-8a9d-4c3b-9f1e-2d7a6b5c4e3f" } },
      },
    },
  };
}

/** The 429 of a rate-limited route (the `/api` routes and the source pages share one limit). */
export function rateLimitedResponse(rateLimitPerMinute: number) {
  return errorResponse(
    `More than ${rateLimitPerMinute} requests per minute from one client`,
    {
      code: "rate_limited",
      message: `Too many requests: the limit is ${rateLimitPerMinute} per minute`,
    },
    { ...HEADERS.rateLimit, ...HEADERS.retryAfter },
  );
}

/** Limits quoted in the descriptions of the error responses. */
export interface ErrorLimits {
  maxQuestionLength: number;
  maxBodyBytes: number;
  rateLimitPerMinute: number;
  maxHistoryTurns: number;
}

/** The error responses of the `/api` routes, by status (each also `Cache-Control: no-store`). */
export function apiErrorResponses(limits: ErrorLimits) {
  const responses = {
    400: errorResponse(
      `Missing or empty question, question over ${limits.maxQuestionLength} characters, ` +
        `malformed chat_history (at most ${limits.maxHistoryTurns} turns, roles user/assistant), ` +
        "invalid JSON, a body cut short by the client, or the model's content filter refused " +
        "(code content_filtered)",
      { code: "bad_request", message: "question is required" },
      HEADERS.rateLimit,
    ),
    401: errorResponse(
      "Credentials are missing or not valid (only when authentication is configured)",
      { code: "unauthorized", message: "The API key is not valid" },
      { ...HEADERS.rateLimit, ...HEADERS.wwwAuthenticate },
    ),
    403: errorResponse(
      "The caller may not act for this customer (a token that names another customer), or a " +
        "browser write from an origin that is not allowed (answered before the rate limit)",
      { code: "forbidden", message: "This token may only act for its own customer" },
      optional(HEADERS.rateLimit),
    ),
    404: errorResponse("Unknown customer", {
      code: "not_found",
      message: 'Cannot find customer "999"',
    }, HEADERS.rateLimit),
    405: errorResponse("Only POST is allowed", {
      code: "method_not_allowed",
      message: "Use POST for /api/create_response, not GET",
    }, { ...optional(HEADERS.rateLimit), ...HEADERS.allow }),
    408: errorResponse(
      "The body did not arrive within the body deadline, or the server is restarting " +
        "(send the request again)",
      { code: "request_timeout", message: "The request body did not arrive within 10000 ms" },
      { ...HEADERS.rateLimit, ...HEADERS.retryAfterOptional },
    ),
    413: errorResponse(`Body over ${limits.maxBodyBytes} bytes`, {
      code: "payload_too_large",
      message: `Request body is too large: the limit is ${limits.maxBodyBytes} bytes`,
    }, HEADERS.rateLimit),
    415: errorResponse("A body that is not application/json", {
      code: "unsupported_media_type",
      message: "Send the body as application/json, not text/plain, or use query parameters",
    }, HEADERS.rateLimit),
    429: rateLimitedResponse(limits.rateLimitPerMinute),
    500: errorResponse("An unexpected failure; the message quotes the request id", {
      code: "internal_error",
      message: "Something went wrong on our side",
    }),
    502: errorResponse("The model, customer database or search service failed", {
      code: "upstream_error",
      message: "The chat model service failed to answer; please try again",
    }, { ...HEADERS.rateLimit, ...HEADERS.retryAfterOptional }),
    504: errorResponse("The model or a store did not answer in time", {
      code: "upstream_timeout",
      message: "The chat model service did not answer in time",
    }, { ...HEADERS.rateLimit, ...HEADERS.retryAfterOptional }),
  };
  for (const response of Object.values(responses)) {
    Object.assign(response.headers, HEADERS.noStore);
  }
  return responses;
}
