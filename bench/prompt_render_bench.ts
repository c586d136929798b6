/**
 * Rendering cost of the chat prompt with its sample, which the pipeline pays on every request
 * (`deno bench -A bench/prompt_render_bench.ts`). Measured on this 2-core machine when the
 * Jinja2 interpreter replaced `@huggingface/jinja` (median of 5 × 20,000 renders of the
 * compiled template): 5–7 µs per render against 15–17 µs before; `renderPrompty()` with input
 * resolution and role splitting about 12 µs; compiling once per prompt 33–72 µs against
 * 95–290 µs.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { loadPrompty } from "../lib/prompty/load.ts";
import { renderPrompty } from "../lib/prompty/render.ts";
import { compileTemplate } from "../lib/prompty/jinja/mod.ts";

const chat = await loadPrompty(
  fileURLToPath(new URL("../prompts/chat.prompty", import.meta.url)),
  { env: {} },
);

Deno.bench("renderPrompty() renders prompts/chat.prompty with its sample", () => {
  renderPrompty(chat);
});

Deno.bench("compileTemplate() compiles the chat prompt's template", () => {
  compileTemplate(chat.template);
});
