/**
 * The smoke test of a hosted endpoint: one sample question to `POST /api/create_response`, with
 * the URL, status and latency, and whether a grounded answer came back.
 *
 * @module
 */

/** Options of {@linkcode smokeTest}. */
export interface SmokeOptions {
  question?: string;
  customerId?: string;
  /** Sent as `x-api-key` when the server requires one (CONTOSO_API_KEY). */
  apiKey?: string;
  /** A cold Container App can take a while: default 90 s. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** What the smoke test saw. */
export interface SmokeResult {
  url: string;
  status: number;
  latencyMs: number;
  ok: boolean;
  /** The first characters of the answer. */
  answer?: string;
  /** Ids of the products and passages the answer was grounded on. */
  contextIds?: string[];
  error?: string;
}

/** The sample question. */
export const SMOKE_QUESTION = "Which tent would you recommend for a rainy weekend?";

/**
 * Ask the hosted endpoint one question.
 *
 * @example
 * ```ts ignore
 * const result = await smokeTest("https://ca-api-abc.azurecontainerapps.io");
 * console.log(formatSmoke(result));
 * ```
 */
export async function smokeTest(baseUrl: string, options: SmokeOptions = {}): Promise<SmokeResult> {
  const url = `${baseUrl.replace(/\/+$/, "")}/api/create_response`;
  const doFetch = options.fetch ?? fetch;
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const response = await doFetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(options.apiKey ? { "x-api-key": options.apiKey } : {}),
      },
      body: JSON.stringify({
        question: options.question ?? SMOKE_QUESTION,
        customer_id: options.customerId ?? "1",
        chat_history: [],
      }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 90_000),
    });
    const text = await response.text();
    const latencyMs = elapsed();
    let body: { answer?: unknown; context?: { id?: unknown }[]; error?: { message?: unknown } };
    try {
      body = JSON.parse(text);
    } catch {
      return {
        url,
        status: response.status,
        latencyMs,
        ok: false,
        error: `not JSON: ${text.slice(0, 120)}`,
      };
    }
    const answer = typeof body.answer === "string" ? body.answer : undefined;
    const ok = response.ok && !!answer && answer.trim().length > 0;
    return {
      url,
      status: response.status,
      latencyMs,
      ok,
      answer: answer?.slice(0, 200),
      contextIds: Array.isArray(body.context) ? body.context.map((c) => String(c.id)) : undefined,
      error: ok ? undefined : String(body.error?.message ?? "no answer in the response"),
    };
  } catch (error) {
    return {
      url,
      status: 0,
      latencyMs: elapsed(),
      ok: false,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    };
  }
}

/** The result as a few lines for a terminal. */
export function formatSmoke(result: SmokeResult): string {
  const lines = [
    `Smoke test ${result.ok ? "passed" : "FAILED"}`,
    `  URL      POST ${result.url}`,
    `  status   ${result.status || "no response"}`,
    `  latency  ${result.latencyMs} ms`,
  ];
  if (result.answer) lines.push(`  answer   ${result.answer.replace(/\s+/g, " ").slice(0, 120)}…`);
  if (result.contextIds?.length) lines.push(`  grounded on ${result.contextIds.join(", ")}`);
  if (result.error) lines.push(`  error    ${result.error}`);
  return lines.join("\n");
}
