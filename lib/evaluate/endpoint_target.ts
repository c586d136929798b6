/**
 * A running endpoint as the pipeline an evaluation scores: `deno task eval --target URL`
 * sends each row to `POST {URL}/api/create_response` (JSON body `{question, customer_id,
 * chat_history}`, the API key as `x-api-key`), so what is scored is what is deployed — a
 * local `deno task start` or the Container App. The API's errors (`{error: {code, message}}`)
 * become an {@link UpstreamError} with the HTTP status, retryable on 429 and 5xx like a model
 * call; this adapter's bounded retries (honouring `Retry-After`, each one reported through
 * the request's `onRetry`) are the only ones on the evaluating side. Each call has a timeout.
 *
 * @module
 */
import type { ChatPipeline, ChatRequest, ChatResponse, ContextItem } from "../chat/types.ts";
import { isRetryableStatus, type ServiceName, timeoutError, UpstreamError } from "../errors.ts";
import { parseRetryAfter, withRetry } from "../models/retry.ts";

/** The service name endpoint errors carry. */
export const ENDPOINT_SERVICE: ServiceName = "endpoint";

/** Options of {@link createEndpointTarget}. */
export interface EndpointTargetOptions {
  /** Sent as `x-api-key` (the server's CONTOSO_API_KEY). */
  apiKey?: string;
  /** Per-call timeout (default 120 s: an answer takes several model calls). */
  timeoutMs?: number;
  /** Retries after the first attempt on 429/5xx/network errors (default 3). */
  maxRetries?: number;
  /** First backoff delay when the endpoint sends no `Retry-After` (default 500 ms). */
  baseDelayMs?: number;
  /** Replaces the network (tests). */
  fetch?: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
}

/** Normalise a target URL: it must be http(s); trailing slashes are dropped. */
export function targetBaseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`Invalid --target "${url}": expected a URL like http://127.0.0.1:8000`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new TypeError(`Invalid --target "${url}": only http and https URLs are supported`);
  }
  return parsed.href.replace(/\/+$/, "");
}

// This project's server answers 504 when its own deadline for the request is spent: another
// attempt would wait that long again, so the endpoint's 504 is the one status not retried.
function retryable(status: number): boolean {
  return isRetryableStatus(status) && status !== 504;
}

/** Map a non-2xx response to an {@link UpstreamError} with the API's code and message. */
async function responseError(response: Response): Promise<UpstreamError> {
  let detail = "";
  try {
    const body = await response.json() as { error?: { code?: string; message?: string } };
    if (body?.error) {
      detail = [body.error.code, body.error.message].filter(Boolean).join(": ");
    }
  } catch {
    // not the API's JSON error body; the status says enough
  }
  return new UpstreamError(
    `The endpoint returned HTTP ${response.status}${detail ? ` (${detail})` : ""}`,
    {
      service: ENDPOINT_SERVICE,
      status: response.status,
      isRetryable: retryable(response.status),
      retryAfterSeconds: parseRetryAfter(response.headers),
    },
  );
}

function asContext(value: unknown): ContextItem[] {
  if (!Array.isArray(value)) return [];
  return value.map((v) => {
    const item = (v ?? {}) as Record<string, unknown>;
    return {
      id: String(item.id ?? ""),
      kind: item.kind === "manual" ? "manual" : "product",
      productId: String(item.productId ?? item.product_id ?? ""),
      title: String(item.title ?? ""),
      url: String(item.url ?? ""),
      content: String(item.content ?? ""),
    };
  });
}

/**
 * A pipeline that answers through a running endpoint.
 *
 * @example
 * ```ts ignore
 * const pipeline = createEndpointTarget("http://127.0.0.1:8000", { apiKey: Deno.env.get("CONTOSO_API_KEY") });
 * const { answer } = await pipeline.getResponse({ customerId: "1", question: "Which tent is lightest?" });
 * ```
 */
export function createEndpointTarget(
  url: string,
  options: EndpointTargetOptions = {},
): Pick<ChatPipeline, "getResponse"> & { readonly url: string } {
  const base = targetBaseUrl(url);
  const endpoint = `${base}/api/create_response`;
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 120_000;

  async function once(request: ChatRequest): Promise<ChatResponse> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
    const headers: Record<string, string> = {
      "content-type": "application/json",
      accept: "application/json",
    };
    if (options.apiKey) headers["x-api-key"] = options.apiKey;
    let response: Response;
    try {
      response = await doFetch(endpoint, {
        method: "POST",
        headers,
        body: JSON.stringify({
          question: request.question,
          customer_id: request.customerId,
          chat_history: request.chatHistory ?? [],
        }),
        signal,
      });
    } catch (error) {
      if (request.signal?.aborted) throw error;
      if (timeout.aborted) {
        throw timeoutError(ENDPOINT_SERVICE, { afterMs: timeoutMs, cause: error });
      }
      throw new UpstreamError(`Cannot reach the endpoint ${base}: ${(error as Error).message}`, {
        service: ENDPOINT_SERVICE,
        status: 0,
        isRetryable: true,
        cause: error,
      });
    }
    if (!response.ok) throw await responseError(response);
    let body: Record<string, unknown>;
    try {
      body = await response.json();
    } catch (error) {
      throw new UpstreamError("The endpoint returned a body that is not JSON", {
        service: ENDPOINT_SERVICE,
        status: response.status,
        isRetryable: false,
        cause: error,
      });
    }
    if (typeof body?.answer !== "string") {
      throw new UpstreamError("The endpoint's reply has no answer", {
        service: ENDPOINT_SERVICE,
        status: response.status,
        isRetryable: false,
      });
    }
    return {
      question: typeof body.question === "string" ? body.question : request.question,
      answer: body.answer,
      context: asContext(body.context),
      queries: [],
      timings: [],
    };
  }

  return {
    url: base,
    getResponse: (request) =>
      withRetry(() => once(request), {
        maxRetries: options.maxRetries ?? 3,
        baseDelayMs: options.baseDelayMs,
        signal: request.signal,
        onRetry: request.onRetry,
      }),
  };
}
