/**
 * `deno task eval`: run an evaluation set through the chat pipeline, score it with the AI
 * judges (when a real model is configured) and the text metrics, write a run directory and
 * print the per-row table and the means. With `--min metric=value` it is a CI quality gate:
 * exit 1 when a mean misses its threshold, 0 otherwise, 2 for bad arguments.
 *
 * @module
 */
import { parseArgs } from "node:util";
import {
  ConfigError,
  DEFAULT_CHAT_PROMPT,
  loadConfig,
  readEnvironment,
} from "../lib/config/mod.ts";
import { errorMessage } from "../lib/errors.ts";
import { createRuntime, resolveProjectPath } from "../lib/runtime/mod.ts";
import {
  checkThresholds,
  DEFAULT_CONCURRENCY,
  DEFAULT_RUNS_DIR,
  evaluateToRunDir,
  formatValue,
  groupSkipped,
  loadDataset,
  loadJudges,
  parseThreshold,
  progressDisplay,
  readManifest,
  resultRows,
  summaryRows,
  textEvaluators,
  textTable,
  type Threshold,
} from "../lib/evaluate/mod.ts";

const USAGE =
  `Usage: deno task eval [--data FILE] [--prompt FILE] [--concurrency N] [--judge-model NAME]
                      [--min metric=value ...] [--resume DIR] [--name NAME] [--runs-dir DIR]

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
  --resume DIR         continue an interrupted run in DIR (rows already done are skipped)
  --name NAME          run name in the directory name (default: data set and prompt names)
  --runs-dir DIR       where run directories go (default ${DEFAULT_RUNS_DIR})

Exit status: 0 done and every --min met; 1 a --min missed or no row could be answered;
2 bad arguments; 130 interrupted (resume with --resume DIR).`;

class UsageError extends Error {}

function parse(args: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        data: { type: "string" },
        prompt: { type: "string" },
        concurrency: { type: "string" },
        "judge-model": { type: "string" },
        min: { type: "string", multiple: true, default: [] },
        resume: { type: "string" },
        name: { type: "string" },
        "runs-dir": { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    }).values;
  } catch (error) {
    throw new UsageError(errorMessage(error));
  }
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
  try {
    thresholds = parsed.min.map(parseThreshold);
  } catch (error) {
    throw new UsageError(errorMessage(error));
  }
  return { ...parsed, concurrency, thresholds };
}

async function main(args: string[]): Promise<number> {
  const options = parse(args);
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  let dataset = options.data;
  let prompt = options.prompt;
  let concurrency = options.concurrency;
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
  }
  dataset ??= "data/eval/test.jsonl";
  const rows = await loadDataset(options.data ? dataset : resolveProjectPath(dataset)).catch(
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
    const evaluators = [...judges.evaluators, ...textEvaluators()];
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
    console.log(
      `Evaluating ${dataset} (${rows.length} rows) · chat prompt ${
        prompt ?? DEFAULT_CHAT_PROMPT
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
        pipeline: runtime.pipeline,
        evaluators,
        skipped: judges.skipped,
        name: options.name,
        runsDir: options["runs-dir"],
        resumeDir: options.resume,
        prompt,
        judgeModel: judgeName,
        concurrency,
        onProgress: progress.onProgress,
        signal: controller.signal,
      });
    } finally {
      await progress.finish();
      Deno.removeSignalListener("SIGINT", onSignal);
    }

    const { summary, results, dir } = run;
    console.log(`\n${textTable(resultRows(results, summary.metrics, { questionWidth: 40 }))}\n`);
    console.log(
      `Means (${summary.rows.ok} answered, ${summary.rows.failed} failed, ${summary.retries} retries):`,
    );
    console.log(textTable(summaryRows(summary)));
    for (const g of groupSkipped(summary.skipped)) {
      console.log(`Skipped ${g.names.join(", ")}: ${g.reason}`);
    }
    if (summary.rows.failed > 0) {
      const errors = new Map<string, number>();
      for (const r of results) {
        if (r.error) errors.set(r.error.message, (errors.get(r.error.message) ?? 0) + 1);
      }
      console.log(`\n${summary.rows.failed} rows failed:`);
      for (const [message, n] of errors) console.log(`  ${n} × ${message}`);
    }
    console.log(`\nRun directory: ${dir}  (report.md, chart.svg, summary.json, results.jsonl)`);
    if (run.interrupted) {
      console.log(`Interrupted: resume with  deno task eval --resume ${dir}`);
      return 130;
    }
    if (summary.rows.ok === 0) {
      console.log("No row was answered, so nothing was evaluated.");
      return 1;
    }
    const checks = checkThresholds(summary, options.thresholds);
    for (const c of checks) {
      console.log(
        `${c.passed ? "PASS" : "FAIL"}  ${c.metric} >= ${c.min}: mean ${formatValue(c.mean)}${
          c.reason ? ` (${c.reason})` : ""
        }`,
      );
    }
    return checks.every((c) => c.passed) ? 0 : 1;
  } finally {
    await runtime.close();
  }
}

try {
  Deno.exit(await main(Deno.args));
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`Error: ${error.message}\n\n${USAGE}`);
    Deno.exit(2);
  }
  if (error instanceof ConfigError || error instanceof TypeError || error instanceof SyntaxError) {
    console.error(`Error: ${error.message}`);
    Deno.exit(2);
  }
  throw error;
}
