import { equal } from "node:assert/strict";
import { loadConfig } from "../config/load.ts";
import { resolveProjectPath } from "./paths.ts";
import { loadPipelinePrompts, QUERY_PROMPT_PATH } from "./prompts.ts";

Deno.test("loadPipelinePrompts() loads the chat and query prompts", async (t) => {
  const config = loadConfig({});
  await t.step("the configuration's chat prompt and prompts/product.prompty", async () => {
    const prompts = await loadPipelinePrompts(config);
    equal(prompts.chat.path, resolveProjectPath(config.chatPromptPath));
    equal(prompts.query.path, resolveProjectPath(QUERY_PROMPT_PATH));
  });
  await t.step("an option names another chat prompt", async () => {
    const prompts = await loadPipelinePrompts(config, { chatPromptPath: QUERY_PROMPT_PATH });
    equal(prompts.chat.path, prompts.query.path);
  });
});
