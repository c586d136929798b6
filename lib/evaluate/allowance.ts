/**
 * Fitting an evaluation run into a rate-limited model allowance (GitHub Models' free tier counts
 * requests per model per day). Each evaluated row costs a known number of model requests: the
 * pipeline's query generation and answer on the chat model, one embeddings call for its queries,
 * and one call per AI judge that applies to the row on the judge model. {@link planAllowance}
 * adds those up per rate-limit tracker (models served by one model share a tracker, so a judge
 * that is the chat model draws on the chat model's allowance), and picks the largest subset of
 * the set that fits what every tracker still allows, spread evenly over the set (never simply the
 * first rows) and the same on every run. The CLI and notebook 4 show the plan; `--all` takes the
 * whole set regardless, and a run that outlives its allowance stops resumably
 * ({@link allowanceExhaustedIn}).
 *
 * @module
 */
import {
  AllowanceExhaustedError,
  type ModelRateLimits,
  type RateAllowance,
  type RateLimitTracker,
} from "../models/rate_limits.ts";
import type { EvalCase, Evaluator } from "./types.ts";

/**
 * Model requests the chat pipeline makes for one question (`lib/chat/pipeline.ts`): query
 * generation and the answer on the chat model (the query model is the chat model), and one
 * embeddings call carrying every query of the request.
 */
export const PIPELINE_CALLS: Readonly<{ chat: number; embedding: number }> = {
  chat: 2,
  embedding: 1,
};

/** Model requests one evaluated row makes, by model role. */
export interface RowCalls {
  chat: number;
  embedding: number;
  /** One per AI judge that applies to the row. */
  evaluation: number;
}

/**
 * Requests one row costs: the pipeline's ({@link PIPELINE_CALLS}) plus one per judge whose
 * {@link Evaluator.appliesTo} accepts the row (a judge without it applies to every row).
 *
 * @example
 * ```ts
 * import { rowCalls } from "./allowance.ts";
 * const row = { id: "r", index: 0, customerId: "1", question: "Q?", chatHistory: [], fingerprint: "f" };
 * const judge = { name: "j", kind: "judge" as const, description: "", range: [1, 5] as const,
 *   evaluate: () => Promise.resolve({ value: 3 }) };
 * console.assert(rowCalls(row, [judge, judge]).evaluation === 2);
 * ```
 */
export function rowCalls(row: EvalCase, evaluators: readonly Evaluator[]): RowCalls {
  const judges = evaluators.filter((e) => e.kind === "judge" && (e.appliesTo?.(row) ?? true));
  return { ...PIPELINE_CALLS, evaluation: judges.length };
}

/**
 * `n` rows spread evenly over the set, in set order: the middle row of each of `n` equal slices,
 * so every part of the file (and every intent when the file is grouped by intent) is represented
 * and the choice is the same on every run.
 *
 * @example
 * ```ts
 * import { spreadRows } from "./allowance.ts";
 * console.assert(spreadRows([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 3).join() === "1,5,8");
 * ```
 */
export function spreadRows<T>(rows: readonly T[], n: number): T[] {
  const total = rows.length;
  if (n >= total) return [...rows];
  if (n <= 0) return [];
  return Array.from({ length: n }, (_, k) => rows[Math.floor(((k + 0.5) * total) / n)]);
}

/** One rate-limit tracker's part of a plan. */
export interface AllowanceBudget {
  /** The model roles served by this tracker, e.g. `["chat", "evaluation"]`. */
  roles: (keyof RowCalls)[];
  /** The model names, when known, in the order of `roles` (duplicates removed). */
  models: string[];
  allowance: RateAllowance;
  /** Requests still allowed (0 when exhausted; undefined when nobody says). */
  remaining?: number;
  /** Requests the whole set would take (over every run). */
  neededAll: number;
  /** Requests the chosen rows take (over every run). */
  needed: number;
}

/** What {@link planAllowance} decided. */
export interface AllowancePlan {
  /** The rows to evaluate, in set order. */
  rows: EvalCase[];
  /** Rows in the set. */
  total: number;
  /** One entry per distinct tracker; empty without rate limits. */
  budgets: AllowanceBudget[];
  /** Whether the chosen rows are fewer than the set because of the allowance or `maxRows`. */
  limited: boolean;
  /** The whole set was asked for (`--all`) although it does not fit. */
  overBudget: boolean;
  /** One sentence: how many rows, and why. */
  reason: string;
}

/** Options of {@link planAllowance}. */
export interface PlanAllowanceOptions {
  /**
   * The runtime's trackers (`runtime.rateLimits`); absent = no limit. A `--target` run leaves
   * out `chat` and `embedding`: the endpoint spends those, only the judges run here.
   */
  rateLimits?: Partial<ModelRateLimits>;
  /** The run's evaluators (the judges among them cost requests). */
  evaluators: readonly Evaluator[];
  /** Model names by role, for the report. */
  modelNames?: Partial<Record<keyof RowCalls, string>>;
  /** Take the whole set even when it does not fit (`--all`). */
  all?: boolean;
  /** At most this many rows (`--rows N`), spread the same way. */
  maxRows?: number;
  /**
   * Runs the chosen rows will go through (default 1): notebook 4 evaluates the same rows with
   * two prompts, so each row costs twice.
   */
  runs?: number;
}

/** Requests still allowed by an allowance (0 when exhausted). */
function remainingOf(allowance: RateAllowance): number | undefined {
  return allowance.exhausted ? 0 : allowance.remainingRequests;
}

interface Group {
  tracker: RateLimitTracker;
  roles: (keyof RowCalls)[];
}

function groupsOf(limits: Partial<ModelRateLimits>): Group[] {
  const groups: Group[] = [];
  const entries: [keyof RowCalls, RateLimitTracker | undefined][] = [
    ["chat", limits.chat],
    ["embedding", limits.embedding],
    ["evaluation", limits.evaluation],
  ];
  for (const [role, tracker] of entries) {
    if (!tracker) continue;
    const group = groups.find((g) => g.tracker === tracker);
    if (group) group.roles.push(role);
    else groups.push({ tracker, roles: [role] });
  }
  return groups;
}

function cost(
  rows: readonly EvalCase[],
  calls: Map<EvalCase, RowCalls>,
  group: Group,
  runs = 1,
): number {
  let sum = 0;
  for (const row of rows) {
    const c = calls.get(row)!;
    for (const role of group.roles) sum += c[role];
  }
  return sum * runs;
}

/**
 * Choose the rows a run evaluates. Without rate limits every row (or `maxRows` of them, spread);
 * with them, the largest spread subset whose requests fit every tracker's remaining allowance,
 * unless `all` takes every row anyway.
 *
 * @example
 * ```ts ignore
 * const plan = planAllowance(rows, { rateLimits: runtime.rateLimits, evaluators });
 * console.log(plan.reason);
 * ```
 */
export function planAllowance(
  rows: readonly EvalCase[],
  options: PlanAllowanceOptions,
): AllowancePlan {
  const total = rows.length;
  const calls = new Map(rows.map((r) => [r, rowCalls(r, options.evaluators)]));
  const groups = options.rateLimits ? groupsOf(options.rateLimits) : [];
  const allowances = groups.map((g) => g.tracker.current());
  const cap = Math.min(total, options.maxRows ?? total);
  const runs = Math.max(1, options.runs ?? 1);
  const fits = (chosen: readonly EvalCase[]) =>
    groups.every((g, i) => {
      const remaining = remainingOf(allowances[i]);
      return remaining === undefined || cost(chosen, calls, g, runs) <= remaining;
    });
  let chosen = spreadRows(rows, cap);
  if (!options.all) {
    for (let n = cap; n >= 0; n--) {
      chosen = spreadRows(rows, n);
      if (fits(chosen)) break;
    }
  }
  const budgets = groups.map((g, i): AllowanceBudget => ({
    roles: g.roles,
    models: [
      ...new Set(g.roles.map((r) => options.modelNames?.[r]).filter((m): m is string => !!m)),
    ],
    allowance: allowances[i],
    remaining: remainingOf(allowances[i]),
    neededAll: cost(rows, calls, g, runs),
    needed: cost(chosen, calls, g, runs),
  }));
  const overBudget = !fits(chosen);
  return {
    rows: chosen,
    total,
    budgets,
    limited: chosen.length < total,
    overBudget,
    reason: planReason(chosen.length, total, budgets, { ...options, overBudget }),
  };
}

function roleLabel(budget: AllowanceBudget): string {
  const roles = budget.roles.map((r) => r === "evaluation" ? "judge" : r).join(" + ");
  return budget.models.length > 0 ? `${roles} (${budget.models.join(", ")})` : roles;
}

function planReason(
  n: number,
  total: number,
  budgets: readonly AllowanceBudget[],
  options: PlanAllowanceOptions & { overBudget: boolean },
): string {
  const tight = budgets.filter((b) => b.remaining !== undefined && b.neededAll > b.remaining);
  const need = (b: AllowanceBudget) =>
    `${roleLabel(b)} needs ${b.neededAll} requests for all ${total} rows, ${b.remaining} left`;
  if (options.all) {
    return options.overBudget
      ? `All ${total} rows (--all), more than the allowance covers: ${
        tight.map(need).join("; ")
      }; the run stops when it runs out and resumes later with --resume`
      : `All ${total} rows (--all)`;
  }
  if (budgets.length > 0 && n === 0) {
    return `No row fits the allowance: ${tight.map(need).join("; ")}`;
  }
  if (tight.length > 0 && n < Math.min(total, options.maxRows ?? total)) {
    return `${n} of ${total} rows, spread over the set, fit the allowance (${
      tight.map(need).join("; ")
    }); pass --all to run every row`;
  }
  if (n < total) return `${n} of ${total} rows, spread over the set (--rows ${n})`;
  return budgets.length > 0 ? `All ${total} rows fit the allowance` : `All ${total} rows`;
}

/** "in 3 h 5 min" / "in 42 s" from now to `at`. */
function untilText(at: Date, now: number): string {
  const s = Math.max(0, Math.round((at.getTime() - now) / 1000));
  if (s < 90) return `in ${s} s`;
  const min = Math.round(s / 60);
  if (min < 90) return `in ${min} min`;
  return `in ${Math.floor(min / 60)} h ${min % 60} min`;
}

/** When an allowance comes back, as text: `2026-12-02T00:00:00.000Z (in 10 h 35 min)`. */
export function resetText(resetAt: Date | undefined, now = Date.now()): string {
  return resetAt
    ? `${resetAt.toISOString()} (${untilText(resetAt, now)})`
    : "not said by the service";
}

/**
 * One line per tracker: what it still allows and where the figure comes from.
 *
 * @example
 * ```ts ignore
 * for (const line of allowanceLines(plan)) console.log(line);
 * // chat + judge (openai/gpt-4.1-mini): 150 of 150 requests left (documented tier limit, before any call) · this run needs 144
 * ```
 */
export function allowanceLines(plan: AllowancePlan, now = Date.now()): string[] {
  return plan.budgets.map((b) => {
    const a = b.allowance;
    const left = a.exhausted
      ? `exhausted, back ${resetText(a.resetAt, now)}`
      : b.remaining === undefined
      ? "allowance not reported"
      : `${b.remaining}${
        a.limitRequests !== undefined ? ` of ${a.limitRequests}` : ""
      } requests left`;
    const source = a.source === "documented"
      ? "documented tier limit, before any call"
      : `reported by the service${
        a.resetAt && !a.exhausted ? `, window resets ${resetText(a.resetAt, now)}` : ""
      }`;
    return `${roleLabel(b)}: ${left} (${source}) · this run needs ${b.needed}`;
  });
}

/** Table rows of the plan's budgets, for the notebook. */
export function allowanceRows(
  plan: AllowancePlan,
  now = Date.now(),
): Record<string, string | number>[] {
  return plan.budgets.map((b) => ({
    models: roleLabel(b),
    "requests left": b.allowance.exhausted ? 0 : b.remaining ?? "not reported",
    limit: b.allowance.limitRequests ?? "",
    source: b.allowance.source === "documented" ? "documented tier limit" : "service headers",
    resets: b.allowance.resetAt ? resetText(b.allowance.resetAt, now) : "",
    "all rows need": b.neededAll,
    "this run needs": b.needed,
  }));
}

/** The {@link AllowanceExhaustedError} in an error's `cause` chain, if there is one. */
export function allowanceExhaustedIn(error: unknown): AllowanceExhaustedError | undefined {
  const seen = new Set<unknown>();
  for (let e = error; e instanceof Error && !seen.has(e); e = e.cause) {
    if (e instanceof AllowanceExhaustedError) return e;
    seen.add(e);
  }
  return undefined;
}
