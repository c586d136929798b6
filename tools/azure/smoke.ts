/**
 * `deno task smoke [--url URL]`: ask the hosted endpoint one sample question and print the URL,
 * status and latency. The URL defaults to SERVICE_API_URI (an infra/ output), read from the
 * environment or from `azd env get-values`.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { EXIT, runCommand } from "../../lib/cli/exit.ts";
import {
  type CommandRunner,
  createCommandRunner,
  formatSmoke,
  hostedEndpoint,
  readAzdValues,
  smokeTest,
} from "../../lib/mod.ts";

/** The endpoint to test: SERVICE_API_URI from the environment, else from azd. */
export async function resolveServiceUri(
  env: Record<string, string | undefined>,
  runner: CommandRunner,
): Promise<string | undefined> {
  return env.SERVICE_API_URI ??
    (await readAzdValues(runner, { envName: env.AZURE_ENV_NAME }))?.SERVICE_API_URI;
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
    return EXIT.usage;
  }
  if (values.help) {
    console.log("Usage: deno task smoke [--url URL] [--question TEXT] [--customer ID]");
    return EXIT.ok;
  }
  const env = Deno.env.toObject();
  // The URL and the key the deployed API requires: each from the environment, else from the azd
  // environment (`azd env set CONTOSO_API_KEYS ...`), which is read only when one is missing.
  let endpoint = hostedEndpoint(env);
  if (!(values.url ?? endpoint.url) || !endpoint.apiKey) {
    const azd = await readAzdValues(createCommandRunner(), { envName: env.AZURE_ENV_NAME });
    endpoint = hostedEndpoint(env, azd);
  }
  const url = values.url ?? endpoint.url;
  if (!url) {
    console.error(
      "No endpoint to test: pass --url, or deploy first (`deno task deploy`) so SERVICE_API_URI is set.",
    );
    return EXIT.failed;
  }
  const result = await smokeTest(url, {
    question: values.question,
    customerId: values.customer,
    apiKey: endpoint.apiKey,
  });
  console.log(formatSmoke(result));
  return result.ok ? EXIT.ok : EXIT.failed;
}

if (import.meta.main) {
  Deno.exit(await runCommand(() => main(Deno.args)));
}
