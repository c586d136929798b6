/**
 * azd hooks (azure.yaml):
 *
 * - `postprovision`: writes the infra outputs (`azd env get-values`) into a managed block of
 *   `.env`, then runs `deno task seed` against Azure, retrying while new role assignments
 *   propagate (they can take a few minutes).
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
import { resolveServiceUri } from "./smoke.ts";

/** Options of the hooks; tests replace the runner, the paths and the waits. */
export interface HookOptions {
  runner?: CommandRunner;
  env?: Record<string, string | undefined>;
  dotEnvPath?: string;
  seedAttempts?: number;
  seedRetryDelayMs?: number;
  log?: (text: string) => void;
}

/** Write `.env` from the azd environment, then seed. Returns the exit code. */
export async function postprovision(options: HookOptions = {}): Promise<number> {
  const runner = options.runner ?? createCommandRunner();
  const env = options.env ?? Deno.env.toObject();
  const log = options.log ?? ((text) => console.log(text));
  const path = options.dotEnvPath ?? ".env";
  const envName = env.AZURE_ENV_NAME;
  const got = await runner.run("azd", [
    "env",
    "get-values",
    ...(envName ? ["--environment", envName] : []),
  ]);
  if (got.code !== 0) {
    log(`Cannot read the azd environment: ${got.stderr.trim() || `exit ${got.code}`}`);
    return 1;
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

  const attempts = options.seedAttempts ?? 4;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    log(`Seeding Cosmos DB and Azure AI Search (attempt ${attempt}/${attempts}): deno task seed`);
    const seed = await runner.run("deno", ["task", "seed"], {
      env: values,
      onOutput: (text) => log(text.replace(/\n$/, "")),
    });
    if (seed.code === 0) return 0;
    if (attempt < attempts) {
      const wait = (options.seedRetryDelayMs ?? 30_000) * attempt;
      log(
        `Seeding failed (exit ${seed.code}); new role assignments can take minutes to apply. Retrying in ${
          Math.round(wait / 1000)
        } s.`,
      );
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
  log(
    "Seeding failed. Run `deno task seed` again in a few minutes; the resources are provisioned.",
  );
  return 1;
}

/** Smoke-test the hosted endpoint after `azd deploy`. Returns the exit code. */
export async function postdeploy(options: HookOptions = {}): Promise<number> {
  const env = options.env ?? Deno.env.toObject();
  const log = options.log ?? ((text) => console.log(text));
  if (env[SMOKE_BY_TASK]) {
    log("Smoke test: run by `deno task deploy` after this hook.");
    return 0;
  }
  const url = await resolveServiceUri(env, options.runner ?? createCommandRunner());
  if (!url) {
    log("No SERVICE_API_URI in the azd environment: cannot smoke-test the endpoint.");
    return 1;
  }
  const result = await smokeTest(url, { apiKey: clientApiKey(env) });
  log(formatSmoke(result));
  return result.ok ? 0 : 1;
}

if (import.meta.main) {
  const [hook] = Deno.args;
  if (hook === "postprovision") Deno.exit(await postprovision());
  if (hook === "postdeploy") Deno.exit(await postdeploy());
  console.error("Usage: deno run -A tools/azure/hooks.ts postprovision|postdeploy");
  Deno.exit(2);
}
