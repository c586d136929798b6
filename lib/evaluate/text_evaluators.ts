/**
 * The text metrics as {@link Evaluator}s. A metric that needs the reference answer is
 * reported missing (with the reason) on rows that have none, rather than scored 0.
 *
 * @module
 */
import type { EvalInput, EvalScore, Evaluator } from "./types.ts";
import { bleu, lexicalGroundedness, rougeL, tokenF1 } from "./text_metrics.ts";

function againstTruth(
  name: string,
  description: string,
  metric: (answer: string, reference: string) => number,
): Evaluator {
  return {
    name,
    kind: "text",
    description,
    range: [0, 1],
    evaluate(input: EvalInput): Promise<EvalScore> {
      if (input.truth === undefined) {
        return Promise.resolve({
          value: null,
          reason: "no reference answer (truth) in the row",
          applicable: false,
        });
      }
      return Promise.resolve({ value: metric(input.answer, input.truth) });
    },
  };
}

/** Token F1 against the reference answer (SQuAD normalisation, numbers whole). */
export const f1Evaluator: Evaluator = againstTruth(
  "f1",
  "Token overlap with the reference answer (F1; SQuAD normalisation: articles and punctuation removed)",
  tokenF1,
);

/** ROUGE-L F1 against the reference answer. */
export const rougeLEvaluator: Evaluator = againstTruth(
  "rouge_l",
  "Longest common word subsequence with the reference answer (F1)",
  rougeL,
);

/** Smoothed sentence BLEU-4 against the reference answer (NLTK method2, auto_reweigh). */
export const bleuEvaluator: Evaluator = againstTruth(
  "bleu",
  "n-gram precision against the reference answer, with brevity penalty (BLEU-4, NLTK's method2 smoothing)",
  bleu,
);

/** Share of the answer's content words found in the context (retrieved items and orders). */
export const lexicalGroundednessEvaluator: Evaluator = {
  name: "lexical_groundedness",
  kind: "text",
  description:
    "Share of the answer's content words that occur in the context (retrieved items and the customer's orders)",
  range: [0, 1],
  evaluate(input: EvalInput): Promise<EvalScore> {
    const value = lexicalGroundedness(input.answer, input.contextText);
    return Promise.resolve(
      value === undefined ? { value: null, reason: "the answer has no content words" } : { value },
    );
  },
};

/** Every text metric, in report order. */
export function textEvaluators(): Evaluator[] {
  return [f1Evaluator, rougeLEvaluator, bleuEvaluator, lexicalGroundednessEvaluator];
}
