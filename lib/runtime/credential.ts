/**
 * The Azure credential, built only when a configured client needs keyless auth: the Azure SDK
 * loads on demand, since on the embedded defaults it would be a third of the start-up time.
 * `createRuntime` uses it for every client; the one-model commands (`deno task prompty --run`,
 * `deno task eval:generate`) build just the chat model with {@link createConfiguredChatModel}.
 *
 * @module
 */
import type { TokenCredential } from "@azure/identity";
import type { Config } from "../config/types.ts";
import { createChatModel } from "../models/factory.ts";
import type { ChatModel } from "../models/types.ts";

/** Whether a configured client authenticates with Entra ID (an Azure service without its key). */
export function needsCredential(config: Config): boolean {
  const models = [config.chat, config.embedding, config.evaluation];
  return models.some((m) => m?.backend === "azure-openai" && !m.apiKey) ||
    (config.customers.backend === "cosmos" && !config.customers.key) ||
    (config.products.backend === "azure-search" && !config.products.apiKey);
}

/** DefaultAzureCredential (with the container's managed identity) when `needed`, else none. */
export async function loadCredential(
  config: Pick<Config, "azureClientId">,
  needed: boolean,
): Promise<TokenCredential | undefined> {
  if (!needed) return undefined;
  const { DefaultAzureCredential } = await import("@azure/identity");
  return new DefaultAzureCredential({ managedIdentityClientId: config.azureClientId });
}

/**
 * The configured chat model alone, with the configuration's timeout and retries.
 *
 * @example
 * ```ts ignore
 * const model = await createConfiguredChatModel(loadConfig(readEnvironment()));
 * ```
 */
export async function createConfiguredChatModel(config: Config): Promise<ChatModel> {
  const chat = config.chat;
  return createChatModel(chat, {
    credential: await loadCredential(config, chat.backend === "azure-openai" && !chat.apiKey),
    timeoutMs: config.modelTimeoutMs,
    maxRetries: config.modelMaxRetries,
    rateLimitMaxWaitMs: config.rateLimitMaxWaitMs,
  });
}
