/**
 * Service checks: one tiny call to each service, with its latency and, on failure, the fix a
 * learner or operator should try. Used by the setup notebook and the server's `/ready`.
 *
 * @module
 */
import { errorMessage, UpstreamError } from "../errors.ts";
import { AllowanceExhaustedError } from "../models/rate_limits.ts";
import type { Runtime, ServiceCheck } from "./types.ts";

function fixFor(service: ServiceCheck["service"], backend: string, error: unknown): string {
  const status = error instanceof UpstreamError ? error.status : 0;
  if (backend === "github-models") {
    if (status === 401 || status === 403) {
      return "Check GITHUB_TOKEN: it needs the models:read permission (`deno task setup:github` checks it).";
    }
    if (status === 400 || status === 404) {
      return "The model identifier is wrong: check GITHUB_MODELS_CHAT_MODEL / _EMBEDDING_MODEL / _JUDGE_MODEL (publisher/model).";
    }
    if (status === 429 || error instanceof AllowanceExhaustedError) {
      return "The free GitHub Models allowance of this model is used up for now: wait for it to reset, or pick another model.";
    }
  }
  if (status === 401 || status === 403) {
    return backend.includes("azure") || backend === "cosmos"
      ? "Sign in with `az login` (or `azd auth login`) and make sure your identity has the data-plane role (run `deno task provision` again to assign it)."
      : "Check the API key (OPENAI_API_KEY).";
  }
  if (status === 404) {
    return service.endsWith("model")
      ? "The deployment or model name is wrong: check AZURE_OPENAI_*_DEPLOYMENT / OPENAI_*_MODEL."
      : "The database, container or index does not exist yet: run `deno task seed`.";
  }
  if (status === 429) {
    return "The service is rate limiting: wait a minute, or raise the deployment's capacity.";
  }
  if (backend === "embedded" || backend === "offline") {
    return "Restart the kernel or the server; check the data folder (CONTOSO_DATA_DIR).";
  }
  return "Check the endpoint variable and your network; `deno task notebooks 2-setup` shows the resolved configuration.";
}

async function timed(
  service: ServiceCheck["service"],
  backend: string,
  fn: () => Promise<string>,
): Promise<ServiceCheck> {
  const start = performance.now();
  try {
    const detail = await fn();
    return { service, backend, ok: true, latencyMs: performance.now() - start, detail };
  } catch (error) {
    return {
      service,
      backend,
      ok: false,
      latencyMs: performance.now() - start,
      detail: errorMessage(error),
      fix: fixFor(service, backend, error),
    };
  }
}

/** Check every service of a runtime, concurrently. */
export async function checkServices(
  runtime: Runtime,
  options: { signal?: AbortSignal } = {},
): Promise<ServiceCheck[]> {
  const signal = options.signal;
  const checks = [
    timed("chat-model", runtime.chatModel.backend, async () => {
      const reply = await runtime.chatModel.complete([{
        role: "user",
        content: "Reply with the word ready.",
      }], { maxTokens: 5, signal });
      return `answered (${reply.content.length} characters)`;
    }),
    timed("embedding-model", runtime.embeddingModel.backend, async () => {
      const [vector] = await runtime.embeddingModel.embed(["ready"], { signal });
      return `${vector.length}-dimension vector`;
    }),
    timed(
      "customers",
      runtime.customers.backend,
      async () => `${await runtime.customers.count()} customers`,
    ),
    timed(
      "products",
      runtime.products.backend,
      async () => `${await runtime.products.count()} documents indexed`,
    ),
  ];
  if (runtime.evaluationModel) {
    const model = runtime.evaluationModel;
    checks.push(timed("eval-model", model.backend, async () => {
      const reply = await model.complete([{ role: "user", content: "Reply with 5." }], {
        maxTokens: 5,
        signal,
      });
      return `answered "${reply.content.slice(0, 20)}"`;
    }));
  }
  return await Promise.all(checks);
}
