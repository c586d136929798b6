/**
 * `deno task setup:github`: switch the models to GitHub Models after checking that the token
 * works. It takes the token from `GITHUB_TOKEN` (Codespaces sets it) or, failing that, from
 * `gh auth token`, sends one tiny chat completion (one token out, one request of the day's
 * allowance) to the endpoint (`GITHUB_MODELS_ENDPOINT`, default GitHub's), and on success writes
 * a managed block to the repository's `.env`: `MODEL_PROVIDER=github`, plus the endpoint and
 * model variables that are set in the environment or given as options. The token itself is
 * never printed and is written to `.env` only with `--write-token` (a Codespace already has it
 * in the environment; elsewhere `.env` is git-ignored but still a file on disk). `--remove` takes
 * the block out again, which returns the models to whatever `.env` and the environment said
 * before (the offline model when nothing). A 401, 403, unknown model or unreachable endpoint
 * each get a message that says what to do; exit 1 then, 2 for bad arguments.
 *
 * @module
 */
import { isAbsolute, join, resolve } from "node:path";
import { dotEnvLine, findProjectRoot, parseDotEnv, splitManagedBlock } from "../lib/config/mod.ts";
import { parseCommandLine } from "../lib/cli/args.ts";
import { EXIT, runCommand, UsageError } from "../lib/cli/exit.ts";
import { errorMessage } from "../lib/errors.ts";
import {
  GITHUB_MODELS_CHAT_MODEL as DEFAULT_GITHUB_CHAT_MODEL,
  GITHUB_MODELS_ENDPOINT as DEFAULT_GITHUB_MODELS_ENDPOINT,
  githubModelsHeaders,
  headerCounts,
  isReasoningModel,
} from "../lib/models/mod.ts";

const BEGIN = "# >>> GitHub Models";
const END = "# <<< GitHub Models";

/** The variables the block may hold, in order (the token only with `--write-token`). */
export const MANAGED_VARIABLES = [
  "MODEL_PROVIDER",
  "GITHUB_MODELS_ENDPOINT",
  "GITHUB_MODELS_CHAT_MODEL",
  "GITHUB_MODELS_EMBEDDING_MODEL",
  "GITHUB_MODELS_JUDGE_MODEL",
  "GITHUB_TOKEN",
] as const;

const USAGE =
  `Usage: deno task setup:github [--chat-model ID] [--embedding-model ID] [--judge-model ID]
                             [--write-token] [--env-file FILE] [--check-only] [--remove]

Checks your GitHub token against GitHub Models with one tiny chat completion (it uses one
request of the day's free allowance), then writes MODEL_PROVIDER=github (and the model
variables you set) to a managed block in .env, so the chat, embeddings and AI judges use
GitHub Models. The token comes from GITHUB_TOKEN (set in Codespaces) or \`gh auth token\`;
it is never printed.

  --chat-model ID        chat model to check and use (default GITHUB_MODELS_CHAT_MODEL or
                         ${DEFAULT_GITHUB_CHAT_MODEL})
  --embedding-model ID   written as GITHUB_MODELS_EMBEDDING_MODEL
  --judge-model ID       written as GITHUB_MODELS_JUDGE_MODEL (default: the chat model)
  --write-token          also write GITHUB_TOKEN to .env (off: Codespaces has it already;
                         elsewhere export it, e.g. export GITHUB_TOKEN=$(gh auth token))
  --env-file FILE        the file to update (default .env at the repository root)
  --check-only           check the token, write nothing
  --remove               remove the block: the models go back to what .env and the
                         environment say without it (the offline model when nothing)
  GITHUB_MODELS_ENDPOINT overrides the endpoint (default ${DEFAULT_GITHUB_MODELS_ENDPOINT}).

Exit status: 0 checked (and written); 1 the check failed (401, 403, unknown model,
unreachable endpoint, no token); 2 bad arguments.`;

/** Where the token came from (never the token's value). */
export type TokenSource = "GITHUB_TOKEN" | "gh auth token";

/** The outcome of {@link checkToken}. */
export type TokenCheck =
  | { ok: true; status: number; latencyMs: number; remaining?: number; limit?: number }
  | { ok: false; status?: number; message: string };

/** Options of {@link checkToken}. */
export interface CheckTokenOptions {
  endpoint: string;
  model: string;
  /** `X-GitHub-Api-Version` (default GitHub Models' documented version). */
  apiVersion?: string;
  fetch?: typeof fetch;
  /** Give up after this long (default 20 s). */
  timeoutMs?: number;
}

/** The error text a response carries (`{error: {message}}` or `{message}`), at most 200 chars. */
async function serviceMessage(response: Response): Promise<string> {
  const text = await response.text().catch(() => "");
  try {
    const body = JSON.parse(text);
    const message = body?.error?.message ?? body?.message ?? body?.error?.code;
    if (typeof message === "string") return message.slice(0, 200);
  } catch {
    // not JSON: the text itself
  }
  return text.trim().slice(0, 200);
}

/**
 * Send one tiny chat completion with the token and say what the service answered, with a fix
 * for each failure. The message never contains the token.
 *
 * @example
 * ```ts ignore
 * const check = await checkToken(token, { endpoint: DEFAULT_GITHUB_MODELS_ENDPOINT, model: "openai/gpt-4.1-mini" });
 * if (!check.ok) console.error(check.message);
 * ```
 */
export async function checkToken(token: string, options: CheckTokenOptions): Promise<TokenCheck> {
  const url = `${options.endpoint.replace(/\/+$/, "")}/chat/completions`;
  const started = performance.now();
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, {
      method: "POST",
      headers: {
        ...githubModelsHeaders(options.apiVersion),
        "authorization": `Bearer ${token}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({
        model: options.model,
        messages: [{ role: "user", content: "Reply with the word OK." }],
        // A reasoning model refuses max_tokens and needs room to think before one word.
        ...(isReasoningModel(options.model) ? { max_completion_tokens: 64 } : { max_tokens: 1 }),
      }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 20_000),
    });
  } catch (error) {
    const why = error instanceof DOMException && error.name === "TimeoutError"
      ? "no answer in time"
      : errorMessage(error);
    return {
      ok: false,
      message: `Cannot reach GitHub Models at ${url}: ${why} (check the network, or ` +
        `GITHUB_MODELS_ENDPOINT if you set it)`,
    };
  }
  const latencyMs = Math.round(performance.now() - started);
  const status = response.status;
  const { remainingRequests: remaining, limitRequests: limit } = headerCounts(response.headers);
  if (response.ok) {
    await response.body?.cancel();
    return { ok: true, status, latencyMs, remaining, limit };
  }
  const said = await serviceMessage(response);
  const quoted = said ? ` (the service said: ${said.replaceAll(token, "***")})` : "";
  if (status === 401) {
    return {
      ok: false,
      status,
      message: `GitHub Models refused the token (401 Unauthorized)${quoted}. In a Codespace ` +
        `GITHUB_TOKEN is set for you; elsewhere create a fine-grained personal access token with ` +
        `the "Models" permission (read) and export GITHUB_TOKEN, or sign in with \`gh auth login\``,
    };
  }
  if (status === 403) {
    return {
      ok: false,
      status,
      message: `The token may not use GitHub Models (403 Forbidden)${quoted}. Give it the ` +
        `"Models" permission (fine-grained token: Account permissions > Models: read), or check ` +
        `that GitHub Models is enabled for your account or organization`,
    };
  }
  if (status === 429) {
    // The token works; only the allowance is used up. The setup is still right.
    return { ok: true, status, latencyMs, remaining: 0, limit };
  }
  if (status === 400 || status === 404) {
    return {
      ok: false,
      status,
      message: `GitHub Models does not serve the model "${options.model}" (${status})${quoted}. ` +
        `Pick a model id from https://github.com/marketplace?type=models (publisher/name, e.g. ` +
        `${DEFAULT_GITHUB_CHAT_MODEL}) and pass --chat-model ID or set GITHUB_MODELS_CHAT_MODEL`,
    };
  }
  return {
    ok: false,
    status,
    message: `GitHub Models answered ${status}${quoted}; try again in a minute`,
  };
}

/**
 * The text of a `.env` file with the GitHub Models block put in (or replaced), keeping every
 * other line. A line outside the block that sets one of the block's variables is commented out
 * (`# replaced by setup:github: …`), so the block is what the app reads.
 *
 * @example
 * ```ts
 * import { withGitHubBlock } from "./setup_github.ts";
 * const text = withGitHubBlock("MY_VAR=1\nMODEL_PROVIDER=azure\n", { MODEL_PROVIDER: "github" });
 * console.assert(text.includes("# replaced by setup:github: MODEL_PROVIDER=azure"));
 * ```
 */
export function withGitHubBlock(existing: string, values: Record<string, string>): string {
  const names = new Set(Object.keys(values));
  const { before, after } = splitManagedBlock(existing, BEGIN, END);
  const outside = (text: string) =>
    text.split("\n").map((line) => {
      const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=/.exec(line);
      return m && names.has(m[1]) ? `# replaced by setup:github: ${line.trim()}` : line;
    }).join("\n");
  const head = outside(before);
  const block = [
    `${BEGIN}: written by \`deno task setup:github\`; \`deno task setup:github --remove\` takes it out`,
    ...MANAGED_VARIABLES.filter((n) => values[n] !== undefined).map((n) =>
      dotEnvLine(n, values[n])
    ),
    END,
  ].join("\n") + "\n";
  return (head && !head.endsWith("\n") ? `${head}\n` : head) + block + outside(after);
}

/** The text of a `.env` file without the GitHub Models block. */
export function withoutGitHubBlock(existing: string): { text: string; removed: boolean } {
  const { before, after, found } = splitManagedBlock(existing, BEGIN, END);
  return { text: before + after, removed: found };
}

/** The token and where it came from: `GITHUB_TOKEN`, else `gh auth token` when gh is installed. */
export async function findToken(
  env: Record<string, string | undefined>,
  runGh: () => Promise<string | undefined> = ghAuthToken,
): Promise<{ token: string; source: TokenSource } | undefined> {
  const fromEnv = env.GITHUB_TOKEN?.trim();
  if (fromEnv) return { token: fromEnv, source: "GITHUB_TOKEN" };
  const fromGh = (await runGh())?.trim();
  return fromGh ? { token: fromGh, source: "gh auth token" } : undefined;
}

async function ghAuthToken(): Promise<string | undefined> {
  try {
    const out = await new Deno.Command("gh", {
      args: ["auth", "token"],
      stdout: "piped",
      stderr: "null",
      stdin: "null",
    }).output();
    return out.success ? new TextDecoder().decode(out.stdout) : undefined;
  } catch {
    return undefined; // gh is not installed
  }
}

async function readText(path: string): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return "";
    throw error;
  }
}

async function main(args: string[]): Promise<number> {
  const values = parseCommandLine(args, {
    "chat-model": { type: "string" },
    "embedding-model": { type: "string" },
    "judge-model": { type: "string" },
    "write-token": { type: "boolean", default: false },
    "env-file": { type: "string" },
    "check-only": { type: "boolean", default: false },
    remove: { type: "boolean", default: false },
  }).values;
  if (values.help) {
    console.log(USAGE);
    return EXIT.ok;
  }
  if (values.remove && values["check-only"]) {
    throw new UsageError("--remove and --check-only exclude each other");
  }
  const callerDir = Deno.env.get("INIT_CWD") ?? Deno.cwd();
  const envFile = values["env-file"]
    ? (isAbsolute(values["env-file"]) ? values["env-file"] : resolve(callerDir, values["env-file"]))
    : join(findProjectRoot(callerDir), ".env");
  const existing = await readText(envFile);

  if (values.remove) {
    const { text, removed } = withoutGitHubBlock(existing);
    if (!removed) {
      console.log(`No GitHub Models block in ${envFile}: nothing to remove.`);
      return EXIT.ok;
    }
    await Deno.writeTextFile(envFile, text);
    console.log(
      `Removed the GitHub Models block from ${envFile}. The models now follow the rest of .env ` +
        `and the environment (the offline model when nothing else is configured).`,
    );
    return EXIT.ok;
  }

  // The file's values count too (a second run after --write-token), under the process's own.
  const env = { ...parseDotEnv(existing), ...Deno.env.toObject() };
  const endpoint = env.GITHUB_MODELS_ENDPOINT || DEFAULT_GITHUB_MODELS_ENDPOINT;
  const model = values["chat-model"] ?? (env.GITHUB_MODELS_CHAT_MODEL || DEFAULT_GITHUB_CHAT_MODEL);
  const found = await findToken(env);
  if (!found) {
    console.error(
      "Error: No GitHub token: GITHUB_TOKEN is not set and `gh auth token` gave none. In a " +
        "Codespace GITHUB_TOKEN is set for you; elsewhere create a fine-grained personal access " +
        'token with the "Models" permission and export GITHUB_TOKEN (or run `gh auth login`)',
    );
    return EXIT.failed;
  }
  console.log(`Checking the token from ${found.source} against ${endpoint} with ${model}…`);
  const check = await checkToken(found.token, {
    endpoint,
    model,
    apiVersion: env.GITHUB_MODELS_API_VERSION || undefined,
  });
  if (!check.ok) {
    console.error(`Error: ${check.message}`);
    return EXIT.failed;
  }
  const allowance = check.remaining !== undefined
    ? ` · ${check.remaining}${check.limit !== undefined ? ` of ${check.limit}` : ""} requests left`
    : "";
  if (check.status === 429) {
    console.log(
      `The token works, but today's allowance for ${model} is used up (429); it comes back ` +
        `later. Writing the configuration anyway.`,
    );
  } else {
    console.log(`✔ The token works: ${model} answered in ${check.latencyMs} ms${allowance}.`);
  }
  if (values["check-only"]) return EXIT.ok;

  const block: Record<string, string> = { MODEL_PROVIDER: "github" };
  if (env.GITHUB_MODELS_ENDPOINT) block.GITHUB_MODELS_ENDPOINT = env.GITHUB_MODELS_ENDPOINT;
  if (values["chat-model"] || env.GITHUB_MODELS_CHAT_MODEL) block.GITHUB_MODELS_CHAT_MODEL = model;
  const embedding = values["embedding-model"] ?? env.GITHUB_MODELS_EMBEDDING_MODEL;
  if (embedding) block.GITHUB_MODELS_EMBEDDING_MODEL = embedding;
  const judge = values["judge-model"] ?? env.GITHUB_MODELS_JUDGE_MODEL;
  if (judge) block.GITHUB_MODELS_JUDGE_MODEL = judge;
  if (values["write-token"]) block.GITHUB_TOKEN = found.token;
  await Deno.writeTextFile(envFile, withGitHubBlock(existing, block));
  console.log(`Wrote ${Object.keys(block).join(", ")} to ${envFile}.`);
  if (!values["write-token"] && found.source !== "GITHUB_TOKEN") {
    console.log(
      "The token came from `gh auth token` and is not in .env: before running the app, " +
        "export GITHUB_TOKEN=$(gh auth token)  (or run again with --write-token).",
    );
  }
  console.log(
    "Next: deno task chat --config shows GitHub Models serving chat, embeddings and judges; " +
      "deno task eval runs the AI judges within the allowance. Undo with deno task setup:github --remove.",
  );
  return EXIT.ok;
}

if (import.meta.main) Deno.exit(await runCommand(() => main(Deno.args), { usage: USAGE }));
