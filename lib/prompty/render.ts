/**
 * Rendering a Prompty template: Jinja2 (our interpreter in `jinja/`, which renders what Python's
 * jinja2 renders, as the Python Prompty runtime does) with the inputs (declared defaults and
 * the sample fill in what the caller does not pass), then splitting on `system:` / `user:` /
 * `assistant:` role markers into chat messages. Template errors name the file, the line in
 * the file (front matter counted) and the variable or tag.
 *
 * @module
 */
import type { ChatMessage } from "../models/types.ts";
import type { Prompty } from "./types.ts";
import { type CompiledTemplate, compileTemplate, JinjaError } from "./jinja/mod.ts";

const ROLE_LINE = /^\s*#?\s*(system|user|assistant)\s*:\s*$/i;

/** ` (line N)` for a template line, counted in the file. */
function fileLine(error: JinjaError, firstLine: number): string {
  return error.line === undefined || error.line < 1 ? "" : ` (line ${firstLine + error.line - 1})`;
}

/**
 * Check a template's syntax; throws a `SyntaxError` naming the file and the line in the file
 * (`firstLine` is the file line where the template starts).
 */
export function checkTemplate(template: string, where: { path: string; firstLine: number }): void {
  compileChecked(template, where);
}

function compileChecked(
  template: string,
  where: { path: string; firstLine: number },
): CompiledTemplate {
  try {
    return compileTemplate(template);
  } catch (error) {
    if (!(error instanceof JinjaError)) throw error;
    throw new SyntaxError(
      `Cannot load prompt "${where.path}"${
        fileLine(error, where.firstLine)
      }: template syntax error: ${error.message}`,
    );
  }
}

/**
 * The inputs a template is rendered with: declared defaults, then the sample's values, then
 * the caller's. Inputs the file does not declare pass through, as in the Python runtime.
 */
export function resolveInputs(
  prompty: Prompty,
  inputs: Record<string, unknown> = {},
): Record<string, unknown> {
  const defaults = Object.fromEntries(
    Object.entries(prompty.inputs).filter(([, spec]) => spec.default !== undefined).map((
      [k, spec],
    ) => [k, spec.default]),
  );
  return { ...defaults, ...prompty.sample, ...inputs };
}

// Parsing a template costs more than rendering it; a prompt is rendered on every request.
const templates = new WeakMap<Prompty, { source: string; template: CompiledTemplate }>();

function compiled(prompty: Prompty): CompiledTemplate {
  const cached = templates.get(prompty);
  if (cached && cached.source === prompty.template) return cached.template;
  const template = compileChecked(prompty.template, {
    path: prompty.path,
    firstLine: prompty.templateLine,
  });
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
 * Render a prompt to chat messages. A template error is a `TypeError` naming the file, the
 * line in the file and the variable: `Cannot render prompt "chat.prompty" (line 31):
 * "customer" is undefined in "customer.address.city"`.
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
  const template = compiled(prompty);
  let text: string;
  try {
    text = template.render(resolveInputs(prompty, inputs));
  } catch (error) {
    if (!(error instanceof JinjaError)) throw error;
    throw new TypeError(
      `Cannot render prompt "${prompty.path}"${
        fileLine(error, prompty.templateLine)
      }: ${error.message}`,
    );
  }
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
