/**
 * Preflight of the provision, deploy and teardown tasks: is azd installed and signed in, which
 * azd environment, region and subscription, and are the variables each step needs set? Once
 * those pass, the Azure CLI checks of ./azure_cli.ts follow (soft-deleted AI account, model
 * quota and roles before a provision; image build and registry role before a deploy). Every
 * failed check says how to fix it; a warning is a failed check the task can go past. Only
 * reads: it never changes anything.
 *
 * @module
 */
import { AZURE_VARIABLES } from "../../config/variables.ts";
import { parseAzdValues } from "../azd_env.ts";
import { DEPLOYMENT_OUTPUTS } from "../infra.ts";
import { ALLOWED_REGIONS, DEFAULT_REGION, isAllowedRegion, normalizeRegion } from "../regions.ts";
import { type CommandRunner, NOT_FOUND } from "../runner.ts";
import { firstLine } from "./_output.ts";
import { azureCliChecks } from "./azure_cli.ts";
import type { DeletedAccount, DeletedAccountAction } from "./deleted.ts";

/** What a task does to Azure. */
export type AzureAction = "provision" | "deploy" | "teardown";

/** One preflight check. */
export interface PreflightCheck {
  name: string;
  ok: boolean;
  /** Not run because an earlier check failed. */
  skipped?: boolean;
  /**
   * Failed, but not fatal: the task can go on (the check could only guess, e.g. roles granted
   * through a custom role, or `az` is missing). `PreflightResult.ok` ignores warnings.
   */
  warn?: boolean;
  detail: string;
  /** What to do when it failed. */
  fix?: string;
}

/** What the preflight learned about the target. */
export interface AzureTarget {
  envName?: string;
  /** The azd environment already exists (created by an earlier provision). */
  envExists: boolean;
  location?: string;
  subscriptionId?: string;
  /** `azd env get-values` of the environment (empty when it does not exist). */
  values: Record<string, string>;
  /** A soft-deleted AI Services account in the way of the next provision. */
  deletedAiAccount?: DeletedAccount;
}

/** The preflight's verdict. */
export interface PreflightResult {
  action: AzureAction;
  ok: boolean;
  checks: PreflightCheck[];
  target: AzureTarget;
}

/** Options of {@linkcode runPreflight}. */
export interface PreflightOptions {
  runner: CommandRunner;
  /** The process environment (AZURE_ENV_NAME, AZURE_LOCATION, AZURE_SUBSCRIPTION_ID). */
  env?: Record<string, string | undefined>;
  /** From the command line; win over the azd environment and the process environment. */
  envName?: string;
  location?: string;
  subscriptionId?: string;
  cwd?: string;
  /**
   * What the task will do with a soft-deleted AI Services account in the way (`deno task
   * provision --purge-deleted | --restore-deleted`); without it such an account fails the check.
   */
  deletedAccount?: DeletedAccountAction;
  /** Leave out the checks through the Azure CLI (quota, permissions, deleted accounts, build). */
  skipAzureCli?: boolean;
}

const INSTALL_AZD =
  "Install the Azure Developer CLI: `curl -fsSL https://aka.ms/install-azd.sh | bash` (Linux, macOS), `winget install microsoft.azd` (Windows), or open the repository in its dev container / Codespace, which has it.";
const ENV_NAME = /^[A-Za-z0-9][A-Za-z0-9-]{0,47}$/;

interface AzdEnvEntry {
  Name?: string;
  IsDefault?: boolean;
}

async function listEnvironments(runner: CommandRunner, cwd?: string): Promise<AzdEnvEntry[]> {
  const out = await runner.run("azd", ["env", "list", "--output", "json"], { cwd });
  if (out.code !== 0) return [];
  try {
    const parsed = JSON.parse(out.stdout);
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}

/**
 * Run the preflight of one action. Checks after a failed tool check are marked skipped.
 *
 * @example
 * ```ts
 * import { createFakeRunner } from "../runner.ts";
 * import { runPreflight } from "./preflight.ts";
 * const result = await runPreflight("provision", { runner: createFakeRunner() });
 * console.assert(!result.ok && result.checks[0].fix?.includes("aka.ms/install-azd"));
 * ```
 */
export async function runPreflight(
  action: AzureAction,
  options: PreflightOptions,
): Promise<PreflightResult> {
  const { runner, cwd } = options;
  const env = options.env ?? {};
  const checks: PreflightCheck[] = [];
  const target: AzureTarget = { envExists: false, values: {} };

  const version = await runner.run("azd", ["version"], { cwd });
  const installed = version.code === 0;
  checks.push(
    installed
      ? { name: "azd installed", ok: true, detail: firstLine(version.stdout) || "azd found" }
      : {
        name: "azd installed",
        ok: false,
        detail: version.code === NOT_FOUND
          ? "azd is not on the PATH"
          : firstLine(version.stderr) || `azd version exited ${version.code}`,
        fix: INSTALL_AZD,
      },
  );

  let loggedIn = false;
  if (installed) {
    const status = await runner.run("azd", ["auth", "login", "--check-status"], { cwd });
    loggedIn = status.code === 0 && !/not logged in/i.test(status.stdout + status.stderr);
    checks.push({
      name: "signed in to Azure",
      ok: loggedIn,
      detail: firstLine(loggedIn ? status.stdout : status.stdout || status.stderr) ||
        (loggedIn ? "signed in" : "not signed in"),
      fix: loggedIn
        ? undefined
        : "Run `azd auth login` (in a Codespace or over SSH: `azd auth login --use-device-code`).",
    });
  } else {
    checks.push({
      name: "signed in to Azure",
      ok: false,
      skipped: true,
      detail: "skipped: azd is not installed",
    });
  }

  // The azd environment: explicit flag, then AZURE_ENV_NAME, then azd's default environment.
  const environments = installed ? await listEnvironments(runner, cwd) : [];
  target.envName = options.envName ?? env.AZURE_ENV_NAME ??
    environments.find((e) => e.IsDefault)?.Name;
  target.envExists = target.envName !== undefined &&
    environments.some((e) => e.Name === target.envName);
  if (target.envExists) {
    const got = await runner.run("azd", ["env", "get-values", "--environment", target.envName!], {
      cwd,
    });
    if (got.code === 0) target.values = parseAzdValues(got.stdout);
  }
  const values = target.values;
  target.location = options.location ?? values.AZURE_LOCATION ?? env.AZURE_LOCATION;
  if (target.location) target.location = normalizeRegion(target.location);
  target.subscriptionId = options.subscriptionId ?? values.AZURE_SUBSCRIPTION_ID ??
    env.AZURE_SUBSCRIPTION_ID;

  const name = target.envName;
  if (!name) {
    checks.push({
      name: "azd environment",
      ok: false,
      detail: "no environment chosen",
      fix: action === "provision"
        ? "Name one: `deno task provision --env contoso-dev` (or set AZURE_ENV_NAME)."
        : "Name the environment to use with `--env NAME` (see `azd env list`), or provision one first: `deno task provision --env NAME`.",
    });
  } else if (!ENV_NAME.test(name)) {
    checks.push({
      name: "azd environment",
      ok: false,
      detail: `"${name}" is not a valid name`,
      fix: "Use 1-48 letters, digits and hyphens, starting with a letter or digit.",
    });
  } else if (action !== "provision" && installed && !target.envExists) {
    checks.push({
      name: "azd environment",
      ok: false,
      detail: `"${name}" does not exist`,
      fix:
        `Provision it first: \`deno task provision --env ${name}\` (or pick another with \`azd env list\`).`,
    });
  } else {
    checks.push({
      name: "azd environment",
      ok: true,
      detail: target.envExists ? `"${name}" (exists)` : `"${name}" (will be created)`,
    });
  }

  if (action === "provision") {
    const loc = target.location;
    checks.push(
      !loc
        ? {
          name: "region",
          ok: false,
          detail: "no region chosen",
          fix: `Pass \`--location ${DEFAULT_REGION}\` (or set AZURE_LOCATION); allowed: ${
            ALLOWED_REGIONS.join(", ")
          }.`,
        }
        : isAllowedRegion(loc)
        ? { name: "region", ok: true, detail: `${loc} (all models and the semantic ranker)` }
        : {
          name: "region",
          ok: false,
          detail: `${loc} lacks a model or the semantic ranker the workshop needs`,
          fix: `Choose one of: ${ALLOWED_REGIONS.join(", ")} (\`--location ${DEFAULT_REGION}\`).`,
        },
    );
    checks.push(
      target.subscriptionId ? { name: "subscription", ok: true, detail: target.subscriptionId } : {
        name: "subscription",
        ok: false,
        detail: "no subscription chosen",
        fix:
          "Pass `--subscription <id>` (or set AZURE_SUBSCRIPTION_ID); `az account show --query id -o tsv` prints your default one.",
      },
    );
  }

  if (action === "deploy" && target.envExists) {
    const needed = [...AZURE_VARIABLES, ...DEPLOYMENT_OUTPUTS.map((o) => o.name)];
    const missing = needed.filter((n) => values[n] === undefined);
    checks.push(
      missing.length === 0
        ? { name: "provisioned", ok: true, detail: `all ${needed.length} infra outputs present` }
        : {
          name: "provisioned",
          ok: false,
          detail: `missing ${missing.join(", ")}`,
          fix: `Provision (or re-provision) first: \`deno task provision --env ${name}\`.`,
        },
    );
  }

  // The Azure CLI checks need a complete target; before that their rows would only repeat the
  // failures above.
  const complete = installed && loggedIn && checks.every((c) => c.ok || c.warn);
  if (complete && action !== "teardown" && !options.skipAzureCli) {
    const more = await azureCliChecks(action, target, {
      runner,
      cwd,
      deletedAccount: options.deletedAccount,
    });
    checks.push(...more.checks);
    if (more.deletedAccount) target.deletedAiAccount = more.deletedAccount;
  }

  return { action, ok: checks.every((c) => c.ok || c.warn), checks, target };
}

/**
 * The preflight as text lines (`✔ azd installed  azd version 1.20.0`), fixes indented; `!`
 * marks a warning.
 */
export function formatPreflight(result: PreflightResult): string {
  const width = Math.max(...result.checks.map((c) => c.name.length));
  const lines = [`Preflight for ${result.action}:`];
  for (const check of result.checks) {
    const mark = check.ok ? "✔" : check.skipped ? "–" : check.warn ? "!" : "✘";
    lines.push(`  ${mark} ${check.name.padEnd(width)}  ${check.detail}`);
    if (!check.ok && check.fix) lines.push(`    fix: ${check.fix}`);
  }
  return lines.join("\n");
}
