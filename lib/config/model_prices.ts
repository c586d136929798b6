/**
 * The price table of `MODEL_PRICES`: a JSON object from model (or Azure deployment) name to
 * its price in US dollars per million tokens, `{"gpt-4o-mini": {"input": 0.15, "output": 0.6}}`.
 * The evaluation's `cost` metric reads it; prices change and differ by contract, so the project
 * ships none and a model without a price has no cost rather than a guessed one.
 *
 * @module
 */
import type { ModelPrice } from "./types.ts";

/** The shape `MODEL_PRICES` takes, for error messages. */
export const MODEL_PRICES_EXAMPLE = '{"gpt-4o-mini": {"input": 0.15, "output": 0.6}}';

/**
 * Parse the value of `MODEL_PRICES`. Returns the table, or the problem in words (naming the
 * variable) so `loadConfig` can report it with the others.
 *
 * @example
 * ```ts
 * import { parseModelPrices } from "./model_prices.ts";
 * const parsed = parseModelPrices('{"gpt-4o": {"input": 2.5, "output": 10}}');
 * console.assert("prices" in parsed && parsed.prices["gpt-4o"].output === 10);
 * ```
 */
export function parseModelPrices(
  text: string,
): { prices: Record<string, ModelPrice> } | { problem: string } {
  const fail = (why: string) => ({
    problem:
      `MODEL_PRICES ${why}; expected JSON like ${MODEL_PRICES_EXAMPLE} (USD per million tokens)`,
  });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return fail(`is not valid JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return fail("must be a JSON object of model names");
  }
  const prices: Record<string, ModelPrice> = {};
  for (const [model, value] of Object.entries(parsed)) {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      return fail(`gives "${model}" no {"input", "output"} object`);
    }
    const price: Partial<ModelPrice> = {};
    for (const side of ["input", "output"] as const) {
      const n = (value as Record<string, unknown>)[side];
      if (typeof n !== "number" || !Number.isFinite(n) || n < 0) {
        return fail(`needs a non-negative number for "${model}".${side}, got ${JSON.stringify(n)}`);
      }
      price[side] = n;
    }
    prices[model] = price as ModelPrice;
  }
  return { prices };
}
