/**
 * Rendering a Prompty template: Jinja2 with the inputs (sample values as defaults), then
 * splitting on `system:` / `user:` / `assistant:` role markers into chat messages.
 *
 * @module
 */
import { Template } from "@huggingface/jinja";
import type { ChatMessage } from "../models/types.ts";
import type { Prompty } from "./types.ts";

const ROLE_LINE = /^\s*#?\s*(system|user|assistant)\s*:\s*$/i;
const BLOCK_CLOSERS: Record<string, string> = {
  for: "{% endfor %}",
  if: "{% endif %}",
  macro: "{% endmacro %}",
  call: "{% endcall %}",
  filter: "{% endfilter %}",
  set: "",
};

/**
 * Check a template's syntax; throws a `SyntaxError` naming the file and, where it can be
 * found, the line.
 */
export function checkTemplate(template: string, where: { path: string; firstLine: number }): void {
  try {
    new Template(template);
  } catch (error) {
    const line = findBadLine(template);
    const at = line === undefined ? "" : ` (line ${where.firstLine + line})`;
    throw new SyntaxError(
      `Cannot load prompt "${where.path}"${at}: template syntax error: ${(error as Error).message}`,
    );
  }
}

/** Find the 0-based template line holding the first unbalanced or invalid tag. */
function findBadLine(template: string): number | undefined {
  const lines = template.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const count = (s: string) => line.split(s).length - 1;
    if (count("{{") !== count("}}") || count("{%") !== count("%}")) return i;
    for (const tag of line.match(/\{%-?\s*[\s\S]*?-?%\}/g) ?? []) {
      const keyword = /\{%-?\s*(\w+)/.exec(tag)?.[1] ?? "";
      if (keyword.startsWith("end") || keyword === "else" || keyword === "elif") continue;
      try {
        new Template(tag + (BLOCK_CLOSERS[keyword] ?? ""));
      } catch {
        return i;
      }
    }
    for (const expr of line.match(/\{\{[\s\S]*?\}\}/g) ?? []) {
      try {
        new Template(expr);
      } catch {
        return i;
      }
    }
  }
  return undefined;
}

/**
 * The inputs a template is rendered with: declared defaults, then the sample's values, then
 * the caller's. An input the file does not declare is a `TypeError` (a typo caught early).
 */
export function resolveInputs(
  prompty: Prompty,
  inputs: Record<string, unknown> = {},
): Record<string, unknown> {
  const declared = new Set([...Object.keys(prompty.inputs), ...Object.keys(prompty.sample)]);
  const unknown = Object.keys(inputs).filter((k) => !declared.has(k));
  if (declared.size > 0 && unknown.length > 0) {
    throw new TypeError(
      `Cannot render prompt "${prompty.path}": unknown input${unknown.length > 1 ? "s" : ""} ${
        unknown.map((k) => `"${k}"`).join(", ")
      } (declared: ${[...declared].join(", ")})`,
    );
  }
  const defaults = Object.fromEntries(
    Object.entries(prompty.inputs).filter(([, spec]) => spec.default !== undefined).map((
      [k, spec],
    ) => [k, spec.default]),
  );
  return { ...defaults, ...prompty.sample, ...inputs };
}

// Parsing a template costs more than rendering it; a prompt is rendered on every request.
const templates = new WeakMap<Prompty, { source: string; template: Template }>();

function compiled(prompty: Prompty): Template {
  const cached = templates.get(prompty);
  if (cached && cached.source === prompty.template) return cached.template;
  const template = new Template(prompty.template);
  templates.set(prompty, { source: prompty.template, template });
  return template;
}

/**
 * Keep only the inputs a prompt declares (in `inputs` or its sample). Callers that serve
 * several prompt versions (the pipeline, evaluation) pass everything they have; a simpler
 * prompt simply does not use the rest.
 */
export function declaredInputs(
  prompty: Prompty,
  inputs: Record<string, unknown>,
): Record<string, unknown> {
  const declared = new Set([...Object.keys(prompty.inputs), ...Object.keys(prompty.sample)]);
  if (declared.size === 0) return inputs;
  return Object.fromEntries(Object.entries(inputs).filter(([k]) => declared.has(k)));
}

/**
 * Render a prompt to chat messages.
 *
 * @example
 * ```ts ignore
 * const messages = renderPrompty(prompty, { question: "Which tent is lightest?" });
 * ```
 */
export function renderPrompty(
  prompty: Prompty,
  inputs: Record<string, unknown> = {},
): ChatMessage[] {
  const text = compiled(prompty).render(resolveInputs(prompty, inputs));
  return splitRoles(text);
}

/** Split rendered text on role marker lines; text before the first marker is the system message. */
export function splitRoles(text: string): ChatMessage[] {
  const messages: ChatMessage[] = [];
  let role: ChatMessage["role"] = "system";
  let buffer: string[] = [];
  const flush = () => {
    const content = buffer.join("\n").trim();
    if (content) messages.push({ role, content });
    buffer = [];
  };
  for (const line of text.split(/\r?\n/)) {
    const marker = ROLE_LINE.exec(line);
    if (marker) {
      flush();
      role = marker[1].toLowerCase() as ChatMessage["role"];
    } else {
      buffer.push(line);
    }
  }
  flush();
  return messages;
}
