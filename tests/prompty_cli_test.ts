/**
 * The prompt CLI end to end: `deno run -A cli/prompty.ts FILE` renders prompt files (the
 * project's, and ones written for the Python Prompty runtime) to messages, as text or JSON,
 * from the sample or `--inputs` (inline JSON or a file); `--run` answers through the
 * configured model (the offline one here); a broken file exits 1 naming its file and line;
 * bad arguments exit 2 with the usage. Each case is a real subprocess; they run concurrently.
 *
 * @module
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { VARIABLES } from "../lib/mod.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const foreign = join(root, "tests/testdata/foreign_prompts");

/** Every configuration variable blanked, so the CLI runs on the embedded defaults. */
const embeddedEnv = (extra: Record<string, string> = {}) => ({
  ...Object.fromEntries(VARIABLES.map((v) => [v.name, ""])),
  NO_COLOR: "1",
  ...extra,
});

async function prompty(args: string[], options: { cwd?: string } = {}) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(root, "cli/prompty.ts"), ...args],
    cwd: options.cwd ?? root,
    // `deno task` sets INIT_CWD to where the user typed the command, and the CLI resolves
    // paths from it; a test run through `deno task test` would pass on the repository root's.
    env: embeddedEnv({ INIT_CWD: options.cwd ?? root }),
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

Deno.test("cli/prompty.ts renders and runs prompt files, and rejects bad files and arguments", async (t) => {
  const dir = await Deno.makeTempDir();
  try {
    const inputsFile = join(dir, "inputs.json");
    await Deno.writeTextFile(
      inputsFile,
      JSON.stringify({
        question: "Does the bivy fit in my pack?",
        customer: { firstName: "Ilse", lastName: "Brandt", orders: [] },
        documentation: [{ id: "B-7", title: "Ridge Bivy", content: "Packs to 12 x 30 cm." }],
      }),
    );
    const broken = join(dir, "broken.prompty");
    await Deno.writeTextFile(
      broken,
      "---\nname: Broken\ninputs:\n  question:\n    type: string\n---\nsystem:\n" +
        "Hello {{ customer.address.city }}\nuser:\n{{ question }}\n",
    );
    const badSyntax = join(dir, "bad_syntax.prompty");
    await Deno.writeTextFile(
      badSyntax,
      "---\nname: Bad\n---\nsystem:\n{% for d in documentation %}\n{{ d.title }}\nuser:\nq\n",
    );

    const [
      text,
      json,
      sample,
      inline,
      fromFile,
      relative,
      ran,
      ranJson,
      renderError,
      syntaxError,
      missing,
      ...bad
    ] = await Promise.all([
      prompty([join(root, "prompts/chat.prompty")]),
      prompty(["prompts/chat.prompty", "--json"]),
      prompty([join(foreign, "outfitter_chat.prompty"), "--sample", "--json"]),
      prompty([
        join(foreign, "keyword_queries.prompty"),
        "--inputs",
        '{"question": "a stove for two", "context": ""}',
        "--json",
      ]),
      prompty([join(foreign, "markdown_chat.prompty"), "--inputs", inputsFile, "--json"]),
      prompty(["markdown_chat.prompty", "--inputs", inputsFile], { cwd: foreign }),
      prompty([join(foreign, "outfitter_chat.prompty"), "--run"]),
      prompty([join(foreign, "markdown_chat.prompty"), "--inputs", inputsFile, "--run", "--json"]),
      prompty([broken]),
      prompty([badSyntax]),
      prompty([join(dir, "nope.prompty")]),
      prompty([]),
      prompty(["a.prompty", "b.prompty"]),
      prompty(["prompts/chat.prompty", "--sample", "--inputs", "{}"]),
      prompty(["prompts/chat.prompty", "--inputs", "[1, 2]"]),
      prompty(["prompts/chat.prompty", "--inputs", "{not json"]),
      prompty(["prompts/chat.prompty", "--inputs", join(dir, "absent.json")]),
      prompty(["prompts/chat.prompty", "--bogus"]),
    ]);

    await t.step("prints each role and its content", () => {
      equal(text.code, 0, text.stderr);
      match(text.stdout, /^system:\nYou are the Contoso Outdoors shopping assistant/);
      match(text.stdout, /\n\nuser:\n\S/);
    });

    await t.step("--json prints the messages as [{role, content}]", () => {
      equal(json.code, 0, json.stderr);
      const messages = JSON.parse(json.stdout) as { role: string; content: string }[];
      ok(messages.length >= 2);
      deepEqual(Object.keys(messages[0]), ["role", "content"]);
      equal(messages[0].role, "system");
      equal(messages.at(-1)!.role, "user");
      ok(messages[0].content.includes("Past orders"));
      equal(text.stdout.trim(), messages.map((m) => `${m.role}:\n${m.content}`).join("\n\n"));
    });

    await t.step(
      "a Python-runtime prompt renders its ${file:…} sample, loop over history empty",
      () => {
        equal(sample.code, 0, sample.stderr);
        const [system] = JSON.parse(sample.stdout) as { content: string }[];
        match(system.content, /catalog: \S+\nitem: \S/);
        match(system.content, /The customer's name is \S+ \S+ and is \d+ years old\./);
        ok(!/\{\{|\{%/.test(system.content));
      },
    );

    await t.step("--inputs as inline JSON, with inputs the file does not declare", () => {
      equal(inline.code, 0, inline.stderr);
      deepEqual(JSON.parse(inline.stdout).at(-1), { role: "user", content: "a stove for two" });
    });

    await t.step("--inputs as a .json file, over the sample, also from another directory", () => {
      equal(fromFile.code, 0, fromFile.stderr);
      const messages = JSON.parse(fromFile.stdout) as { role: string; content: string }[];
      ok(
        messages[0].content.includes("Customer: Ilse Brandt (no member, age )"),
        messages[0].content,
      );
      ok(messages[0].content.includes("### [B-7] Ridge Bivy\nPacks to 12 x 30 cm."));
      ok(!messages[0].content.includes("Owns:"), "an empty orders list is falsy");
      deepEqual(messages.at(-1), { role: "user", content: "Does the bivy fit in my pack?" });
      equal(relative.code, 0, relative.stderr);
      match(relative.stdout, /### \[B-7\] Ridge Bivy/);
    });

    await t.step("--run prints the messages and the model's reply", () => {
      equal(ran.code, 0, ran.stderr);
      match(ran.stdout, /^system:\n/);
      const reply = ran.stdout.split("\n--- reply ---\n")[1];
      ok(reply && reply.trim().length > 0, ran.stdout);
      equal(ranJson.code, 0, ranJson.stderr);
      const out = JSON.parse(ranJson.stdout) as { messages: unknown[]; reply: string };
      deepEqual(Object.keys(out), ["messages", "reply"]);
      equal(out.messages.length, 2);
      equal(typeof out.reply, "string");
      ok(out.reply.length > 0);
    });

    await t.step("a file that does not render or load exits 1 with its file and line", () => {
      equal(renderError.code, 1);
      // Only the last line: a concurrent first run of Deno may report waiting for node_modules.
      const lastLine = (s: string) => s.trim().split("\n").at(-1);
      equal(
        lastLine(renderError.stderr),
        `Error: Cannot render prompt "${broken}" (line 8): "customer" is undefined in "customer.address.city"`,
      );
      equal(renderError.stdout, "");
      equal(syntaxError.code, 1);
      equal(
        lastLine(syntaxError.stderr),
        `Error: Cannot load prompt "${badSyntax}" (line 5): template syntax error: the "for" tag is never closed (expected "endfor" or "else")`,
      );
      equal(missing.code, 1);
      match(missing.stderr, /Cannot load prompt ".*nope\.prompty": file not found/);
    });

    await t.step("bad arguments exit 2 with the usage", () => {
      const reasons = [
        /a prompt file is required/,
        /give one prompt file/,
        /--sample and --inputs cannot be used together/,
        /--inputs must be a JSON object/,
        /--inputs is not valid JSON/,
        /cannot read --inputs file/,
        /bogus/,
      ];
      bad.forEach((r, i) => {
        equal(r.code, 2, `case ${i}: ${r.stderr}`);
        match(r.stderr, reasons[i]);
        match(r.stderr, /Usage: deno task prompty FILE/);
      });
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
