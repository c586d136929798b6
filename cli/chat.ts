/**
 * `deno task chat "question" --customer ID [--history FILE] [--prompt FILE] [--stream] [--json]`:
 * ask the assistant from the terminal; prints the answer, the cited products and manual
 * passages, and the step timings. `--prompt` answers with another chat prompt (any Prompty
 * file: the pipeline passes it `customer`, `documentation`, `question` and `chat_history`).
 *
 * @module
 */
import { type ChatResponse, checkChatHistory } from "../lib/chat/mod.ts";
import { parseCommandLine } from "../lib/cli/args.ts";
import { EXIT, runCommand, UsageError } from "../lib/cli/exit.ts";
import { formatConfig, loadConfig, readEnvironment } from "../lib/config/mod.ts";
import { errorMessage } from "../lib/errors.ts";
import { createRuntime } from "../lib/runtime/mod.ts";

const USAGE = `Usage: deno task chat "QUESTION" --customer ID [--history FILE] [--prompt FILE]
                      [--query-prompt FILE] [--stream] [--json] [--config]

  --customer ID        the customer asking (see data/customers/)
  --history FILE       earlier turns: a JSON array of {"role": "user"|"assistant", "content": "..."}
  --prompt FILE        chat prompt to answer with (default: CONTOSO_CHAT_PROMPT or
                       prompts/chat.prompty); it receives customer, documentation, question
                       and chat_history
  --query-prompt FILE  prompt that turns the question into search queries
                       (default prompts/product.prompty)
  --stream             print the answer as it arrives
  --json               print the response as JSON
  --config             print the resolved configuration first`;

function usage(message: string): never {
  throw new UsageError(message);
}

function printContext(response: ChatResponse) {
  console.log("\nSources:");
  if (response.context.length === 0) console.log("  (none)");
  for (const item of response.context) {
    console.log(
      `  [${item.id}] ${
        item.kind === "product" ? "product" : "manual "
      }  ${item.title}  ${item.url}`,
    );
  }
  console.log(`\nQueries: ${response.queries.map((q) => JSON.stringify(q)).join(", ")}`);
  console.log("Timings:");
  for (const t of response.timings) {
    console.log(
      `  ${t.name.padEnd(18)} start ${t.startMs.toFixed(1).padStart(7)} ms  took ${
        t.durationMs.toFixed(1).padStart(7)
      } ms`,
    );
  }
}

async function main(): Promise<number> {
  const parsed = parseCommandLine(Deno.args, {
    customer: { type: "string", short: "c" },
    history: { type: "string" },
    prompt: { type: "string" },
    "query-prompt": { type: "string" },
    stream: { type: "boolean", default: false },
    json: { type: "boolean", default: false },
    config: { type: "boolean", default: false },
  }, { allowPositionals: true });
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return EXIT.ok;
  }
  const question = positionals.join(" ").trim();
  if (!question) usage("a question is required");
  if (!values.customer) usage("--customer is required");
  let chatHistory;
  if (values.history) {
    let raw: unknown;
    try {
      raw = JSON.parse(await Deno.readTextFile(values.history));
    } catch (error) {
      usage(`cannot read --history "${values.history}": ${errorMessage(error)}`);
    }
    const checked = checkChatHistory(raw);
    if (!checked.ok) usage(`--history "${values.history}": ${checked.errors.join("; ")}`);
    chatHistory = checked.value;
  }

  const env = readEnvironment();
  const loaded = loadConfig(env);
  const config = values.prompt ? { ...loaded, chatPromptPath: values.prompt } : loaded;
  if (values.config) console.log(`${formatConfig(config)}\n`);
  // A prompt that cannot load or render is a bad file, not a bad argument: exitCodeFor says 1.
  const runtime = await createRuntime(config, {
    env,
    queryPromptPath: values["query-prompt"],
    onRateLimitWait: ({ model, delayMs }) =>
      console.error(`(waiting ${Math.ceil(delayMs / 1000)} s for the rate limit of ${model})`),
    onDataProblem: (p) =>
      console.error(`warning: skipped ${p.file}${p.line ? `:${p.line}` : ""}: ${p.message}`),
  });
  try {
    const request = { customerId: values.customer!, question, chatHistory };
    if (values.stream && !values.json) {
      for await (const event of runtime.pipeline.streamResponse(request)) {
        if (event.type === "delta") await Deno.stdout.write(new TextEncoder().encode(event.text));
        if (event.type === "done") {
          console.log();
          printContext(event.response);
        }
      }
    } else {
      const response = await runtime.pipeline.getResponse(request);
      if (values.json) console.log(JSON.stringify(response, null, 2));
      else {
        console.log(response.answer);
        printContext(response);
      }
    }
    return EXIT.ok;
  } finally {
    await runtime.close();
  }
}

Deno.exit(await runCommand(main, { usage: USAGE }));
