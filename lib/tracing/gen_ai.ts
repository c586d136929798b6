/**
 * OpenTelemetry GenAI semantic-convention attributes for the pipeline's model calls, so the
 * Azure AI Foundry project's tracing view (and Application Insights' GenAI views) recognise
 * them: the operation (`chat`, `embeddings`), the provider, the requested model, the sampling
 * parameters and the token usage. Both spellings of the provider are set: `gen_ai.system`
 * (conventions up to v1.36, what the Foundry instrumentations emit by default) and its
 * replacement `gen_ai.provider.name`.
 *
 * @module
 */
import type { Attributes } from "@opentelemetry/api";
import type { TokenUsage } from "../models/types.ts";

/** One model call as the pipeline knows it. */
export interface GenAiCall {
  operation: "chat" | "embeddings";
  /** The model's backend (`ChatModel.backend`): "azure-openai", "openai-compatible", "offline"… */
  backend: string;
  /** Model or deployment name. */
  model: string;
  temperature?: number;
  maxTokens?: number;
  topP?: number;
  usage?: TokenUsage;
}

/** The provider in both spellings, from a backend name. */
function provider(backend: string): { system: string; name: string } {
  if (backend === "azure-openai") return { system: "az.ai.openai", name: "azure.ai.openai" };
  if (backend === "offline") return { system: "contoso.offline", name: "contoso.offline" };
  // OpenAI, GitHub Models, Ollama, Foundry Local: the OpenAI API, served by someone.
  return { system: "openai", name: "openai" };
}

/**
 * The GenAI attributes of one model call; absent values are left out.
 *
 * @example
 * ```ts
 * import { genAiAttributes } from "./gen_ai.ts";
 * const a = genAiAttributes({ operation: "chat", backend: "azure-openai", model: "gpt-4.1-mini" });
 * console.assert(a["gen_ai.system"] === "az.ai.openai");
 * ```
 */
export function genAiAttributes(call: GenAiCall): Attributes {
  const { system, name } = provider(call.backend);
  const attributes: Attributes = {
    "gen_ai.operation.name": call.operation,
    "gen_ai.system": system,
    "gen_ai.provider.name": name,
    "gen_ai.request.model": call.model,
  };
  if (call.temperature !== undefined) attributes["gen_ai.request.temperature"] = call.temperature;
  if (call.maxTokens !== undefined) attributes["gen_ai.request.max_tokens"] = call.maxTokens;
  if (call.topP !== undefined) attributes["gen_ai.request.top_p"] = call.topP;
  if (call.usage) {
    attributes["gen_ai.usage.input_tokens"] = call.usage.promptTokens;
    attributes["gen_ai.usage.output_tokens"] = call.usage.completionTokens;
  }
  return attributes;
}
