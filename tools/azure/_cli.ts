/**
 * The shared body of `deno task provision | deploy | teardown`: parse the flags, run the
 * preflight, print the plan, and either stop (`--dry-run`, or a failed preflight) or execute
 * it, asking first before a teardown. Output goes to the terminal as it arrives.
 *
 * @module
 */
import { parseArgs } from "node:util";
import {
  type AzureAction,
  type CommandRunner,
  createCommandRunner,
  deploySmoke,
  executePlan,
  failureHints,
  formatPlan,
  formatPreflight,
  formatSmoke,
  planFor,
  planTeardown,
  runPreflight,
  shellLine,
  withDeletedAccountSteps,
} from "../../lib/mod.ts";
import { EXIT } from "../../lib/cli/exit.ts";

const USAGE: Record<AzureAction, string> = {
  provision: `Usage: deno task provision [--env NAME] [--location REGION] [--subscription ID]
                              [--purge-deleted | --restore-deleted] [--dry-run]

Creates (or updates) every Azure resource of infra/ with azd, writes .env from the outputs and
seeds Cosmos DB and Azure AI Search. Checks azd, sign-in, region and variables first, and with
the Azure CLI: model quota, your roles, and a soft-deleted AI Services account in the way (left
behind when the resource group was deleted by hand).

  --purge-deleted      purge that soft-deleted account first (gone for good)
  --restore-deleted    recover it instead, model deployments included (its resource group is
                       created again first)`,
  deploy: `Usage: deno task deploy [--env NAME] [--dry-run]

Builds the server image remotely from the Dockerfile, rolls it out to Azure Container Apps, then
smoke-tests the hosted endpoint (URL, status, latency).`,
  teardown: `Usage: deno task teardown [--env NAME] [--yes] [--dry-run]

Deletes the resource group of the azd environment (and purges the soft-deleted AI Services
account), then removes the azd block from .env. Asks for confirmation unless --yes.`,
};

const COMMON = `

Options:
  --env NAME           azd environment (default: AZURE_ENV_NAME, else azd's default one)
  --dry-run            print the preflight and the exact plan; change nothing
  -h, --help           show this help

Exit status: 0 done (or a dry run whose preflight passed), 1 preflight or a step failed,
2 bad usage or teardown not confirmed.`;

/** Where a task writes and what it reads; tests replace them. */
export interface TaskIo {
  runner: CommandRunner;
  env: Record<string, string | undefined>;
  cwd?: string;
  out: (text: string) => void;
  err: (text: string) => void;
  /** Whether standard input is an interactive terminal (teardown confirmation). */
  interactive: () => boolean;
  /** Ask a question on the terminal; `null` when there is no answer. */
  ask: (question: string) => string | null;
}

function defaultIo(): TaskIo {
  const encoder = new TextEncoder();
  return {
    runner: createCommandRunner(),
    env: Deno.env.toObject(),
    out: (text) => Deno.stdout.writeSync(encoder.encode(text)),
    err: (text) => Deno.stderr.writeSync(encoder.encode(text)),
    interactive: () => Deno.stdin.isTerminal(),
    ask: (question) => prompt(question),
  };
}

/** Run one task with its command-line arguments; returns the exit code. */
export async function runTask(
  action: AzureAction,
  args: string[],
  io: TaskIo = defaultIo(),
): Promise<number> {
  const line = (text = "") => io.out(text + "\n");
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        env: { type: "string", short: "e" },
        location: { type: "string", short: "l" },
        subscription: { type: "string", short: "s" },
        "dry-run": { type: "boolean", default: false },
        "purge-deleted": { type: "boolean", default: false },
        "restore-deleted": { type: "boolean", default: false },
        yes: { type: "boolean", short: "y", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (error) {
    io.err(`${error instanceof Error ? error.message : error}\n\n${USAGE[action]}${COMMON}\n`);
    return EXIT.usage;
  }
  if (values.help) {
    line(USAGE[action] + COMMON);
    return EXIT.ok;
  }
  if (action !== "provision" && (values.location || values.subscription)) {
    io.err(`--location and --subscription belong to provision\n\n${USAGE[action]}${COMMON}\n`);
    return EXIT.usage;
  }
  const purge = values["purge-deleted"];
  const restore = values["restore-deleted"];
  if (action !== "provision" && (purge || restore)) {
    io.err(
      `--purge-deleted and --restore-deleted belong to provision\n\n${USAGE[action]}${COMMON}\n`,
    );
    return EXIT.usage;
  }
  if (purge && restore) {
    io.err(`Choose one of --purge-deleted and --restore-deleted\n\n${USAGE[action]}${COMMON}\n`);
    return EXIT.usage;
  }
  const deletedAccount = purge ? "purge" as const : restore ? "restore" as const : undefined;
  if (action !== "teardown" && values.yes) {
    io.err(`--yes belongs to teardown\n\n${USAGE[action]}${COMMON}\n`);
    return EXIT.usage;
  }

  const preflight = await runPreflight(action, {
    runner: io.runner,
    env: io.env,
    cwd: io.cwd,
    envName: values.env,
    location: values.location,
    subscriptionId: values.subscription,
    deletedAccount,
  });
  line(formatPreflight(preflight));
  line();
  // The .env block that teardown removes sits in the task's working directory.
  const planned = action === "teardown"
    ? planTeardown(preflight.target, { dotEnvPath: io.cwd ? `${io.cwd}/.env` : ".env" })
    : planFor(action, preflight.target);
  const deleted = preflight.target.deletedAiAccount;
  const plan = deleted && deletedAccount
    ? withDeletedAccountSteps(planned, deleted, deletedAccount, preflight.target.subscriptionId)
    : planned;

  if (values["dry-run"]) {
    line(formatPlan(plan));
    line();
    line(
      preflight.ok
        ? "Dry run: nothing was changed. Run again without --dry-run to do it."
        : "Dry run: nothing was changed. A real run would stop at the preflight: fix the problems above first.",
    );
    return preflight.ok ? EXIT.ok : EXIT.failed;
  }
  if (!preflight.ok) {
    io.err("Stopped before changing anything: fix the problems above and run again.\n");
    return EXIT.failed;
  }

  if (action === "teardown" && !values.yes) {
    const what = `resource group ${plan.resourceGroup} of azd environment "${plan.envName}"`;
    if (!io.interactive()) {
      io.err(
        `Refusing to delete the ${what} without confirmation: standard input is not a terminal. ` +
          "Pass --yes to confirm.\n",
      );
      return EXIT.usage;
    }
    line(formatPlan(plan));
    line();
    const answer = io.ask(
      `This deletes the ${what} and all its data. Type the environment name to confirm:`,
    );
    if (answer?.trim() !== plan.envName) {
      io.err("Not confirmed: nothing was deleted.\n");
      return EXIT.usage;
    }
  }

  // The deployed API requires authentication: the smoke test sends the first accepted key, from
  // the process environment or else the azd environment (`azd env set CONTOSO_API_KEYS ...`).
  let tail = "";
  const result = await executePlan(plan, {
    runner: io.runner,
    cwd: io.cwd,
    ...deploySmoke(plan.envName, {
      runner: io.runner,
      cwd: io.cwd,
      env: io.env,
      values: preflight.target.values,
    }),
    onStep: (step, i, total) => {
      line(`\n==> [${i + 1}/${total}] ${step.title}`);
      if (step.kind === "command") line(`$ ${shellLine(step.command)}`);
    },
    onOutput: (text, stream) => {
      // The tail of the output, for the error codes a failure hint is read from.
      tail = (tail + text).slice(-64_000);
      stream === "stdout" ? io.out(text) : io.err(text);
    },
  });
  const last = result.results.at(-1);
  if (last?.smoke) line("\n" + formatSmoke(last.smoke));
  if (!result.ok) {
    io.err(`\n${action} failed: ${last?.detail ?? "unknown error"}\n`);
    for (const { code, hint } of failureHints(tail)) io.err(`${code}: ${hint}\n`);
    return EXIT.failed;
  }
  line(`\n${action} done.`);
  return EXIT.ok;
}
