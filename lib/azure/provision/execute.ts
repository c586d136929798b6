/**
 * Running a plan: each command through the runner, in order, stopping at the first failure;
 * the smoke test and the `.env` edit in process. The same steps `--dry-run` printed.
 *
 * @module
 */
import { withoutAzdBlock } from "../azd_env.ts";
import type { AzurePlan, PlanStep } from "./plan.ts";
import { type CommandRunner, shellLine } from "../runner.ts";
import { type SmokeOptions, type SmokeResult, smokeTest } from "./smoke.ts";

/** How one step went. */
export interface PlanStepResult {
  step: PlanStep;
  ok: boolean;
  detail: string;
  smoke?: SmokeResult;
}

/** Options of {@linkcode executePlan}. */
export interface PlanExecuteOptions {
  runner: CommandRunner;
  cwd?: string;
  /** Output of the commands as it arrives. */
  onOutput?: (text: string, stream: "stdout" | "stderr") => void;
  /** Told before each step. */
  onStep?: (step: PlanStep, index: number, total: number) => void;
  /** The smoke test's URL when the plan has none yet (read after `azd deploy`). */
  resolveSmokeUrl?: () => Promise<string | undefined>;
  smoke?: SmokeOptions;
}

/** The outcome of a plan. */
export interface PlanExecuteResult {
  ok: boolean;
  results: PlanStepResult[];
}

/** Run the steps of a plan in order; stops at the first failed step. */
export async function executePlan(
  plan: AzurePlan,
  options: PlanExecuteOptions,
): Promise<PlanExecuteResult> {
  const results: PlanStepResult[] = [];
  for (const [i, step] of plan.steps.entries()) {
    options.onStep?.(step, i, plan.steps.length);
    let result: PlanStepResult;
    if (step.kind === "command") {
      const [command, ...args] = step.command;
      const out = await options.runner.run(command, args, {
        cwd: options.cwd,
        env: step.env,
        onOutput: options.onOutput,
      });
      result = {
        step,
        ok: out.code === 0,
        detail: out.code === 0
          ? `${shellLine(step.command)}: done`
          : `${shellLine(step.command)} exited ${out.code}: ${
            out.stderr.trim().split("\n").at(-1) ?? ""
          }`,
      };
    } else if (step.kind === "smoke") {
      const url = step.url ?? await options.resolveSmokeUrl?.();
      if (!url) {
        result = { step, ok: false, detail: "no endpoint URL (SERVICE_API_URI) to test" };
      } else {
        const smoke = await smokeTest(url, options.smoke);
        result = { step, ok: smoke.ok, detail: `${smoke.status} in ${smoke.latencyMs} ms`, smoke };
      }
    } else {
      result = await removeEnvBlock(step.path, step);
    }
    results.push(result);
    if (!result.ok) return { ok: false, results };
  }
  return { ok: true, results };
}

async function removeEnvBlock(path: string, step: PlanStep): Promise<PlanStepResult> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { step, ok: true, detail: `${path}: none` };
    throw error;
  }
  const { text: rest, removed } = withoutAzdBlock(text);
  if (!removed) return { step, ok: true, detail: `${path}: no azd block` };
  if (rest.trim() === "") await Deno.remove(path);
  else await Deno.writeTextFile(path, rest);
  return { step, ok: true, detail: `${path}: azd block removed` };
}
