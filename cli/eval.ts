/**
 * `deno task eval`: run an evaluation set through the chat pipeline, score it with the AI
 * judges (when a real model is configured) and the text metrics, write a run directory and
 * print the per-row table and the means. With `--target URL` the rows go to a running
 * endpoint instead of the in-process pipeline. It is a CI quality gate: exit 1 when a row
 * failed (beyond `--max-failed`), a gated metric has too few scores (`--min-scored`) or a
 * mean misses its `--min metric=value`; 0 otherwise, 2 for bad arguments. With
 * `--log-to-project` the finished run is also recorded in the Azure AI Foundry project
 * (`lib/evaluate/project_log.ts`); exit 3 when that fails after a passed gate.
 *
 * On a rate-limited provider (GitHub Models' free tier) it shows what each model's allowance
 * still allows and, unless `--all`, evaluates the largest subset of the set that fits it, spread
 * over the set (`lib/evaluate/allowance.ts`). When the allowance runs out mid-run it stops,
 * keeps every row done, prints when the allowance comes back and the command that resumes the
 * run, and exits 75 (`EX_TEMPFAIL`: try again later).
 *
 * @module
 */
import { DEFAULT_CHAT_PROMPT, loadConfig, readEnvironment } from "../lib/config/mod.ts";
import { parseCommandLine } from "../lib/cli/args.ts";
import { EXIT, runCommand, UsageError } from "../lib/cli/exit.ts";
import { errorMessage } from "../lib/errors.ts";
import { createRuntime, loadCredential, resolveProjectPath } from "../lib/runtime/mod.ts";
import {
  allowanceExhaustedIn,
  allowanceLines,
  type AllowancePlan,
  checkGate,
  codeEvaluators,
  createEndpointTarget,
  DEFAULT_CONCURRENCY,
  DEFAULT_RUNS_DIR,
  evaluateToRunDir,
  formatGate,
  groupSkipped,
  loadDataset,
  loadJudges,
  loadSafetyOptions,
  logRunToProject,
  type MaxFailed,
  parseMaxFailed,
  parseMinScored,
  parseThreshold,
  planAllowance,
  progressDisplay,
  projectFromEnvironment,
  projectLogLines,
  readManifest,
  readResults,
  renderGateSummary,
  renderReport,
  resetText,
  resultRows,
  runFingerprint,
  safetyEvaluatorsFor,
  scorecardLines,
  summaryRows,
  targetBaseUrl,
  textEvaluators,
  textTable,
  type Threshold,
} from "../lib/evaluate/mod.ts";
import { portalLinksFromValues } from "../lib/azure/foundry/project.ts";

const USAGE =
  `Usage: deno task eval [--data FILE] [--prompt FILE] [--concurrency N] [--judge-model NAME]
                      [--min metric=value ...] [--max-failed N|P%] [--min-scored N]
                      [--target URL [--api-key KEY]] [--resume DIR [--force]] [--name NAME]
                      [--runs-dir DIR] [--all | --rows N] [--log-to-project] [--markdown FILE]

  --data FILE          evaluation set, JSONL rows {customerId, question, chat_history, intent, truth}
                       (default data/eval/test.jsonl)
  --prompt FILE        chat prompt to evaluate (default: CONTOSO_CHAT_PROMPT or
                       prompts/chat.prompty); any Prompty file, given customer,
                       documentation, question and chat_history
  --concurrency N      rows evaluated at once (default ${DEFAULT_CONCURRENCY})
  --judge-model NAME   deployment or model that runs the AI judges (default: the configured
                       evaluation model; without a real model the judges are skipped)
  --min metric=value   fail (exit 1) when the metric's mean is below value; repeatable,
                       e.g. --min groundedness=3.5 --min f1=0.3
  --max-failed N|P%    fail (exit 1) when more rows than this failed (default 0): a failed
                       row is a missing score for every metric
  --min-scored N       a --min metric with fewer scores fails (default: every answered row)
  --target URL         evaluate a running endpoint (deno task start, the Container App)
                       through POST URL/api/create_response instead of the in-process
                       pipeline; judges see the customers' orders from the local data
  --api-key KEY        the endpoint's API key (default CONTOSO_API_KEY), sent as x-api-key
  --resume DIR         continue an interrupted run in DIR (rows already done are skipped);
                       refused when data, prompts, models, target or evaluators differ
  --force              with --resume: continue even so (recorded in run.json)
  --name NAME          run name in the directory name (default: data set and prompt names)
  --runs-dir DIR       where run directories go (default ${DEFAULT_RUNS_DIR})
  --all                every row, even when a rate-limited provider's allowance (GitHub
                       Models) does not cover them: the run stops resumably when it runs out
  --rows N             at most N rows, spread evenly over the set (by default, on GitHub
                       Models, as many as the remaining allowance covers; elsewhere all)
  --markdown FILE      append the gate's verdict and the run's report in Markdown to FILE
                       when the run finishes (in GitHub Actions: "$GITHUB_STEP_SUMMARY")
  --log-to-project     record the finished run in the Azure AI Foundry project
                       (AZURE_AI_PROJECT_ENDPOINT, signed in with DefaultAzureCredential;
                       you need the Azure AI User role there): it appears on the project's
                       Evaluation page. The project's Evals API cannot take scores computed
                       elsewhere, so each row goes up with our scores and per-row verdicts
                       (--min thresholds, judges >= 3) and the project's checks only compare
                       those verdicts: nothing is re-scored there and no model is called

Exit status: 0 done and the gate passed; 1 the gate failed (failed rows, too few scores, a
--min missed, no row answered);
2 bad arguments (or --log-to-project without AZURE_AI_PROJECT_ENDPOINT); 3 the gate passed
but the Foundry project did not record the run (record it with --resume DIR --log-to-project);
75 the model allowance ran out (resume with --resume DIR once it is back, the time is printed);
130 interrupted (resume with --resume DIR).`;

/** Exit status when the model allowance is used up (sysexits' EX_TEMPFAIL: try again later). */
const EXIT_ALLOWANCE = 75;

function parse(args: string[]) {
  const parsed = parseCommandLine(args, {
    data: { type: "string" },
    prompt: { type: "string" },
    concurrency: { type: "string" },
    "judge-model": { type: "string" },
    min: { type: "string", multiple: true, default: [] },
    "max-failed": { type: "string" },
    "min-scored": { type: "string" },
    target: { type: "string" },
    "api-key": { type: "string" },
    resume: { type: "string" },
    force: { type: "boolean", default: false },
    name: { type: "string" },
    "runs-dir": { type: "string" },
    all: { type: "boolean", default: false },
    rows: { type: "string" },
    "log-to-project": { type: "boolean", default: false },
    markdown: { type: "string" },
  }).values;
  let concurrency: number | undefined;
  if (parsed.concurrency !== undefined) {
    concurrency = Number(parsed.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) {
      throw new UsageError(
        `--concurrency must be a whole number from 1 to 256, got "${parsed.concurrency}"`,
      );
    }
  }
  let thresholds: Threshold[];
  let maxFailed: MaxFailed | undefined;
  let minScored: number | undefined;
  let target: string | undefined;
  try {
    thresholds = parsed.min.map(parseThreshold);
    if (parsed["max-failed"] !== undefined) maxFailed = parseMaxFailed(parsed["max-failed"]);
    if (parsed["min-scored"] !== undefined) minScored = parseMinScored(parsed["min-scored"]);
    if (parsed.target !== undefined) target = targetBaseUrl(parsed.target);
  } catch (error) {
    throw new UsageError(errorMessage(error));
  }
  if (parsed["api-key"] !== undefined && target === undefined) {
    throw new UsageError("--api-key is for --target URL");
  }
  if (parsed.force && !parsed.resume) throw new UsageError("--force is for --resume DIR");
  let maxRows: number | undefined;
  if (parsed.rows !== undefined) {
    maxRows = Number(parsed.rows);
    if (!Number.isInteger(maxRows) || maxRows < 1) {
      throw new UsageError(`--rows must be a whole number of at least 1, got "${parsed.rows}"`);
    }
    if (parsed.all) throw new UsageError("--rows N and --all exclude each other");
  }
  if (parsed.resume && (parsed.all || maxRows !== undefined)) {
    throw new UsageError("--resume keeps the run's rows; drop --all and --rows");
  }
  return { ...parsed, concurrency, thresholds, maxFailed, minScored, target, maxRows };
}

async function main(args: string[]): Promise<number> {
  const options = parse(args);
  if (options.help) {
    console.log(USAGE);
    return EXIT.ok;
  }
  let dataset = options.data;
  let prompt = options.prompt;
  let concurrency = options.concurrency;
  let subsetIds: string[] | undefined;
  if (options.resume) {
    const manifest = await readManifest(options.resume).catch((e) => {
      throw new UsageError(errorMessage(e));
    });
    if (dataset && dataset !== manifest.dataset) {
      throw new UsageError(`--resume keeps the run's data set "${manifest.dataset}"; drop --data`);
    }
    if (prompt && prompt !== manifest.prompt) {
      throw new UsageError(
        `--resume keeps the run's prompt "${manifest.prompt ?? "default"}"; drop --prompt`,
      );
    }
    dataset = manifest.dataset;
    prompt = manifest.prompt;
    concurrency ??= manifest.concurrency;
    subsetIds = manifest.subset?.ids;
  }
  dataset ??= "data/eval/test.jsonl";
  const allRows = await loadDataset(options.data ? dataset : resolveProjectPath(dataset)).catch(
    (e) => {
      throw new UsageError(errorMessage(e));
    },
  );

  const env = readEnvironment();
  const judgeModel = options["judge-model"];
  if (judgeModel) {
    Object.assign(env, { AZURE_OPENAI_EVAL_DEPLOYMENT: judgeModel, OPENAI_EVAL_MODEL: judgeModel });
  }
  const config = loadConfig(env);
  // Checked before any row runs: a long run must not end in a missing setting.
  const project = options["log-to-project"] ? projectFromEnvironment(env) : undefined;
  // CONTOSO_CHAT_PROMPT is the default a new run records (a resumed run keeps its own prompt).
  if (!options.resume && config.chatPromptPath !== DEFAULT_CHAT_PROMPT) {
    prompt ??= config.chatPromptPath;
  }
  if (judgeModel && !config.evaluation) {
    console.error(`warning: --judge-model ${judgeModel} ignored: no real model is configured`);
  }
  const runtime = await createRuntime(config, {
    chatPromptPath: prompt ?? DEFAULT_CHAT_PROMPT,
    env,
  });
  try {
    const judges = await loadJudges({ model: runtime.evaluationModel });
    // Leak checks on every row; `declined` / `dont_know` when the set has such rows (safety.ts).
    const safety = safetyEvaluatorsFor(
      allRows,
      await loadSafetyOptions(resolveProjectPath(config.dataDir), runtime.prompts.chat.template, {
        store: runtime.customers,
        ids: allRows.map((r) => r.customerId),
      }),
    );
    // Latency, length, citations, tokens and cost; an endpoint's chat model is unknown: no price.
    const code = codeEvaluators({
      model: options.target ? undefined : runtime.chatModel,
      prices: config.modelPrices,
    });
    const evaluators = [...judges.evaluators, ...textEvaluators(), ...code, ...safety];
    const known = [...evaluators.map((e) => e.name), ...judges.skipped.map((s) => s.name)];
    const unknown = options.thresholds.filter((t) => !known.includes(t.metric));
    if (unknown.length > 0) {
      throw new UsageError(
        `--min names unknown metric ${unknown.map((t) => `"${t.metric}"`).join(", ")} (known: ${
          known.join(", ")
        })`,
      );
    }
    const judgeName = runtime.evaluationModel?.name;
    const target = options.target;
    // A resumed run keeps its rows; a new one fits the set into the model allowance, if any.
    const limits = runtime.rateLimits;
    const allowanceOptions = {
      // An endpoint spends its own chat and embedding allowance; only the judges run here.
      rateLimits: limits && (target ? { evaluation: limits.evaluation } : limits),
      evaluators,
      modelNames: {
        chat: runtime.chatModel.name,
        embedding: runtime.embeddingModel.name,
        evaluation: judgeName,
      },
    };
    const showAllowance = (shown: AllowancePlan) => {
      if (shown.budgets.length === 0) return;
      console.log(`Model allowance (${runtime.chatModel.backend}):`);
      for (const line of allowanceLines(shown)) console.log(`  ${line}`);
    };
    let plan: AllowancePlan | undefined;
    let rows = allRows;
    if (options.resume) {
      if (subsetIds) {
        const ids = new Set(subsetIds);
        rows = allRows.filter((r) => ids.has(r.id));
      }
      // What this session still has to do, against what the allowance allows.
      const done = new Set(
        (await readResults(options.resume)).filter((r) => r.status === "ok").map((r) => r.id),
      );
      const left = planAllowance(rows.filter((r) => !done.has(r.id)), {
        ...allowanceOptions,
        all: true,
      });
      showAllowance(left);
      if (left.overBudget) {
        console.log(
          `The ${left.rows.length} rows left need more than the allowance: the run stops again when it runs out.`,
        );
      }
    } else {
      plan = planAllowance(allRows, {
        ...allowanceOptions,
        all: options.all,
        maxRows: options.maxRows,
      });
      rows = plan.rows;
      showAllowance(plan);
      if (plan.limited || plan.overBudget) console.log(plan.reason);
      if (rows.length === 0 && allRows.length > 0 && plan.budgets.length > 0) {
        const resetAt = plan.budgets.map((b) => b.allowance.resetAt).filter((d) => d)[0];
        console.error(
          `Nothing evaluated: the model allowance is used up. It comes back ${
            resetText(resetAt)
          }; run the same command again then, or pass --all to start now and stop when it runs out.`,
        );
        return EXIT_ALLOWANCE;
      }
    }
    // The endpoint runs its own prompts and models: the fingerprint records its URL instead.
    const served = { name: "served by the endpoint", backend: "endpoint" };
    const fingerprint = runFingerprint({
      rows,
      prompts: target ? undefined : runtime.prompts,
      models: {
        chat: target ? served : runtime.chatModel,
        embedding: target ? served : runtime.embeddingModel,
        judge: runtime.evaluationModel,
      },
      target,
      evaluators,
    });
    const pipeline = target
      ? createEndpointTarget(target, {
        apiKey: options["api-key"] ?? config.server.apiKey,
        maxRetries: config.modelMaxRetries,
      })
      : runtime.pipeline;
    console.log(
      `Evaluating ${dataset} (${rows.length} rows) · ${
        target ? `target ${target}` : `chat prompt ${prompt ?? DEFAULT_CHAT_PROMPT}`
      } · ` +
        `judges ${judgeName ?? "skipped"} · concurrency ${concurrency ?? DEFAULT_CONCURRENCY}`,
    );

    const controller = new AbortController();
    const onSignal = () => {
      if (controller.signal.aborted) Deno.exit(130);
      console.error("\nStopping after the rows in flight… (Ctrl+C again to quit now)");
      controller.abort();
    };
    Deno.addSignalListener("SIGINT", onSignal);
    const progress = progressDisplay(`Evaluating ${rows.length} rows`);
    let run;
    try {
      run = await evaluateToRunDir({
        rows,
        dataset,
        pipeline,
        customers: runtime.customers,
        evaluators,
        skipped: judges.skipped,
        name: options.name,
        runsDir: options["runs-dir"],
        resumeDir: options.resume,
        prompt,
        judgeModel: judgeName,
        concurrency,
        fingerprint,
        force: options.force,
        onProgress: progress.onProgress,
        signal: controller.signal,
        stopOn: (error) => allowanceExhaustedIn(error) !== undefined,
        ...(plan?.limited
          ? {
            subset: { ids: rows.map((r) => r.id), of: allRows.length, reason: plan.reason },
          }
          : {}),
      });
    } finally {
      await progress.finish();
      Deno.removeSignalListener("SIGINT", onSignal);
    }

    const { summary, results, dir } = run;
    console.log(`\n${textTable(resultRows(results, summary.metrics, { questionWidth: 40 }))}\n`);
    console.log(
      `Means (${summary.rows.ok} answered, ${summary.rows.failed} failed, ${summary.retries} retries; fingerprint ${summary.fingerprintId}):`,
    );
    console.log(textTable(summaryRows(summary)));
    for (const g of groupSkipped(summary.skipped)) {
      console.log(`Skipped ${g.names.join(", ")}: ${g.reason}`);
    }
    const scorecard = scorecardLines(results);
    if (scorecard.length > 0) console.log(`\n${scorecard.join("\n")}`);
    if (summary.rows.failed > 0) {
      const errors = new Map<string, number>();
      for (const r of results) {
        if (r.error) errors.set(r.error.message, (errors.get(r.error.message) ?? 0) + 1);
      }
      console.log(`\n${summary.rows.failed} rows failed:`);
      for (const [message, n] of errors) console.log(`  ${n} × ${message}`);
    }
    console.log(`\nRun directory: ${dir}  (report.md, chart.svg, summary.json, results.jsonl)`);
    // An unfinished run is not recorded in the project; resuming it with the flag records it.
    const logFlag = project ? " --log-to-project" : "";
    const exhausted = allowanceExhaustedIn(run.stoppedBy);
    if (exhausted) {
      const left = rows.length - results.filter((r) => r.status === "ok").length;
      console.log(
        `\nStopped: the model allowance ran out (${exhausted.message}). ${results.length} of ${rows.length} rows are done and kept; ${left} left.`,
      );
      console.log(`The allowance comes back ${resetText(exhausted.resetAt)}.`);
      console.log(`Resume then with:  deno task eval --resume ${dir}${logFlag}`);
      return EXIT_ALLOWANCE;
    }
    if (run.interrupted) {
      console.log(`Interrupted: resume with  deno task eval --resume ${dir}${logFlag}`);
      return 130;
    }
    if (summary.rows.ok === 0) {
      console.log("No row was answered, so nothing was evaluated.");
    }
    const gate = checkGate(summary, {
      thresholds: options.thresholds,
      maxFailed: options.maxFailed,
      minScored: options.minScored,
      results,
    });
    console.log("");
    for (const line of formatGate(gate)) console.log(line);
    if (options.markdown) {
      const markdown = renderGateSummary(gate) + "\n" +
        renderReport(summary, results, { chart: false });
      await Deno.writeTextFile(options.markdown, markdown, { append: true });
    }
    const status = gate.passed && summary.rows.ok > 0 ? EXIT.ok : EXIT.failed;
    if (project) {
      console.log("");
      try {
        const record = await logRunToProject({ summary, results }, {
          project,
          credential: (await loadCredential(config, true))!,
          thresholds: options.thresholds,
          runDir: dir,
        });
        for (const line of projectLogLines(record, portalLinksFromValues(env))) console.log(line);
      } catch (error) {
        console.error(
          `Error: the run was not recorded in the Foundry project: ${errorMessage(error)}`,
        );
        console.error(`Record it later with:  deno task eval --resume ${dir} --log-to-project`);
        return status === 0 ? 3 : status;
      }
    }
    return status;
  } finally {
    await runtime.close();
  }
}

Deno.exit(await runCommand(() => main(Deno.args), { usage: USAGE }));
