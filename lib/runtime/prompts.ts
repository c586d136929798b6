/**
 * The pipeline's prompts, loaded in one place: the chat prompt (the configuration's
 * `chatPromptPath`, CONTOSO_CHAT_PROMPT, unless an option names another) and the query prompt
 * (`prompts/product.prompty`), both resolved from the repository root.
 *
 * @module
 */
import type { Config } from "../config/types.ts";
import { loadPrompty } from "../prompty/load.ts";
import type { Prompty } from "../prompty/types.ts";
import { resolveProjectPath } from "./paths.ts";

/** The query prompt unless an option names another. */
export const QUERY_PROMPT_PATH = "prompts/product.prompty";

/** The loaded prompts of a pipeline. */
export interface PipelinePrompts {
  chat: Prompty;
  query: Prompty;
}

/** Options of {@link loadPipelinePrompts}. */
export interface PipelinePromptOptions {
  /** Chat prompt file (default: the configuration's `chatPromptPath`). */
  chatPromptPath?: string;
  /** Query prompt file (default {@link QUERY_PROMPT_PATH}). */
  queryPromptPath?: string;
  /** Environment for `${env:…}` in prompt files. */
  env?: Record<string, string | undefined>;
}

/**
 * Load both prompts at once.
 *
 * @example
 * ```ts ignore
 * const { chat, query } = await loadPipelinePrompts(loadConfig({}));
 * ```
 */
export async function loadPipelinePrompts(
  config: Pick<Config, "chatPromptPath">,
  options: PipelinePromptOptions = {},
): Promise<PipelinePrompts> {
  const load = (path: string) => loadPrompty(resolveProjectPath(path), { env: options.env });
  const [chat, query] = await Promise.all([
    load(options.chatPromptPath ?? config.chatPromptPath),
    load(options.queryPromptPath ?? QUERY_PROMPT_PATH),
  ]);
  return { chat, query };
}
