/**
 * Loading `.prompty` files: YAML front matter with `${env:NAME}` references and a sample that
 * may live in a JSON file (`${file:sample.json}`), then a Jinja2 template. Files written for
 * the Prompty editor extension load unchanged; unknown front-matter keys are ignored.
 *
 * @module
 */
import { parse as parseYaml, YAMLParseError } from "yaml";
import { dirname, isAbsolute, join, resolve } from "node:path";
import type { Prompty, PromptyInput, PromptyParameters } from "./types.ts";
import { checkTemplate } from "./render.ts";

/** Options of {@link loadPrompty}. */
export interface LoadPromptyOptions {
  /** Values for `${env:NAME}` references (tests pass plain objects). Default: none. */
  env?: Record<string, string | undefined>;
}

const FRONT_MATTER = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;
const ENV_REF = /\$\{(?:env|ENV):([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?\}/g;
const FILE_REF = /^\$\{file:([^}]+)\}$/;

/**
 * Load and validate a `.prompty` file.
 *
 * @example
 * ```ts ignore
 * const prompty = await loadPrompty("prompts/chat.prompty", { env: Deno.env.toObject() });
 * ```
 */
export async function loadPrompty(
  path: string,
  options: LoadPromptyOptions = {},
): Promise<Prompty> {
  const file = resolve(path);
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new TypeError(`Cannot load prompt "${path}": file not found`);
    }
    throw new TypeError(`Cannot load prompt "${path}": ${(error as Error).message}`);
  }
  return await parsePrompty(text, { ...options, path: file });
}

/** Parse prompty text; `path` names the file in errors and anchors `${file:…}` references. */
export async function parsePrompty(
  text: string,
  options: LoadPromptyOptions & { path: string },
): Promise<Prompty> {
  const { path } = options;
  const match = FRONT_MATTER.exec(text);
  if (!match) {
    throw new SyntaxError(
      `Cannot load prompt "${path}": missing YAML front matter between "---" lines`,
    );
  }
  let front: Record<string, unknown>;
  try {
    const parsed = parseYaml(match[1]) ?? {};
    if (typeof parsed !== "object" || Array.isArray(parsed)) {
      throw new TypeError("front matter is not a mapping");
    }
    front = parsed as Record<string, unknown>;
  } catch (error) {
    const line = error instanceof YAMLParseError && error.linePos
      ? error.linePos[0].line + 1
      : undefined;
    const reason = (error as Error).message.split("\n")[0];
    throw new SyntaxError(
      `Cannot load prompt "${path}"${
        line ? ` (line ${line})` : ""
      }: invalid YAML front matter: ${reason}`,
    );
  }
  const env = options.env ?? {};
  front = substituteEnv(front, env) as Record<string, unknown>;

  const model = asRecord(front.model);
  const configuration = asRecord(model.configuration);
  const parameters = mapParameters(asRecord(model.parameters));
  const inputs = normaliseInputs(front.inputs, path);
  const sample = await loadSample(front.sample, path);
  const template = text.slice(match[0].length);
  const templateLine = match[0].split("\n").length;
  checkTemplate(template, { path, firstLine: templateLine });
  return {
    name: typeof front.name === "string"
      ? front.name
      : path.replace(/^.*\//, "").replace(/\.prompty$/, ""),
    description: typeof front.description === "string" ? front.description : "",
    path,
    configuration,
    parameters,
    inputs,
    sample,
    template,
    templateLine,
  };
}

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === "object" && !Array.isArray(value)
    ? value as Record<string, unknown>
    : {};
}

function substituteEnv(value: unknown, env: Record<string, string | undefined>): unknown {
  if (typeof value === "string") {
    return value.replace(
      ENV_REF,
      (_, name: string, fallback?: string) => env[name] ?? fallback ?? "",
    );
  }
  if (Array.isArray(value)) return value.map((v) => substituteEnv(v, env));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteEnv(v, env)]));
  }
  return value;
}

function mapParameters(p: Record<string, unknown>): PromptyParameters {
  const num = (v: unknown) => (typeof v === "number" ? v : undefined);
  const format = asRecord(p.response_format);
  return {
    temperature: num(p.temperature),
    maxTokens: num(p.max_tokens) ?? num(p.max_completion_tokens),
    topP: num(p.top_p),
    json: format.type === "json_object" || p.response_format === "json_object" || undefined,
  };
}

/** Inputs may be `{name: {type, default}}`, `{name: "string"}` (shorthand) or a list of names. */
function normaliseInputs(value: unknown, path: string): Record<string, PromptyInput> {
  if (value === undefined || value === null) return {};
  if (Array.isArray(value)) {
    return Object.fromEntries(value.map((name) => [String(name), {}]));
  }
  if (typeof value !== "object") {
    throw new SyntaxError(
      `Cannot load prompt "${path}": "inputs" must be a mapping of input names`,
    );
  }
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([name, spec]) => [
      name,
      typeof spec === "string" ? { type: spec } : asRecord(spec) as PromptyInput,
    ]),
  );
}

async function loadSample(value: unknown, path: string): Promise<Record<string, unknown>> {
  if (value === undefined || value === null) return {};
  if (typeof value === "string") {
    const ref = FILE_REF.exec(value.trim());
    if (!ref) {
      throw new SyntaxError(
        `Cannot load prompt "${path}": "sample" must be a mapping or \${file:NAME.json}`,
      );
    }
    const samplePath = isAbsolute(ref[1]) ? ref[1] : join(dirname(path), ref[1]);
    let text: string;
    try {
      text = await Deno.readTextFile(samplePath);
    } catch {
      throw new TypeError(`Cannot load prompt "${path}": sample file "${ref[1]}" not found`);
    }
    try {
      return asRecord(JSON.parse(text));
    } catch (error) {
      throw new SyntaxError(
        `Cannot load prompt "${path}": sample file "${ref[1]}" is not valid JSON: ${
          (error as Error).message
        }`,
      );
    }
  }
  if (typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  throw new SyntaxError(
    `Cannot load prompt "${path}": "sample" must be a mapping or \${file:NAME.json}`,
  );
}
