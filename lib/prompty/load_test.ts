import { deepEqual, equal, match, ok, rejects } from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { loadPrompty, parsePrompty } from "./load.ts";
import { renderPrompty } from "./render.ts";

const testdata = (name: string) => fileURLToPath(new URL(`./testdata/${name}`, import.meta.url));
const prompts = fileURLToPath(new URL("../../prompts/", import.meta.url));

async function promptFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) files.push(...await promptFiles(path));
    else if (entry.name.endsWith(".prompty")) files.push(path);
  }
  return files.sort();
}

Deno.test("loadPrompty() loads every prompt of the repository and renders its sample", async () => {
  const files = await promptFiles(prompts);
  ok(files.length >= 8, `found only ${files.length} prompt files`);
  for (const file of files) {
    const prompty = await loadPrompty(file, { env: {} });
    ok(prompty.name, `${file} has a name`);
    equal(prompty.path, file);
    ok(prompty.templateLine > 3, `${file} template starts after the front matter`);
    const messages = renderPrompty(prompty);
    ok(messages.length >= 2, `${file} renders system and user messages`);
    equal(messages[0].role, "system", file);
    equal(messages.at(-1)!.role, "user", file);
    ok(messages.every((m) => m.content.trim().length > 0), file);
  }
});

Deno.test("loadPrompty() reads the chat prompt's front matter", async () => {
  const chat = await loadPrompty(join(prompts, "chat.prompty"), {
    env: {
      AZURE_OPENAI_ENDPOINT: "https://contoso.openai.azure.com",
      AZURE_OPENAI_CHAT_DEPLOYMENT: "gpt-4o-mini",
    },
  });
  equal(chat.name, "Contoso Chat");
  deepEqual(chat.configuration, {
    type: "azure_openai",
    azure_endpoint: "https://contoso.openai.azure.com",
    azure_deployment: "gpt-4o-mini",
    api_version: "2024-10-21",
  });
  deepEqual(chat.parameters, {
    temperature: 0.2,
    maxTokens: 600,
    topP: undefined,
    json: undefined,
  });
  deepEqual(Object.keys(chat.inputs), ["customer", "documentation", "question", "chat_history"]);
  deepEqual(chat.inputs.chat_history.default, []);
  equal((chat.sample.customer as { firstName: string }).firstName, "Robin");
});

Deno.test("loadPrompty() substitutes ${env:NAME}, ${ENV:NAME} and defaults", async (t) => {
  const file = testdata("file_sample.prompty");
  await t.step("values from the env option", async () => {
    const p = await loadPrompty(file, {
      env: {
        AZURE_OPENAI_ENDPOINT: "https://e.openai.azure.com",
        AZURE_OPENAI_CHAT_DEPLOYMENT: "chat-dep",
        AZURE_OPENAI_API_VERSION: "2025-01-01-preview",
      },
    });
    deepEqual(p.configuration, {
      type: "azure_openai",
      azure_endpoint: "https://e.openai.azure.com",
      azure_deployment: "chat-dep",
      api_version: "2025-01-01-preview",
    });
  });
  await t.step("missing variables are empty, or their default", async () => {
    const p = await loadPrompty(file);
    equal(p.configuration.azure_endpoint, "");
    equal(p.configuration.azure_deployment, "");
    equal(p.configuration.api_version, "2024-10-21");
  });
  await t.step("the process environment is not read", async () => {
    // A name no other test uses: test modules share one process under --parallel.
    const name = `CONTOSO_PROMPTY_TEST_${crypto.randomUUID().replaceAll("-", "_")}`;
    Deno.env.set(name, "from-process");
    try {
      const p = await parsePrompty(
        `---\nmodel:\n  configuration:\n    azure_deployment: \${env:${name}}\n---\nuser:\nhi`,
        { path: "env.prompty" },
      );
      equal(p.configuration.azure_deployment, "");
    } finally {
      Deno.env.delete(name);
    }
  });
});

Deno.test("loadPrompty() reads a ${file:sample.json} sample beside the prompt", async () => {
  const p = await loadPrompty(testdata("file_sample.prompty"));
  deepEqual(p.sample, {
    question: "Which tent is lightest?",
    items: ["Summit Dome 2 Tent", "Glacier Pass 2 Expedition Tent"],
  });
  equal(p.parameters.json, true, "response_format json_object");
  equal(p.parameters.maxTokens, 200);
  const [system, user] = renderPrompty(p);
  ok(system.content.includes("- Summit Dome 2 Tent"));
  deepEqual(user, { role: "user", content: "Which tent is lightest?" });
});

Deno.test("loadPrompty() loads a file written for the Prompty editor extension unchanged", async () => {
  const p = await loadPrompty(testdata("extension.prompty"), {
    env: { OPENAI_API_KEY: "sk-from-env" },
  });
  equal(p.name, "ExamplePrompt");
  equal(p.description, "A prompt that uses context to ground an incoming question");
  deepEqual(p.configuration, {
    type: "openai",
    name: "gpt-4o-mini",
    api_key: "sk-from-env",
    organization: "",
  });
  deepEqual(p.parameters, { temperature: 0.7, maxTokens: 3000, topP: 0.9, json: undefined });
  deepEqual(p.inputs, {
    firstName: { type: "string" },
    context: { type: "string" },
    question: { type: "string" },
  });
  equal(p.sample.firstName, "Seth");
  const messages = renderPrompty(p);
  deepEqual(messages.map((m) => m.role), ["system", "user"]);
  ok(messages[0].content.includes("You are helping Seth to find answers"));
  ok(messages[0].content.includes("# Customer"), "Markdown headings stay in the system message");
  ok(messages[0].content.includes("The Alpine Explorer Tent boasts a detachable divider"));
  equal(messages[1].content, "What can you tell me about your tents?");
  const mine = renderPrompty(p, { firstName: "Maya", question: "Is it waterproof?" });
  ok(mine[0].content.includes("You are helping Maya"));
  equal(mine[1].content, "Is it waterproof?");
});

Deno.test("loadPrompty() errors name the file (and the line where it can)", async (t) => {
  await t.step("missing file", async () => {
    await rejects(
      loadPrompty("prompts/does-not-exist.prompty"),
      (e: Error) => {
        ok(e instanceof TypeError);
        equal(e.message, 'Cannot load prompt "prompts/does-not-exist.prompty": file not found');
        return true;
      },
    );
  });
  await t.step("bad YAML, with its line in the file", async () => {
    const file = testdata("bad_yaml.prompty");
    await rejects(loadPrompty(file), (e: Error) => {
      ok(e instanceof SyntaxError);
      ok(e.message.startsWith(`Cannot load prompt "${file}"`), e.message);
      match(e.message, /invalid YAML front matter/);
      const line = Number(/\(line (\d+)\)/.exec(e.message)?.[1]);
      ok(line >= 4 && line <= 7, `line ${line} should point at or just after the bad line 4`);
      return true;
    });
  });
  await t.step("template syntax error, with its line in the file", async () => {
    const file = testdata("bad_template.prompty");
    await rejects(loadPrompty(file), (e: Error) => {
      ok(e instanceof SyntaxError);
      ok(e.message.startsWith(`Cannot load prompt "${file}" (line 11)`), e.message);
      match(e.message, /template syntax error/);
      return true;
    });
  });
  await t.step("no front matter", async () => {
    await rejects(
      parsePrompty("system:\nhello", { path: "inline.prompty" }),
      new SyntaxError(
        'Cannot load prompt "inline.prompty": missing YAML front matter between "---" lines',
      ),
    );
  });
  await t.step("front matter that is not a mapping", async () => {
    await rejects(
      parsePrompty("---\n- a\n- b\n---\nuser:\nhi", { path: "list.prompty" }),
      /Cannot load prompt "list.prompty": invalid YAML front matter/,
    );
  });
  await t.step("missing sample file", async () => {
    await rejects(
      parsePrompty("---\nsample: ${file:nope.json}\n---\nuser:\nhi", {
        path: testdata("inline.prompty"),
      }),
      (e: Error) => {
        ok(e instanceof TypeError);
        match(e.message, /inline\.prompty": sample file "nope.json" not found/);
        return true;
      },
    );
  });
  await t.step("sample file that is not JSON", async () => {
    await rejects(
      parsePrompty("---\nsample: ${file:bad_yaml.prompty}\n---\nuser:\nhi", {
        path: testdata("inline.prompty"),
      }),
      /sample file "bad_yaml.prompty" is not valid JSON/,
    );
  });
  await t.step("sample that is neither a mapping nor a file reference", async () => {
    await rejects(
      parsePrompty("---\nsample: just text\n---\nuser:\nhi", { path: "s.prompty" }),
      /"sample" must be a mapping or \$\{file:NAME.json\}/,
    );
  });
});

Deno.test("parsePrompty() accepts inputs as a list and takes the name from the file", async () => {
  const p = await parsePrompty("---\ninputs: [question, context]\n---\nuser:\n{{ question }}", {
    path: "/x/my-prompt.prompty",
  });
  equal(p.name, "my-prompt");
  deepEqual(p.inputs, { question: {}, context: {} });
  equal(p.templateLine, 4);
  deepEqual(renderPrompty(p, { question: "hi" }), [{ role: "user", content: "hi" }]);
});

Deno.test("loadPrompty() loads and renders prompt files written for the Python Prompty runtime", async (t) => {
  const foreign = fileURLToPath(new URL("../../tests/testdata/foreign_prompts/", import.meta.url));
  const env = {
    AZURE_OPENAI_ENDPOINT: "https://trail.openai.azure.com",
    AZURE_OPENAI_CHAT_DEPLOYMENT: "chat-4o",
  };
  const pipelineInputs = {
    customer: {
      firstName: "Tomás",
      lastName: "Ruiz",
      age: 52,
      membership: "Silver",
      orders: [{ name: "Alpine Bivy", description: "A one-person bivy sack.", quantity: 1 }],
    },
    documentation: [{ id: "41", title: "Alpine Bivy", content: "Seam-sealed, 680 g." }],
    question: "How heavy is my bivy?",
    chat_history: [{ role: "user", content: "Hello" }, { role: "assistant", content: "Hi!" }],
  };
  const files = [
    ...(await promptFiles(foreign)),
    ...(await promptFiles(testdata("python_runtime"))),
  ];
  ok(files.length >= 4, `found ${files.length} files`);
  for (const file of files) {
    await t.step(file.replace(/^.*\/testdata\//, ""), async () => {
      const p = await loadPrompty(file, { env });
      for (const value of Object.values(p.configuration)) {
        ok(!String(value).includes("${"), `${file}: ${value} was substituted`);
      }
      const sample = renderPrompty(p);
      ok(sample.length >= 1 && sample.every((m) => m.content.trim()), file);
      const messages = renderPrompty(p, pipelineInputs);
      const text = messages.map((m) => m.content).join("\n");
      if (p.template.includes("question")) {
        ok(text.includes("How heavy is my bivy?"), `${file} renders the question:\n${text}`);
      }
      ok(!/\{\{|\{%/.test(text), `${file} leaves no template syntax`);
    });
  }
  await t.step("${ENV:…} and ${env:…} with a default, and a ${file:…} sample", async () => {
    const p = await loadPrompty(testdata("python_runtime/camp_concierge.prompty"), {
      env: { AZURE_OPENAI_ENDPOINT: "https://x.openai.azure.com" },
    });
    equal(p.configuration.azure_endpoint, "https://x.openai.azure.com");
    equal(p.configuration.azure_deployment, "gpt-4o");
    deepEqual(p.parameters, { temperature: 0.1, maxTokens: 400, topP: 0.95, json: undefined });
    const messages = renderPrompty(p);
    deepEqual(messages.map((m) => m.role), ["system", "user", "assistant", "user"]);
    ok(messages[0].content.includes("  * Kiwi Trail 40L Pack x1 — A 40 litre pack"));
    ok(messages[0].content.includes("  * Merino Liner Socks x3\n"));
    ok(messages[0].content.includes("[pack-40-care] Kiwi Trail 40L Pack: care"));
    equal(messages[3].content, "Can I take the pack to the beach?");
    const none = renderPrompty(p, { documentation: [], customer: null, chat_history: [] });
    ok(none[0].content.includes("No sources were found for this question."));
    ok(!none[0].content.includes("About the camper"));
  });
  await t.step("declared defaults fill inputs the sample lacks", async () => {
    const p = await loadPrompty(testdata("python_runtime/trail_summary.prompty"), { env: {} });
    equal(p.configuration.name, "gpt-4o-mini");
    equal(p.parameters.json, true);
    const [system, user] = renderPrompty(p, { tags: ["alpine", "wind"] });
    equal(
      system.content,
      'Summarise the trail report below in at most 3 points as JSON {"points": [...]}.\nTags: alpine, wind',
    );
    equal(user.content, "Muddy after the first bridge; the ridge section is exposed and windy.");
  });
});
