/**
 * The code metrics as {@link Evaluator}s of kind "code": latency, answer length, citations,
 * the tokens the models reported, and their cost from the `MODEL_PRICES` table. Like the text
 * metrics they need no model and run offline; a value that cannot be known (no usage reported,
 * no price for the model, no ids in the reference) is missing with the reason, never 0.
 *
 * @module
 */
import type { ModelPrice } from "../config/types.ts";
import type { Direction } from "./stats.ts";
import type { EvalInput, EvalScore, Evaluator } from "./types.ts";
import { answerLength, citationMatch, citedIds, tokenCost } from "./code_metrics.ts";

/** A code evaluator, with whether lower values are better (latency, tokens, cost). */
export type CodeEvaluator = Evaluator & { readonly direction?: Direction };

/** Options of {@link codeEvaluators}. */
export interface CodeEvaluatorOptions {
  /**
   * The chat model whose tokens `cost` prices: its model or deployment name and its backend.
   * The offline model runs in process and costs nothing unless the table prices it.
   */
  model?: { name: string; backend: string };
  /** Prices per million tokens by model name (`config.modelPrices`, from MODEL_PRICES). */
  prices?: Readonly<Record<string, ModelPrice>>;
}

const UNBOUNDED: readonly [number, number] = [0, Infinity];
const NO_USAGE = "the pipeline reported no token usage (a --target endpoint does not send it)";

function code(
  name: string,
  description: string,
  range: readonly [number, number],
  score: (input: EvalInput) => EvalScore,
  direction?: Direction,
): CodeEvaluator {
  return {
    name,
    kind: "code",
    description,
    range,
    ...(direction ? { direction } : {}),
    evaluate: (input: EvalInput) => Promise.resolve(score(input)),
  };
}

/** Wall time of the pipeline call, in milliseconds. */
export const latencyEvaluator: CodeEvaluator = code(
  "latency_ms",
  "Wall time of the pipeline call that produced the answer (ms)",
  UNBOUNDED,
  (input) =>
    input.latencyMs === undefined
      ? { value: null, reason: "no latency was recorded for the row" }
      : { value: input.latencyMs },
  "lower",
);

/** Length of the answer in characters (Unicode code points of the trimmed text). */
export const answerLengthEvaluator: CodeEvaluator = code(
  "answer_length",
  "Length of the answer in characters (Unicode code points)",
  UNBOUNDED,
  (input) => ({ value: answerLength(input.answer) }),
);

/** 1 when the answer cites any id in square brackets, else 0. */
export const hasCitationEvaluator: CodeEvaluator = code(
  "has_citation",
  "1 when the answer cites any id in square brackets, like [3]",
  [0, 1],
  (input) => {
    const ids = citedIds(input.answer);
    return ids.length > 0 ? { value: 1, raw: ids.join(", ") } : { value: 0 };
  },
);

/** Share of the ids the reference answer cites that the answer cites too. */
export const citationMatchEvaluator: CodeEvaluator = code(
  "citation_match",
  "Share of the ids cited in the reference answer that the answer also cites",
  [0, 1],
  (input) => {
    if (input.truth === undefined) {
      return { value: null, reason: "no reference answer (truth) in the row", applicable: false };
    }
    const value = citationMatch(input.answer, input.truth, input.context);
    return value === undefined
      ? { value: null, reason: "the reference answer cites no ids", applicable: false }
      : { value };
  },
);

/** Prompt tokens the models reported for the pipeline call. */
export const promptTokensEvaluator: CodeEvaluator = code(
  "prompt_tokens",
  "Prompt tokens of the pipeline's model calls, as the model reported them",
  UNBOUNDED,
  (input) => input.usage ? { value: input.usage.promptTokens } : { value: null, reason: NO_USAGE },
  "lower",
);

/** Completion tokens the models reported for the pipeline call. */
export const completionTokensEvaluator: CodeEvaluator = code(
  "completion_tokens",
  "Completion tokens of the pipeline's model calls, as the model reported them",
  UNBOUNDED,
  (input) =>
    input.usage ? { value: input.usage.completionTokens } : { value: null, reason: NO_USAGE },
  "lower",
);

/**
 * Cost in US dollars of the pipeline call's tokens, priced at the chat model's entry in the
 * price table (every reported token is priced as the chat model's; embeddings are not counted).
 */
export function costEvaluator(options: CodeEvaluatorOptions = {}): CodeEvaluator {
  const { model, prices = {} } = options;
  const price: ModelPrice | undefined = model
    ? prices[model.name] ?? (model.backend === "offline" ? { input: 0, output: 0 } : undefined)
    : undefined;
  const why = model
    ? `no price for model "${model.name}" in MODEL_PRICES`
    : "the chat model is not known, so no price applies";
  return code(
    "cost",
    "Cost of the pipeline call's tokens in USD, from MODEL_PRICES (per million tokens)",
    UNBOUNDED,
    (input) => {
      if (!price) return { value: null, reason: why };
      if (!input.usage) return { value: null, reason: NO_USAGE };
      return { value: tokenCost(input.usage, price) };
    },
    "lower",
  );
}

/**
 * Every code metric, in report order: `latency_ms`, `answer_length`, `has_citation`,
 * `citation_match`, `prompt_tokens`, `completion_tokens`, `cost`.
 *
 * @example
 * ```ts
 * import { codeEvaluators } from "./code_evaluators.ts";
 * const evaluators = codeEvaluators({
 *   model: { name: "gpt-4o-mini", backend: "openai-compatible" },
 *   prices: { "gpt-4o-mini": { input: 0.15, output: 0.6 } },
 * });
 * console.assert(evaluators.map((e) => e.name).includes("cost"));
 * ```
 */
export function codeEvaluators(options: CodeEvaluatorOptions = {}): CodeEvaluator[] {
  return [
    latencyEvaluator,
    answerLengthEvaluator,
    hasCitationEvaluator,
    citationMatchEvaluator,
    promptTokensEvaluator,
    completionTokensEvaluator,
    costEvaluator(options),
  ];
}
