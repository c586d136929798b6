/**
 * Types of a loaded Prompty asset.
 *
 * @module
 */

/** A declared input of a prompt. */
export interface PromptyInput {
  type?: string;
  description?: string;
  default?: unknown;
}

/** Model parameters of a prompt, in the domain's words (mapped from the file's snake_case). */
export interface PromptyParameters {
  temperature?: number;
  maxTokens?: number;
  topP?: number;
  /** `response_format: {type: json_object}` in the file. */
  json?: boolean;
}

/** A loaded `.prompty` file. */
export interface Prompty {
  name: string;
  description: string;
  /** Absolute path of the file, for error messages. */
  path: string;
  /** `model.configuration` after `${env:…}` substitution (type, azure_deployment, …). */
  configuration: Record<string, unknown>;
  parameters: PromptyParameters;
  inputs: Record<string, PromptyInput>;
  sample: Record<string, unknown>;
  /** The Jinja2 template (everything after the front matter). */
  template: string;
  /** 1-based line in the file where the template starts. */
  templateLine: number;
}
