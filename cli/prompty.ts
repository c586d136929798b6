/**
 * `deno task prompty FILE [--sample | --inputs JSON] [--run] [--json]`: render a prompt file to
 * its chat messages, like the Prompty extension's preview, and with `--run` send them to the
 * configured chat model with the file's `model.parameters`, like its run. Inputs come from the
 * file's sample (the default) or `--inputs`, a JSON object or a `.json` file, over the sample.
 * A file that does not load or render exits 1 with the file and line; bad arguments exit 2.
 *
 * @module
 */
import { isAbsolute, resolve } from "node:path";
import { parseCommandLine } from "../lib/cli/args.ts";
import { EXIT, runCommand, UsageError } from "../lib/cli/exit.ts";
import { loadConfig, readEnvironment } from "../lib/config/mod.ts";
import { errorMessage } from "../lib/errors.ts";
import type { ChatMessage } from "../lib/models/mod.ts";
import { executePrompty, loadPrompty, type Prompty, renderPrompty } from "../lib/prompty/mod.ts";
import { createConfiguredChatModel } from "../lib/runtime/mod.ts";

const USAGE = `Usage: deno task prompty FILE [--sample | --inputs JSON] [--run] [--json]

  FILE             a .prompty file
  --sample         render with the file's sample (the default)
  --inputs JSON    inputs as a JSON object, or the path of a .json file holding one;
                   the sample fills in what they leave out
  --run            send the messages to the configured chat model and print its reply
  --json           print JSON: the messages as [{"role", "content"}], with --run
                   {"messages": [...], "reply": "..."}`;

// `deno task` runs in the project root; paths on the command line are the caller's.
const callerDir = Deno.env.get("INIT_CWD") ?? Deno.cwd();
const fromCaller = (path: string) => (isAbsolute(path) ? path : resolve(callerDir, path));

async function readInputs(value: string): Promise<Record<string, unknown>> {
  let text = value;
  if (!/^\s*[{[]/.test(value)) {
    try {
      text = await Deno.readTextFile(fromCaller(value));
    } catch (error) {
      throw new UsageError(`cannot read --inputs file "${value}": ${errorMessage(error)}`);
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--inputs is not valid JSON: ${errorMessage(error)}`);
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new UsageError("--inputs must be a JSON object of input names and values");
  }
  return parsed as Record<string, unknown>;
}

function printMessages(messages: ChatMessage[]) {
  console.log(messages.map((m) => `${m.role}:\n${m.content}`).join("\n\n"));
}

async function run(prompty: Prompty, inputs: Record<string, unknown>): Promise<string> {
  const config = loadConfig(readEnvironment());
  const model = await createConfiguredChatModel(config);
  return await executePrompty(prompty, model, inputs, { json: false }) as string;
}

async function main(args: string[]): Promise<number> {
  const parsed = parseCommandLine(args, {
    sample: { type: "boolean", default: false },
    inputs: { type: "string" },
    run: { type: "boolean", default: false },
    json: { type: "boolean", default: false },
  }, { allowPositionals: true });
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return EXIT.ok;
  }
  if (positionals.length !== 1) {
    throw new UsageError(positionals.length ? "give one prompt file" : "a prompt file is required");
  }
  if (values.sample && values.inputs !== undefined) {
    throw new UsageError("--sample and --inputs cannot be used together");
  }
  const inputs = values.inputs === undefined ? {} : await readInputs(values.inputs);
  const prompty = await loadPrompty(fromCaller(positionals[0]), { env: readEnvironment() });
  const messages = renderPrompty(prompty, inputs);
  if (!values.run) {
    if (values.json) console.log(JSON.stringify(messages, null, 2));
    else printMessages(messages);
    return EXIT.ok;
  }
  const reply = await run(prompty, inputs);
  if (values.json) console.log(JSON.stringify({ messages, reply }, null, 2));
  else {
    printMessages(messages);
    console.log(`\n--- reply ---\n${reply}`);
  }
  return EXIT.ok;
}

Deno.exit(await runCommand(() => main(Deno.args), { usage: USAGE }));
