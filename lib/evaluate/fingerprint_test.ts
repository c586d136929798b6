import { deepEqual, equal, notEqual, ok as assert, rejects } from "node:assert/strict";
import { join } from "node:path";
import { ValidationError } from "../errors.ts";
import { parseDataset } from "./dataset.ts";
import {
  diffFingerprints,
  fingerprintId,
  type FingerprintInput,
  hashPrompt,
  runFingerprint,
} from "./fingerprint.ts";
import { evaluateToRunDir, FingerprintMismatchError } from "./run.ts";
import { readManifest } from "./run_dir.ts";
import { textEvaluators } from "./text_evaluators.ts";
import { createFakePipeline } from "../chat/fake_pipeline.ts";
import { makeRows } from "./_fakes.ts";

const chatPrompt = { template: "system:\nAnswer {{question}}", parameters: { temperature: 0.2 } };
const queryPrompt = { template: "system:\nQueries for {{question}}", parameters: {} };

function input(overrides: Partial<FingerprintInput> = {}): FingerprintInput {
  return {
    rows: makeRows(3),
    prompts: { chat: chatPrompt, query: queryPrompt },
    models: {
      chat: { name: "contoso-offline-chat", backend: "offline" },
      embedding: { name: "contoso-offline-embedding", backend: "offline" },
    },
    evaluators: [{ name: "f1" }, { name: "bleu" }],
    ...overrides,
  };
}

Deno.test("runFingerprint() records what changes results, and only that", async (t) => {
  const base = runFingerprint(input());

  await t.step("plain JSON, evaluators sorted, no judge when none", () => {
    deepEqual(JSON.parse(JSON.stringify(base)), base);
    deepEqual(base.evaluators, ["bleu", "f1"]);
    equal(base.models.judge, undefined);
    equal(base.target, undefined);
    equal(fingerprintId(base), fingerprintId(runFingerprint(input())));
    assert(/^[0-9a-f]{12}$/.test(fingerprintId(base)));
  });

  await t.step("a changed row, prompt, parameter or model changes it", () => {
    const rows = makeRows(3);
    const edited = parseDataset(
      rows.map((r, i) =>
        JSON.stringify({
          customerId: r.customerId,
          question: i === 1 ? "q2, reworded" : r.question,
          chat_history: [],
          truth: r.truth,
        })
      ).join("\n"),
      "x.jsonl",
    );
    for (
      const changed of [
        input({ rows: edited }),
        input({ rows: rows.slice(0, 2) }),
        input({
          prompts: { chat: { ...chatPrompt, template: "Answer briefly" }, query: queryPrompt },
        }),
        input({
          prompts: {
            chat: { ...chatPrompt, parameters: { temperature: 0.9 } },
            query: queryPrompt,
          },
        }),
        input({ parameters: { topPerQuery: 5 } }),
        input({ target: "http://127.0.0.1:8000" }),
      ]
    ) {
      notEqual(fingerprintId(runFingerprint(changed)), fingerprintId(base));
    }
  });

  await t.step("the prompt hash ignores the file's path and description", () => {
    equal(
      hashPrompt(chatPrompt),
      hashPrompt({ ...chatPrompt, path: "/elsewhere/chat.prompty", description: "other" } as never),
    );
  });
});

Deno.test("diffFingerprints() says what differs in words", () => {
  const a = runFingerprint(input());
  deepEqual(diffFingerprints(a, runFingerprint(input())), []);
  const b = runFingerprint(input({
    rows: makeRows(4),
    prompts: { chat: { ...chatPrompt, template: "v2" }, query: queryPrompt },
    models: {
      chat: { name: "gpt-4o-mini", backend: "openai-compatible" },
      embedding: { name: "contoso-offline-embedding", backend: "offline" },
      judge: { name: "gpt-4o", backend: "azure-openai" },
    },
    target: "https://chat.example.net",
    evaluators: [{ name: "f1" }, { name: "groundedness" }],
    parameters: { maxContext: 8 },
  }));
  deepEqual(diffFingerprints(a, b), [
    `data set: ${a.dataset} → ${b.dataset}`,
    `chat prompt: ${a.prompts.chat} → ${b.prompts.chat}`,
    "chat model: offline contoso-offline-chat → openai-compatible gpt-4o-mini",
    "judge model: none → azure-openai gpt-4o",
    "target: in-process → https://chat.example.net",
    "evaluators: added groundedness; removed bleu",
    "parameter maxContext: unset → 8",
  ]);
});

Deno.test("evaluateToRunDir() refuses to resume a run whose fingerprint differs", async (t) => {
  const root = await Deno.makeTempDir();
  const rows = makeRows(4);
  const evaluators = textEvaluators();
  const fingerprint = runFingerprint(input({ rows, evaluators }));
  const first = await evaluateToRunDir({
    rows: rows.slice(0, 2), // an interrupted run: two rows done
    dataset: "fake.jsonl",
    pipeline: createFakePipeline(),
    evaluators,
    runsDir: root,
    fingerprint,
  });

  await t.step("run.json and summary.json record it", async () => {
    deepEqual((await readManifest(first.dir)).fingerprint, fingerprint);
    const summary = JSON.parse(await Deno.readTextFile(join(first.dir, "summary.json")));
    deepEqual(summary.fingerprint, fingerprint);
    equal(summary.fingerprintId, fingerprintId(fingerprint));
  });

  const otherModel = runFingerprint(input({
    rows,
    evaluators,
    models: {
      chat: { name: "gpt-4o-mini", backend: "openai-compatible" },
      embedding: { name: "contoso-offline-embedding", backend: "offline" },
      judge: { name: "gpt-4o-mini", backend: "openai-compatible" },
    },
  }));

  await t.step("another chat and judge model: refused, naming both, nothing run", async () => {
    const fake = createFakePipeline();
    const error = await rejects(
      evaluateToRunDir({
        rows,
        dataset: "fake.jsonl",
        pipeline: fake,
        evaluators,
        resumeDir: first.dir,
        fingerprint: otherModel,
      }),
      (e: unknown) => {
        assert(e instanceof FingerprintMismatchError);
        assert(e instanceof ValidationError, "bad input for the CLI (exit 2)");
        deepEqual(e.differences, [
          "chat model: offline contoso-offline-chat → openai-compatible gpt-4o-mini",
          "judge model: none → openai-compatible gpt-4o-mini",
        ]);
        assert(e.message.startsWith(`Cannot resume "${first.dir}": it was run with`), e.message);
        assert(e.message.includes("--force"));
        return true;
      },
    );
    equal(error, undefined);
    equal(fake.stats.calls, 0);
  });

  await t.step("the same fingerprint resumes; --force resumes and records why", async () => {
    const same = await evaluateToRunDir({
      rows: rows.slice(0, 3),
      dataset: "fake.jsonl",
      pipeline: createFakePipeline(),
      evaluators,
      resumeDir: first.dir,
      fingerprint,
    });
    equal(same.results.length, 3);
    const forced = await evaluateToRunDir({
      rows,
      dataset: "fake.jsonl",
      pipeline: createFakePipeline(),
      evaluators,
      resumeDir: first.dir,
      fingerprint: otherModel,
      force: true,
    });
    equal(forced.results.length, 4);
    const manifest = await readManifest(first.dir);
    deepEqual(manifest.fingerprint, fingerprint, "run.json keeps what the run began with");
    equal(manifest.forced?.length, 1);
    deepEqual(manifest.forced?.[0].differences, [
      "chat model: offline contoso-offline-chat → openai-compatible gpt-4o-mini",
      "judge model: none → openai-compatible gpt-4o-mini",
    ]);
  });

  await t.step("a run without a fingerprint (older run.json) is refused too", async () => {
    const old = await evaluateToRunDir({
      rows,
      dataset: "fake.jsonl",
      pipeline: createFakePipeline(),
      evaluators,
      runsDir: root,
    });
    await rejects(
      evaluateToRunDir({
        rows,
        dataset: "fake.jsonl",
        pipeline: createFakePipeline(),
        evaluators,
        resumeDir: old.dir,
        fingerprint,
      }),
      /the run has no fingerprint/,
    );
  });

  await Deno.remove(root, { recursive: true });
});
