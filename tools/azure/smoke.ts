/**
 * `deno task smoke [--url URL]`: ask the hosted endpoint one sample question and print the URL,
 * status and latency. The URL defaults to SERVICE_API_URI (an infra/ output), read from the
 * environment or from `azd env get-values`.
 *
 * @module
 */
import { parseArgs } from "node:util";
import {
  type CommandRunner,
  createCommandRunner,
  formatSmoke,
  parseAzdValues,
  smokeTest,
} from "../../lib/mod.ts";
import { clientApiKey } from "../../lib/config/auth.ts";

/** The azd environment's values (`azd env get-values`); empty when azd has none. */
async function readAzdValues(
  env: Record<string, string | undefined>,
  runner: CommandRunner,
): Promise<Record<string, string>> {
  const args = [
    "env",
    "get-values",
    ...(env.AZURE_ENV_NAME ? ["--environment", env.AZURE_ENV_NAME] : []),
  ];
  const got = await runner.run("azd", args);
  return got.code === 0 ? parseAzdValues(got.stdout) : {};
}

/** The endpoint to test: SERVICE_API_URI from the environment, else from azd. */
export async function resolveServiceUri(
  env: Record<string, string | undefined>,
  runner: CommandRunner,
): Promise<string | undefined> {
  if (env.SERVICE_API_URI) return env.SERVICE_API_URI;
  return (await readAzdValues(env, runner)).SERVICE_API_URI;
}

/** Run the smoke test CLI; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        url: { type: "string" },
        question: { type: "string" },
        customer: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (error) {
    console.error(
      `${
        error instanceof Error ? error.message : error
      }\nUsage: deno task smoke [--url URL] [--question TEXT] [--customer ID]`,
    );
    return 2;
  }
  if (values.help) {
    console.log("Usage: deno task smoke [--url URL] [--question TEXT] [--customer ID]");
    return 0;
  }
  const env = Deno.env.toObject();
  const runner = createCommandRunner();
  const url = values.url ?? await resolveServiceUri(env, runner);
  if (!url) {
    console.error(
      "No endpoint to test: pass --url, or deploy first (`deno task deploy`) so SERVICE_API_URI is set.",
    );
    return 1;
  }
  const result = await smokeTest(url, {
    question: values.question,
    customerId: values.customer,
    // The deployed API requires a key or a token: the first accepted key, from the environment
    // or else the azd environment (`azd env set CONTOSO_API_KEYS ...`).
    apiKey: clientApiKey(env) ?? clientApiKey(await readAzdValues(env, runner)),
  });
  console.log(formatSmoke(result));
  return result.ok ? 0 : 1;
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
