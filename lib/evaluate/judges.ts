/**
 * AI-judge evaluators: a `.prompty` file that asks a model for a 1–5 score, run on the
 * evaluation model. A judge only ever runs on a real language model: with none configured
 * (or with the offline model, which is extractive and cannot judge) every judge is reported
 * as skipped, with the reason, instead of producing invented scores.
 *
 * A judge sends its call with room for what its prompt asks for (a reply cut at five tokens
 * turns "I'd rate this a 4" into "I'd rate this a"), and retries only through the model
 * client's bounded retries, each reported to the caller's `onRetry`. A reasoning model as the
 * judge is the model client's business (`max_completion_tokens`, no temperature).
 *
 * @module
 */
import { basename, join } from "node:path";
import { loadPrompty, renderPrompty } from "../prompty/mod.ts";
import type { Prompty } from "../prompty/mod.ts";
import type { ChatModel } from "../models/types.ts";
import type { EvalInput, EvalScore, Evaluator, SkippedEvaluator } from "./types.ts";
import { parseScore } from "./parse_score.ts";
import { scopeJudge } from "./decline.ts";
import { quoteRoleMarkers } from "../chat/prepare.ts";
import { resolveProjectPath } from "../runtime/paths.ts";

/** The judges shipped in `prompts/evaluators/`, in report order. */
export const BUILT_IN_JUDGES = [
  "groundedness",
  "relevance",
  "coherence",
  "fluency",
  "friendliness",
] as const;

/** Why judges cannot run without a real model (shown in reports and the notebook). */
export const NO_JUDGE_MODEL_REASON =
  "no evaluation model: the offline model is not a language model and cannot judge " +
  "(set AZURE_OPENAI_ENDPOINT or OPENAI_API_KEY to run the AI judges)";

/**
 * The variables a judge template may use; each file receives the ones it declares. Text is
 * quoted so an answer containing a line like `system:` cannot open a new role in the judge's
 * prompt (and talk the judge into a score).
 */
export function judgeVariables(input: EvalInput): Record<string, unknown> {
  return {
    question: quoteRoleMarkers(input.question),
    answer: quoteRoleMarkers(input.answer),
    context: quoteRoleMarkers(input.contextText),
    truth: quoteRoleMarkers(input.truth ?? ""),
    chat_history: input.row.chatHistory.map((t) => ({
      ...t,
      content: quoteRoleMarkers(t.content),
    })),
  };
}

/** Tokens a judge asking for the score alone may use: "Score: 4/5." and a few words more. */
export const JUDGE_SCORE_TOKENS = 50;
/** Tokens a judge asking for a JSON reply (a score and its reason) may use. */
export const JUDGE_REASON_TOKENS = 400;

/**
 * The completion budget of a judge: the prompt's own `max_tokens`, raised to what its reply
 * needs — a JSON reply (`response_format: json_object`, a score with a reason) gets
 * {@link JUDGE_REASON_TOKENS}, a bare score {@link JUDGE_SCORE_TOKENS}.
 *
 * @example
 * ```ts
 * import { judgeMaxTokens } from "./judges.ts";
 * console.assert(judgeMaxTokens({ parameters: { maxTokens: 5 } }) === 50);
 * ```
 */
export function judgeMaxTokens(prompty: Pick<Prompty, "parameters">): number {
  const floor = prompty.parameters.json ? JUDGE_REASON_TOKENS : JUDGE_SCORE_TOKENS;
  return Math.max(prompty.parameters.maxTokens ?? 0, floor);
}

/**
 * Make an evaluator from a loaded judge prompt and a model. Model errors are thrown after the
 * model client's own retries (each reported to `options.onRetry`; nobody retries on top); a
 * reply without a clear score becomes a missing score with its text and the reason.
 */
export function createJudge(prompty: Prompty, model: ChatModel, name?: string): Evaluator {
  const declared = new Set([...Object.keys(prompty.inputs), ...Object.keys(prompty.sample)]);
  const metric = name ?? basename(prompty.path).replace(/\.prompty$/, "");
  return {
    name: metric,
    kind: "judge",
    description: prompty.description,
    range: [1, 5],
    async evaluate(input: EvalInput, options = {}): Promise<EvalScore> {
      const variables = Object.fromEntries(
        Object.entries(judgeVariables(input)).filter(([k]) => declared.has(k)),
      );
      const p = prompty.parameters;
      const reply = await model.complete(renderPrompty(prompty, variables), {
        temperature: p.temperature,
        topP: p.topP,
        maxTokens: judgeMaxTokens(prompty),
        json: p.json,
        signal: options.signal,
        onRetry: options.onRetry,
      });
      const score = parseScore(reply.content, { range: [1, 5], labels: [metric] });
      if (score.value === null && reply.finishReason === "length") {
        // A reasoning model can spend the whole budget thinking; say so rather than "no score".
        return { ...score, reason: `${score.reason} (the reply was cut at the token limit)` };
      }
      return score;
    },
  };
}

/**
 * Load one judge file for a model.
 *
 * @example
 * ```ts ignore
 * const friendliness = await loadJudge("prompts/evaluators/friendliness.prompty", model);
 * ```
 */
export async function loadJudge(path: string, model: ChatModel): Promise<Evaluator> {
  return createJudge(await loadPrompty(path), model);
}

/** Options of {@link loadJudges}. */
export interface LoadJudgesOptions {
  /** The evaluation model; absent means every judge is skipped. */
  model?: ChatModel;
  /** Folder of judge prompts (default `prompts/evaluators` of the project, from any folder). */
  dir?: string;
  /** Judge names to load (default: every `.prompty` in the folder, built-ins first). */
  names?: string[];
}

/** Judge names found in a folder: the built-ins first (in their order), then the rest by name. */
export async function listJudges(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile && entry.name.endsWith(".prompty")) {
      names.push(entry.name.replace(/\.prompty$/, ""));
    }
  }
  const order = (n: string) => {
    const i = (BUILT_IN_JUDGES as readonly string[]).indexOf(n);
    return i === -1 ? BUILT_IN_JUDGES.length : i;
  };
  return names.sort((a, b) => order(a) - order(b) || a.localeCompare(b));
}

/**
 * Load the judges, or report each as skipped (with the reason) when no real model can run them.
 *
 * @example
 * ```ts ignore
 * const { evaluators, skipped } = await loadJudges({ model: runtime.evaluationModel });
 * ```
 */
export async function loadJudges(
  options: LoadJudgesOptions = {},
): Promise<{ evaluators: Evaluator[]; skipped: SkippedEvaluator[] }> {
  const dir = resolveProjectPath(options.dir ?? "prompts/evaluators");
  const names = options.names ?? await listJudges(dir);
  const model = options.model;
  if (!model || model.backend === "offline") {
    const reason = model
      ? `the judge model "${model.name}" is the offline model, which is not a language model and cannot judge`
      : NO_JUDGE_MODEL_REASON;
    return { evaluators: [], skipped: names.map((name) => ({ name, kind: "judge", reason })) };
  }
  const evaluators = await Promise.all(
    names.map(async (name) =>
      scopeJudge(createJudge(await loadPrompty(join(dir, `${name}.prompty`)), model, name))
    ),
  );
  return { evaluators, skipped: [] };
}
