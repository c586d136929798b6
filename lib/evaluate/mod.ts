/**
 * The Evaluate stage: evaluation sets, AI-judge and text-metric evaluators, a concurrent
 * runner with retries and progress, run directories (results, summary, report, chart), the
 * `--min` quality gate, and run comparison.
 *
 * @example
 * ```ts ignore
 * import { evaluateToRunDir, loadDataset, loadJudges, textEvaluators } from "./mod.ts";
 * const rows = await loadDataset("data/eval/test.jsonl");
 * const judges = await loadJudges({ model: runtime.evaluationModel });
 * const { dir, summary } = await evaluateToRunDir({
 *   rows, dataset: "data/eval/test.jsonl", pipeline: runtime.pipeline,
 *   evaluators: [...judges.evaluators, ...textEvaluators()], skipped: judges.skipped,
 *   onProgress: progressDisplay("Evaluating").onProgress,
 * });
 * ```
 *
 * @module
 */
export type * from "./types.ts";
export { fingerprint, loadDataset, parseDataset } from "./dataset.ts";
export {
  bleu,
  bleuTokens,
  lcsLength,
  lexicalGroundedness,
  rougeL,
  rougeLTokens,
  tokenF1,
} from "./text_metrics.ts";
export { metricTokens, squadTokens } from "./tokenize.ts";
export type { BleuOptions } from "./text_metrics.ts";
export {
  bleuEvaluator,
  f1Evaluator,
  lexicalGroundednessEvaluator,
  rougeLEvaluator,
  textEvaluators,
} from "./text_evaluators.ts";
export { answerLength, citationMatch, citedIds, referenceIds, tokenCost } from "./code_metrics.ts";
export {
  answerLengthEvaluator,
  citationMatchEvaluator,
  codeEvaluators,
  completionTokensEvaluator,
  costEvaluator,
  hasCitationEvaluator,
  latencyEvaluator,
  promptTokensEvaluator,
} from "./code_evaluators.ts";
export type { CodeEvaluator, CodeEvaluatorOptions } from "./code_evaluators.ts";
export { DONT_KNOW_JUDGE, DONT_KNOW_ONLY_REASON, forRows, scopeJudge } from "./decline.ts";
export { DECLINED_ONLY_REASON, loadSafetyOptions, SYSTEM_SPAN_WORDS } from "./safety.ts";
export {
  customerFor,
  DEFAULT_GENERATE_COUNT,
  DEFAULT_GENERATE_SEED,
  faqRows,
  GENERATE_PROMPT,
  loadManualsFrom,
  modelRows,
  seededSample,
  toJsonl,
} from "./generate.ts";
export type { GenerateData, GeneratedRow, GeneratedSource, ModelRowsOptions } from "./generate.ts";
export { parseScore } from "./parse_score.ts";
export type { MissingKind, ParseScoreOptions } from "./parse_score.ts";
export {
  BUILT_IN_JUDGES,
  createJudge,
  JUDGE_REASON_TOKENS,
  JUDGE_SCORE_TOKENS,
  judgeMaxTokens,
  judgeVariables,
  listJudges,
  loadJudge,
  loadJudges,
  NO_JUDGE_MODEL_REASON,
} from "./judges.ts";
export type { LoadJudgesOptions } from "./judges.ts";
export {
  contextText,
  DEFAULT_CONCURRENCY,
  evalInput,
  ORDERS_LABEL,
  ordersText,
  runEvaluation,
  scoreAnswer,
} from "./runner.ts";
export type {
  EvalInputExtras,
  EvalProgress,
  RunEvaluationOptions,
  RunEvaluationResult,
} from "./runner.ts";
export { checkGate, formatGate, parseMaxFailed, parseMinScored } from "./gate.ts";
export type { GateCheck, GateOptions, GateResult, MaxFailed } from "./gate.ts";
export {
  diffFingerprints,
  fingerprintId,
  hashDataset,
  hashPrompt,
  runFingerprint,
} from "./fingerprint.ts";
export type { FingerprintInput, ModelIdentity, RunFingerprint } from "./fingerprint.ts";
export {
  createRunDir,
  DEFAULT_RUNS_DIR,
  readManifest,
  readResults,
  resultWriter,
  runTimestamp,
  writeManifest,
} from "./run_dir.ts";
export type { RunManifest, RunSubset } from "./run_dir.ts";
export {
  allowanceExhaustedIn,
  allowanceLines,
  allowanceRows,
  PIPELINE_CALLS,
  planAllowance,
  resetText,
  rowCalls,
  spreadRows,
} from "./allowance.ts";
export type {
  AllowanceBudget,
  AllowancePlan,
  PlanAllowanceOptions,
  RowCalls,
} from "./allowance.ts";
export { checkThresholds, parseThreshold, summarize, summarizeMetric } from "./summary.ts";
export type { MetricInfo, SummarizeOptions, Threshold, ThresholdCheck } from "./summary.ts";
export {
  comparisonSentence,
  formatInterval,
  formatValue,
  groupSkipped,
  intentMeans,
  intentRows,
  metricValues,
  resultRows,
  summaryRows,
  textTable,
  truncate,
  weakestIntentSentence,
} from "./present.ts";
export type { Cell, IntentMean } from "./present.ts";
export { markdownTable, renderGateSummary, renderReport } from "./report.ts";
export { meansPanels, metricsChart } from "./chart.ts";
export type { ChartSeries } from "./chart.ts";
export {
  compareChart,
  compareRuns,
  compareWarnings,
  deltaRows,
  fingerprintLabel,
  renderComparison,
} from "./compare.ts";
export type { RunData } from "./compare.ts";
export { readRuns, runRows } from "./run_list.ts";
export type { ListedRun, RunListing } from "./run_list.ts";
export { diffRuns, renderRowDiffs } from "./run_diff.ts";
export {
  createSafetyEvaluators,
  isAdversarialRow,
  LEAK_METRICS,
  safetyEvaluatorsFor,
  systemPromptText,
} from "./safety.ts";
export type { LeakMetric, SafetyOptions } from "./safety.ts";
export {
  countVerdicts,
  formatVerdict,
  safetyVerdicts,
  verdictRows,
  verdictSentence,
} from "./safety_verdict.ts";
export type { SafetyVerdict, VerdictCounts, VerdictInput } from "./safety_verdict.ts";
export { dontKnowScorecard, safetyScorecard, scorecardLines } from "./scorecard.ts";
export type { DontKnowScorecard, LeakedRow, SafetyScorecard, Tally } from "./scorecard.ts";
export { declines, detectDecline, dontKnowEvaluator, isDontKnowRow } from "./decline.ts";
export type { Decline, DeclineKind } from "./decline.ts";
export type { RowDiff } from "./run_diff.ts";
export {
  bootstrapMean,
  DEFAULT_RESAMPLES,
  directionOf,
  LOWER_IS_BETTER,
  mulberry32,
  pairedBootstrap,
  seedFrom,
  verdictOf,
} from "./stats.ts";
export type { BootstrapOptions, Direction, Interval, PairedComparison, Verdict } from "./stats.ts";
export { meansChart, progressDisplay } from "./display.ts";
export type { ProgressDisplay } from "./display.ts";
export type { MetricDelta } from "./compare.ts";
export {
  defaultRunName,
  evaluateToRunDir,
  FingerprintMismatchError,
  readSummary,
  writeRunFiles,
} from "./run.ts";
export type { EvaluateToRunDirOptions, EvaluateToRunDirResult } from "./run.ts";
export {
  JUDGE_PASS_MARK,
  logRunToProject,
  projectCriteria,
  projectFromEnvironment,
  projectLogLines,
} from "./project_log.ts";
export type { ProjectCriterion, ProjectLogOptions, ProjectRunRecord } from "./project_log.ts";
export { createEndpointTarget, targetBaseUrl } from "./endpoint_target.ts";
export type { EndpointTargetOptions } from "./endpoint_target.ts";
