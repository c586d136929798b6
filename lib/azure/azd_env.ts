/**
 * The azd environment as the app sees it: parsing `azd env get-values`, and keeping a managed
 * block of those values in the repository's `.env` (the postprovision hook writes it, teardown
 * removes it), so a learner's own lines in `.env` survive both.
 *
 * @module
 */
import { dotEnvLine, parseDotEnv, splitManagedBlock } from "../config/dotenv.ts";
import { AZURE_VARIABLES } from "../config/variables.ts";
import type { CommandRunner } from "./runner.ts";

const BEGIN = "# >>> azd environment";
const END = "# <<< azd environment";

/**
 * Parse the output of `azd env get-values` (`NAME="value"` lines).
 *
 * @example
 * ```ts
 * import { parseAzdValues } from "./azd_env.ts";
 * console.assert(parseAzdValues('AZURE_LOCATION="eastus2"\n').AZURE_LOCATION === "eastus2");
 * ```
 */
export function parseAzdValues(text: string): Record<string, string> {
  return parseDotEnv(text);
}

/**
 * The values of azd environment `envName` (azd's default one when not given), read with
 * `azd env get-values`; `undefined` when azd cannot read them (not installed, no environment).
 *
 * @example
 * ```ts
 * import { createFakeRunner } from "./runner.ts";
 * import { readAzdValues } from "./azd_env.ts";
 * const runner = createFakeRunner({ "azd env get-values": { stdout: 'SERVICE_API_URI="https://x.test"\n' } });
 * console.assert((await readAzdValues(runner, { envName: "dev" }))?.SERVICE_API_URI === "https://x.test");
 * ```
 */
export async function readAzdValues(
  runner: CommandRunner,
  options: { envName?: string; cwd?: string } = {},
): Promise<Record<string, string> | undefined> {
  const args = [
    "env",
    "get-values",
    ...(options.envName ? ["--environment", options.envName] : []),
  ];
  const got = await runner.run("azd", args, { cwd: options.cwd });
  return got.code === 0 ? parseAzdValues(got.stdout) : undefined;
}

/**
 * The variables from an azd environment that belong in a local `.env`: the app's Azure
 * configuration, except `AZURE_CLIENT_ID`, which names the Container App's managed identity
 * (locally DefaultAzureCredential should use the learner's own sign-in instead).
 */
export function localVariables(values: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of AZURE_VARIABLES) {
    if (name === "AZURE_CLIENT_ID") continue;
    if (values[name] !== undefined) out[name] = values[name];
  }
  return out;
}

/** The managed `.env` block for an azd environment's values. */
export function azdEnvBlock(envName: string, values: Record<string, string>): string {
  const lines = [
    `${BEGIN} "${envName}": written by tools/azure/hooks.ts after \`azd provision\`; edits inside are replaced`,
    ...Object.entries(localVariables(values)).map(([k, v]) => dotEnvLine(k, v)),
    END,
  ];
  return lines.join("\n") + "\n";
}

/**
 * Put (or replace) the managed block in the text of a `.env` file, keeping every other line.
 *
 * @example
 * ```ts
 * import { azdEnvBlock, withAzdBlock } from "./azd_env.ts";
 * const text = withAzdBlock("MY_VAR=1\n", azdEnvBlock("dev", { COSMOS_DATABASE: "contoso-outdoor" }));
 * console.assert(text.startsWith("MY_VAR=1\n") && text.includes("COSMOS_DATABASE=contoso-outdoor"));
 * ```
 */
export function withAzdBlock(existing: string, block: string): string {
  const { before, after } = splitManagedBlock(existing, BEGIN, END);
  const head = before && !before.endsWith("\n") ? `${before}\n` : before;
  return head + block + after;
}

/** The text of a `.env` file without the managed block (teardown). */
export function withoutAzdBlock(existing: string): { text: string; removed: boolean } {
  const { before, after, found } = splitManagedBlock(existing, BEGIN, END);
  return { text: before + after, removed: found };
}
