/**
 * Prompt files this project did not write, through the whole pipeline on the embedded
 * defaults: the original workshop's layout for the Python Prompty runtime (`${ENV:…}`, a
 * `${file:…}` sample, `catalog:`/`item:`/`content:` documentation, the question under a heading,
 * a loop over an undeclared `history`), a Markdown layout with inputs listed by name, and a query
 * prompt that declares other inputs. In process, the rendered messages carry the real customer
 * and documentation; as subprocesses, `deno task chat --prompt`, `CONTOSO_CHAT_PROMPT`,
 * `deno task eval --prompt` and the server answer with them, and a broken prompt file stops
 * start-up with the file and line.
 *
 * @module
 */
import { equal, match, ok } from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type ChatMessage,
  type ChatModel,
  createChatPipeline,
  createRuntime,
  loadConfig,
  loadPrompty,
  VARIABLES,
} from "../lib/mod.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const FOREIGN = "tests/testdata/foreign_prompts";
const OUTFITTER = `${FOREIGN}/outfitter_chat.prompty`;
const MARKDOWN = `${FOREIGN}/markdown_chat.prompty`;
const KEYWORDS = `${FOREIGN}/keyword_queries.prompty`;
const customer1 = JSON.parse(await Deno.readTextFile(join(ROOT, "data/customers/1.json")));
const CONTACTS = [customer1.email, customer1.phone, customer1.address.split(",")[0]];
const QUESTION = "How should I clean and store my tent after a wet weekend?";

/** Every configuration variable blanked, so the processes run on the embedded defaults. */
const embeddedEnv = (extra: Record<string, string> = {}) => ({
  ...Object.fromEntries(VARIABLES.map((v) => [v.name, ""])),
  NO_COLOR: "1",
  ...extra,
});

async function run(args: string[], env: Record<string, string> = {}) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", ...args],
    cwd: ROOT,
    env: embeddedEnv(env),
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

/** The `[id]` citations of an answer. */
const citations = (answer: string) => [...answer.matchAll(/\[([^\]\s]+)\]/g)].map((m) => m[1]);

/** The answer greets customer 1 by first name and cites ids of the documentation it was given. */
function assertGroundedAnswer(body: { answer: string; context: { id: string }[] }) {
  match(body.answer, new RegExp(`\\b${customer1.firstName}\\b`), body.answer);
  const given = new Set(body.context.map((c) => c.id));
  const cited = citations(body.answer);
  ok(cited.length > 0, `no citation in: ${body.answer}`);
  ok(cited.every((id) => given.has(id)), `cites ${cited} outside ${[...given]}`);
  for (const contact of CONTACTS) ok(!body.answer.includes(contact), body.answer);
}

Deno.test("createChatPipeline() renders foreign chat prompts with the real customer and documentation", async (t) => {
  const runtime = await createRuntime(loadConfig({}));
  try {
    const calls: ChatMessage[][] = [];
    const recording: ChatModel = {
      ...runtime.chatModel,
      complete(messages, o) {
        calls.push(messages);
        return runtime.chatModel.complete(messages, o);
      },
    };
    const ask = async (path: string) => {
      calls.length = 0;
      const pipeline = createChatPipeline({
        chatModel: recording,
        queryModel: runtime.chatModel,
        embeddings: runtime.embeddingModel,
        customers: runtime.customers,
        products: runtime.products,
        chatPrompt: await loadPrompty(join(ROOT, path)),
        queryPrompt: runtime.prompts.query,
      });
      const response = await pipeline.getResponse({ customerId: "1", question: QUESTION });
      equal(calls.length, 1);
      const text = calls[0].map((m) => `${m.role}:\n${m.content}`).join("\n");
      ok(!text.includes("{{") && !text.includes("{%"), text);
      for (const contact of CONTACTS) ok(!text.includes(contact), `${contact} reached the model`);
      ok(response.context.length > 0);
      return { response, messages: calls[0], text };
    };

    await t.step("the original workshop's layout (Python Prompty runtime)", async () => {
      const { response, messages, text } = await ask(OUTFITTER);
      equal(messages.length, 1, "no role marker but system: one system message");
      match(text, /The customer's name is Maya Okafor and is 34 years old\./);
      match(text, /Maya Okafor holds a "Gold" membership\./);
      for (const order of customer1.orders) {
        ok(text.includes(`name: ${order.name}\ndescription: ${order.description}`), order.name);
      }
      for (const item of response.context) {
        ok(text.includes(`catalog: ${item.id}\nitem: `), item.id);
      }
      ok(text.includes(`# question\n${QUESTION}`));
    });

    await t.step("a Markdown layout with inputs listed by name", async () => {
      const { response, messages, text } = await ask(MARKDOWN);
      match(text, /Customer: Maya Okafor \(Gold member, age 34\)/);
      ok(text.includes(`- ${customer1.orders[0].name}: ${customer1.orders[0].description}`));
      for (const item of response.context) ok(text.includes(`### [${item.id}] `), item.id);
      equal(messages.at(-1)?.role, "user");
      equal(messages.at(-1)?.content, QUESTION);
    });
  } finally {
    await runtime.close();
  }
});

Deno.test("deno task chat --prompt answers with a foreign prompt, greeting by first name and citing its documentation", async (t) => {
  const dir = await Deno.makeTempDir();
  try {
    const history = join(dir, "history.json");
    await Deno.writeTextFile(
      history,
      JSON.stringify([
        { role: "user", content: "I camped in the rain last weekend." },
        { role: "assistant", content: "Sounds like an adventure!" },
      ]),
    );
    const [outfitter, withHistory, markdown, byVariable, keywords] = await Promise.all([
      run(["cli/chat.ts", QUESTION, "--customer", "1", "--prompt", OUTFITTER, "--json"]),
      run([
        "cli/chat.ts",
        "Which of my things pair with my daypack?",
        "--customer",
        "1",
        "--prompt",
        OUTFITTER,
        "--history",
        history,
        "--json",
      ]),
      run(["cli/chat.ts", QUESTION, "--customer", "1", "--prompt", MARKDOWN, "--json"]),
      run(["cli/chat.ts", QUESTION, "--customer", "1", "--config"], {
        CONTOSO_CHAT_PROMPT: MARKDOWN,
      }),
      run([
        "cli/chat.ts",
        QUESTION,
        "--customer",
        "1",
        "--prompt",
        OUTFITTER,
        "--query-prompt",
        KEYWORDS,
        "--json",
      ]),
    ]);

    await t.step("the workshop layout", () => {
      equal(outfitter.code, 0, outfitter.stderr);
      assertGroundedAnswer(JSON.parse(outfitter.stdout));
    });
    await t.step("the workshop layout with earlier turns (its history loop stays empty)", () => {
      equal(withHistory.code, 0, withHistory.stderr);
      assertGroundedAnswer(JSON.parse(withHistory.stdout));
    });
    await t.step("the Markdown layout", () => {
      equal(markdown.code, 0, markdown.stderr);
      assertGroundedAnswer(JSON.parse(markdown.stdout));
    });
    await t.step("CONTOSO_CHAT_PROMPT, shown by --config", () => {
      equal(byVariable.code, 0, byVariable.stderr);
      match(
        byVariable.stdout,
        /^chat prompt\s+Prompty file\s+tests\/testdata\/foreign_prompts\/markdown_chat\.prompty/m,
      );
      match(byVariable.stdout, /\bMaya\b/);
    });
    await t.step("--query-prompt with a query prompt that declares other inputs", () => {
      equal(keywords.code, 0, keywords.stderr);
      const body = JSON.parse(keywords.stdout);
      ok(body.queries.length > 0);
      assertGroundedAnswer(body);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a missing or broken chat prompt stops start-up with the file and line", async (t) => {
  const dir = await Deno.makeTempDir();
  try {
    const broken = join(dir, "broken.prompty");
    // The unclosed loop is on line 9 of the file (front matter counted).
    await Deno.writeTextFile(
      broken,
      [
        "---",
        "name: Broken",
        "inputs:",
        "  question:",
        "    type: string",
        "---",
        "system:",
        "Answer briefly.",
        "{% for item in documentation %}",
        "- {{ item.title }}",
        "user:",
        "{{ question }}",
        "",
      ].join("\n"),
    );
    const missing = join(dir, "missing.prompty");
    const [chatBroken, chatMissing, serverBroken, serverMissing] = await Promise.all([
      run(["cli/chat.ts", QUESTION, "--customer", "1", "--prompt", broken]),
      run(["cli/chat.ts", QUESTION, "--customer", "1", "--prompt", missing]),
      run(["server/main.ts", "--dev"], { CONTOSO_CHAT_PROMPT: broken, PORT: "0" }),
      run(["server/main.ts", "--dev"], { CONTOSO_CHAT_PROMPT: missing, PORT: "0" }),
    ]);
    const where = (path: string) => path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    await t.step("deno task chat --prompt exits 1 naming the file and line", () => {
      equal(chatBroken.code, 1, chatBroken.stderr);
      match(
        chatBroken.stderr,
        new RegExp(`^Error: Cannot load prompt "${where(broken)}" \\(line 9\\)`, "m"),
      );
      equal(chatMissing.code, 1, chatMissing.stderr);
      match(
        chatMissing.stderr,
        new RegExp(`^Error: Cannot load prompt "${where(missing)}": file not found`, "m"),
      );
      ok(!/\bat .+:\d+:\d+/.test(chatBroken.stderr + chatMissing.stderr), "no stack trace");
    });
    await t.step("the server exits 1 before it listens", () => {
      equal(serverBroken.code, 1, serverBroken.stderr);
      match(
        serverBroken.stderr,
        new RegExp(`cannot start: Cannot load prompt "${where(broken)}" \\(line 9\\)`),
      );
      equal(serverMissing.code, 1, serverMissing.stderr);
      match(serverMissing.stderr, /file not found/);
      ok(!serverBroken.stdout.includes("Chat page") && !serverMissing.stdout.includes("Chat page"));
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the server answers with CONTOSO_CHAT_PROMPT and shows it in its banner", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "server/main.ts", "--dev"],
    cwd: ROOT,
    env: embeddedEnv({ CONTOSO_CHAT_PROMPT: OUTFITTER, PORT: "0" }),
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const reader = child.stdout.getReader();
  const decoder = new TextDecoder();
  const stderr = new Response(child.stderr).text();
  let buffered = "";
  try {
    const deadline = Date.now() + 60_000;
    let base: string | undefined;
    while (!base && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      buffered += decoder.decode(value, { stream: true });
      base = /Chat page\s+(http:\/\/localhost:\d+)\/chat/.exec(buffered)?.[1];
    }
    ok(base, `no banner:\n${buffered}`);
    match(
      buffered,
      /chat prompt\s+Prompty file\s+tests\/testdata\/foreign_prompts\/outfitter_chat\.prompty/,
    );
    const response = await fetch(`${base}/api/create_response`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ question: QUESTION, customer_id: "1", chat_history: [] }),
    });
    equal(response.status, 200);
    assertGroundedAnswer(await response.json());
  } finally {
    try {
      child.kill("SIGTERM");
    } catch { /* already exited */ }
    await reader.cancel().catch(() => {});
    const status = await child.status;
    equal(status.code, 0, await stderr);
  }
});

Deno.test("deno task eval --prompt evaluates a foreign chat prompt end to end", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const data = join(dir, "rows.jsonl");
    const rows = [
      { customerId: "1", question: QUESTION, chat_history: [], intent: "product_care" },
      {
        customerId: "2",
        question: "Which stove would suit a two-night backpacking trip?",
        chat_history: [],
        intent: "product_advice",
        truth: "A light canister stove.",
      },
    ];
    await Deno.writeTextFile(data, rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
    const result = await run([
      "cli/eval.ts",
      "--data",
      data,
      "--prompt",
      OUTFITTER,
      "--runs-dir",
      join(dir, "runs"),
      "--min",
      "f1=0",
    ]);
    equal(result.code, 0, result.stderr + result.stdout);
    match(result.stdout, /chat prompt tests\/testdata\/foreign_prompts\/outfitter_chat\.prompty/);
    const runDir = /Run directory: (\S+)/.exec(result.stdout)?.[1];
    ok(runDir, result.stdout);
    match(runDir, /outfitter.chat/);
    const results = (await Deno.readTextFile(join(runDir, "results.jsonl"))).trim().split("\n")
      .map((l) => JSON.parse(l));
    equal(results.length, 2);
    for (const row of results) {
      equal(row.status, "ok", JSON.stringify(row.error));
      ok(row.answer && row.context.length > 0);
      const cited = citations(row.answer);
      ok(cited.some((id) => row.context.some((c: { id: string }) => c.id === id)), row.answer);
    }
    match(results[0].answer, /\bMaya\b/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
