/**
 * azd hooks (azure.yaml):
 *
 * - `postprovision`: writes the infra outputs (`azd env get-values`) into a managed block of
 *   `.env`, then runs `deno task seed` against Azure with the learner's credential, retrying
 *   with backoff for up to 30 minutes while new role assignments propagate. A seed that never
 *   succeeds exits 1 with the command to re-run; azure.yaml marks the hook `continueOnError`,
 *   so `azd provision` still succeeds and prints that message as a warning.
 * - `postdeploy`: smoke-tests the hosted endpoint, unless `deno task deploy` (which runs the
 *   test itself) started azd.
 *
 * azd runs hooks from the project root with the environment's values in the process
 * environment.
 *
 * @module
 */
import {
  azdEnvBlock,
  type CommandRunner,
  createCommandRunner,
  formatSmoke,
  parseAzdValues,
  SMOKE_BY_TASK,
  smokeTest,
  withAzdBlock,
} from "../../lib/mod.ts";
import { clientApiKey } from "../../lib/config/auth.ts";
import { delay } from "../../lib/async/delay.ts";
import { EXIT } from "../../lib/cli/exit.ts";
import { resolveServiceUri } from "./smoke.ts";

/** Options of the hooks; tests replace the runner, the paths, the clock and the waits. */
export interface HookOptions {
  runner?: CommandRunner;
  env?: Record<string, string | undefined>;
  dotEnvPath?: string;
  /** How long seeding keeps retrying (default {@linkcode SEED_BUDGET_MS}, 30 minutes). */
  seedBudgetMs?: number;
  /** The first wait between attempts; it doubles up to {@linkcode SEED_MAX_DELAY_MS}. */
  seedRetryDelayMs?: number;
  log?: (text: string) => void;
  /** Where the final "seeding did not finish" message goes (azd shows a failed hook's stderr). */
  warn?: (text: string) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Seeding's retry budget. New data-plane role assignments (Cosmos DB, Azure AI Search) can take
 * minutes to apply, up to 30 by Azure's documentation; until then the seed gets 401/403.
 */
export const SEED_BUDGET_MS = 30 * 60_000;
/** The longest wait between two seeding attempts. */
export const SEED_MAX_DELAY_MS = 120_000;

/** `95 s` as `1 min 35 s`. */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  return s % 60 === 0 ? `${s / 60} min` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/**
 * The environment seeding runs with: the azd environment's values, except the app's
 * managed-identity `AZURE_CLIENT_ID`. DefaultAzureCredential (@azure/identity 4) takes
 * `AZURE_CLIENT_ID` from the environment for its managed-identity and workload-identity
 * credentials, and lib/runtime/credential.ts passes it as `managedIdentityClientId`, so with it
 * the seed would try the Container App's identity first. Without it, and with
 * `AZURE_TOKEN_CREDENTIALS=dev` (only the developer credentials: Azure CLI, azd, …), the
 * learner's `azd auth login` / `az login` sign-in is used, with no managed-identity probe. A
 * service principal configured in the environment (a client secret, certificate or federated
 * token file) keeps the full chain. Returns the variables to pass and the ones to keep out.
 */
export function seedEnvironment(
  values: Record<string, string>,
  processEnv: Record<string, string | undefined>,
): { env: Record<string, string>; unsetEnv: string[] } {
  const { AZURE_CLIENT_ID: appIdentity, ...rest } = values;
  const ownPrincipal = [
    "AZURE_CLIENT_SECRET",
    "AZURE_CLIENT_CERTIFICATE_PATH",
    "AZURE_FEDERATED_TOKEN_FILE",
  ]
    .some((name) => processEnv[name]);
  const env: Record<string, string> = processEnv.AZURE_TOKEN_CREDENTIALS || ownPrincipal
    ? rest
    : { ...rest, AZURE_TOKEN_CREDENTIALS: "dev" };
  // azd puts the environment's values in the hook's own environment too: drop it there only when
  // it is the app's identity (a learner's own service principal id stays).
  const inherited = processEnv.AZURE_CLIENT_ID;
  const unsetEnv =
    inherited !== undefined && (appIdentity === undefined || inherited === appIdentity)
      ? ["AZURE_CLIENT_ID"]
      : [];
  return { env, unsetEnv };
}

/**
 * Write `.env` from the azd environment, then seed, retrying with backoff within the budget.
 * Returns the exit code: 0 seeded, 1 not (azure.yaml lets `azd provision` go on: the resources
 * are provisioned and `deno task seed` can be run again).
 */
export async function postprovision(options: HookOptions = {}): Promise<number> {
  const runner = options.runner ?? createCommandRunner();
  const env = options.env ?? Deno.env.toObject();
  const log = options.log ?? ((text) => console.log(text));
  const warn = options.warn ?? ((text) => console.error(text));
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms) => delay(ms));
  const path = options.dotEnvPath ?? ".env";
  const envName = env.AZURE_ENV_NAME;
  const got = await runner.run("azd", [
    "env",
    "get-values",
    ...(envName ? ["--environment", envName] : []),
  ]);
  if (got.code !== 0) {
    warn(`Cannot read the azd environment: ${got.stderr.trim() || `exit ${got.code}`}`);
    return EXIT.failed;
  }
  const values = parseAzdValues(got.stdout);
  let existing = "";
  try {
    existing = await Deno.readTextFile(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  await Deno.writeTextFile(
    path,
    withAzdBlock(existing, azdEnvBlock(envName ?? values.AZURE_ENV_NAME ?? "?", values)),
  );
  log(`Wrote the Azure configuration of "${envName ?? values.AZURE_ENV_NAME}" to ${path}.`);

  const budget = options.seedBudgetMs ?? SEED_BUDGET_MS;
  const seedEnv = seedEnvironment(values, env);
  const started = now();
  let backoff = options.seedRetryDelayMs ?? 15_000;
  let last = 0;
  for (let attempt = 1;; attempt++) {
    const elapsed = now() - started;
    log(
      `Seeding Cosmos DB and Azure AI Search (attempt ${attempt}, ${duration(elapsed)} of the ` +
        `${duration(budget)} budget used): deno task seed`,
    );
    const seed = await runner.run("deno", ["task", "seed"], {
      env: seedEnv.env,
      unsetEnv: seedEnv.unsetEnv,
      onOutput: (text) => log(text.replace(/\n$/, "")),
    });
    if (seed.code === EXIT.ok) return EXIT.ok;
    last = seed.code;
    // Bad usage or configuration (exitCodeFor's 2): retrying cannot help.
    if (seed.code === EXIT.usage) break;
    const left = budget - (now() - started);
    if (left <= 0) break;
    const wait = Math.min(backoff, left);
    log(
      `Seeding failed (exit ${seed.code}); new role assignments can take up to 30 minutes to ` +
        `apply. Retrying in ${duration(wait)} (${duration(left)} of the budget left).`,
    );
    await sleep(wait);
    backoff = Math.min(backoff * 2, SEED_MAX_DELAY_MS);
  }
  warn(
    [
      "",
      "!!! Seeding did not finish: the Azure resources ARE provisioned, but Cosmos DB and",
      `!!! Azure AI Search have no data yet (deno task seed exited ${last}${
        last === EXIT.usage
          ? ": a configuration error, see above"
          : ` after ${duration(now() - started)}`
      }).`,
      "!!! Run it again when the role assignments have applied: deno task seed",
      "",
    ].join("\n"),
  );
  return EXIT.failed;
}

/** Smoke-test the hosted endpoint after `azd deploy`. Returns the exit code. */
export async function postdeploy(options: HookOptions = {}): Promise<number> {
  const env = options.env ?? Deno.env.toObject();
  const log = options.log ?? ((text) => console.log(text));
  if (env[SMOKE_BY_TASK]) {
    log("Smoke test: run by `deno task deploy` after this hook.");
    return EXIT.ok;
  }
  const url = await resolveServiceUri(env, options.runner ?? createCommandRunner());
  if (!url) {
    log("No SERVICE_API_URI in the azd environment: cannot smoke-test the endpoint.");
    return EXIT.failed;
  }
  const result = await smokeTest(url, { apiKey: clientApiKey(env) });
  log(formatSmoke(result));
  return result.ok ? EXIT.ok : EXIT.failed;
}

if (import.meta.main) {
  const [hook] = Deno.args;
  if (hook === "postprovision") Deno.exit(await postprovision());
  if (hook === "postdeploy") Deno.exit(await postdeploy());
  console.error("Usage: deno run -A tools/azure/hooks.ts postprovision|postdeploy");
  Deno.exit(2);
}
