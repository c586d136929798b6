/**
 * Retries in one layer, over a real HTTP hop: the real pipeline and the real OpenAI-compatible
 * model client talk to a fake server on loopback that answers 429 with `Retry-After: 0`. The
 * model client's bounded retries are the only ones: a retried answer does not redo the
 * customer lookup or the searches, each retry is counted once in the row and the summary,
 * and a persistent 429 costs exactly 1 + MODEL_MAX_RETRIES sends per model call. And the
 * gate: rows the chat model refused with HTTP 400 fail the run even when the answered rows'
 * mean passes.
 *
 * @module
 */
import { deepEqual, equal, ok as assert } from "node:assert/strict";
import { join } from "node:path";
import { createChatPipeline } from "../lib/chat/pipeline.ts";
import { loadConfig } from "../lib/config/load.ts";
import type { ModelConfig } from "../lib/config/types.ts";
import { createMemoryCustomerStore } from "../lib/customers/memory_customer_store.ts";
import type { Customer } from "../lib/customers/types.ts";
import { evaluateToRunDir } from "../lib/evaluate/run.ts";
import { runEvaluation } from "../lib/evaluate/runner.ts";
import { createJudge } from "../lib/evaluate/judges.ts";
import { checkGate, formatGate } from "../lib/evaluate/gate.ts";
import { f1Evaluator } from "../lib/evaluate/text_evaluators.ts";
import { createChatModel, createEmbeddingModel } from "../lib/models/factory.ts";
import type { ProductSearch, SearchHit } from "../lib/products/types.ts";
import { loadPrompty } from "../lib/prompty/mod.ts";
import { errorResponse, makeRows, startFakeChatServer } from "../lib/evaluate/_fakes.ts";

const MAX_RETRIES = loadConfig({}).modelMaxRetries; // MODEL_MAX_RETRIES' default

const customer: Customer = {
  id: "41",
  firstName: "Ximena",
  lastName: "Okafor",
  age: 51,
  email: "ximena@example.org",
  phone: "555-0141",
  address: "9 Fir Lane",
  membership: "Silver",
  orders: [],
};

const hit: SearchHit = {
  id: "p7",
  kind: "product",
  productId: "7",
  title: "Ridgeline Stove",
  url: "/products/7",
  content: "A two-burner camp stove that weighs 2.1 kg.",
  category: "Cooking",
  brand: "Ridgeline",
  score: 1,
};

/** The query-generation request asks for JSON; the answer does not. */
const isQueryGeneration = (body: Record<string, unknown>) => body.response_format !== undefined;

async function pipelineOn(baseURL: string) {
  const config: ModelConfig = { backend: "openai-compatible", baseURL, model: "fake-chat" };
  const model = createChatModel(config, { maxRetries: MAX_RETRIES, retryBaseDelayMs: 0 });
  const embeddings = createEmbeddingModel({ ...config, model: "fake-embed", dimensions: 3 }, {
    maxRetries: MAX_RETRIES,
    retryBaseDelayMs: 0,
  });
  const store = createMemoryCustomerStore([customer]);
  const counts = { lookups: 0, searches: 0 };
  const customers = {
    ...store,
    get: (id: string, o?: { signal?: AbortSignal }) => (counts.lookups++, store.get(id, o)),
  };
  const products: ProductSearch = {
    backend: "fake",
    search: () => (counts.searches++, Promise.resolve([hit])),
    upsert: () => Promise.resolve(0),
    count: () => Promise.resolve(1),
  };
  const pipeline = createChatPipeline({
    chatModel: model,
    embeddings,
    customers,
    products,
    chatPrompt: await loadPrompty("prompts/chat.prompty"),
    queryPrompt: await loadPrompty("prompts/product.prompty"),
  });
  return { pipeline, counts, model };
}

function oneRow() {
  const [row] = makeRows(1);
  return [{ ...row, customerId: "41", question: "How heavy is the Ridgeline stove?" }];
}

Deno.test({
  name: "runEvaluation() counts the model client's retries and never repeats lookup or search",
  sanitizeResources: false,
  async fn() {
    let answers = 0;
    const server = startFakeChatServer((body) => {
      if (isQueryGeneration(body)) return '["ridgeline stove weight"]';
      answers++;
      return answers <= 2
        ? errorResponse(429, { "retry-after": "0" })
        : "Hi Ximena! The Ridgeline Stove weighs 2.1 kg.";
    });
    const runs = await Deno.makeTempDir();
    try {
      const { pipeline, counts } = await pipelineOn(server.baseURL);
      const run = await evaluateToRunDir({
        rows: oneRow(),
        dataset: "retries.jsonl",
        pipeline,
        evaluators: [],
        runsDir: runs,
      });
      const [row] = run.results;
      equal(row.status, "ok");
      equal(row.answer, "Hi Ximena! The Ridgeline Stove weighs 2.1 kg.");
      equal(answers, 3, "two 429s, then the answer");
      equal(counts.lookups, 1, "the customer is looked up once");
      equal(counts.searches, 1, "the search runs once");
      equal(server.requests.filter((r) => r.path.endsWith("/embeddings")).length, 1);
      equal(row.retries, 2);
      equal(run.summary.retries, 2);
      const written = JSON.parse(await Deno.readTextFile(join(run.dir, "summary.json")));
      equal(written.retries, 2);
      // usage: query generation and the answer, 20 + 5 tokens each on the fake
      deepEqual(row.usage, { promptTokens: 40, completionTokens: 10 });
      assert(typeof row.latencyMs === "number" && row.latencyMs >= 0);
    } finally {
      await server.close();
      await Deno.remove(runs, { recursive: true });
    }
  },
});

Deno.test({
  name: "runEvaluation() under a persistent 429: 1 + MODEL_MAX_RETRIES sends per model call",
  sanitizeResources: false,
  async fn(t) {
    await t.step(
      "the answer: the row fails after exactly 1 + MODEL_MAX_RETRIES sends",
      async () => {
        let answers = 0;
        const server = startFakeChatServer((body) => {
          if (isQueryGeneration(body)) return '["stove"]';
          answers++;
          return errorResponse(429, { "retry-after": "0" });
        });
        try {
          const { pipeline, counts } = await pipelineOn(server.baseURL);
          const run = await runEvaluation(oneRow(), { pipeline, evaluators: [] });
          const [row] = run.results;
          equal(row.status, "failed");
          equal(row.error?.status, 429);
          equal(answers, 1 + MAX_RETRIES);
          equal(row.retries, MAX_RETRIES);
          equal(run.retries, MAX_RETRIES);
          equal(counts.lookups, 1);
          equal(counts.searches, 1);
        } finally {
          await server.close();
        }
      },
    );

    await t.step(
      "a judge: 1 + MODEL_MAX_RETRIES sends, the score missing, the row ok",
      async () => {
        const chat = startFakeChatServer((body) =>
          isQueryGeneration(body) ? '["stove"]' : "Hi Ximena! It weighs 2.1 kg."
        );
        let judged = 0;
        const judgeServer = startFakeChatServer(() => {
          judged++;
          return errorResponse(429, { "retry-after": "0" });
        });
        try {
          const { pipeline } = await pipelineOn(chat.baseURL);
          const judgeModel = createChatModel(
            { backend: "openai-compatible", baseURL: judgeServer.baseURL, model: "fake-judge" },
            { maxRetries: MAX_RETRIES, retryBaseDelayMs: 0, service: "eval-model" },
          );
          const judge = createJudge(
            await loadPrompty("prompts/evaluators/groundedness.prompty"),
            judgeModel,
          );
          const run = await runEvaluation(oneRow(), { pipeline, evaluators: [judge] });
          const [row] = run.results;
          equal(row.status, "ok");
          equal(row.scores.groundedness.value, null);
          equal(judged, 1 + MAX_RETRIES, "not multiplied by a runner retry");
          equal(row.retries, MAX_RETRIES, "each of the client's retries counted once");
          equal(run.retries, MAX_RETRIES);
        } finally {
          await chat.close();
          await judgeServer.close();
        }
      },
    );
  },
});

Deno.test({
  name: "checkGate() fails a run with 11 of 32 rows failed on HTTP 400, though the mean passes",
  sanitizeResources: false,
  async fn() {
    const reply = "Hi Ximena! The Ridgeline Stove weighs 2.1 kg.";
    const failing = new Set([2, 3, 5, 8, 11, 13, 17, 19, 23, 29, 31]);
    const server = startFakeChatServer((body) => {
      if (isQueryGeneration(body)) return '["stove"]';
      const messages = body.messages as { content: string }[];
      const n = Number(/Question (\d+)\b/.exec(messages.at(-1)!.content)?.[1]);
      return failing.has(n) ? errorResponse(400) : reply;
    });
    const runs = await Deno.makeTempDir();
    try {
      const { pipeline } = await pipelineOn(server.baseURL);
      const rows = makeRows(32).map((r, i) => ({
        ...r,
        customerId: "41",
        question: `Question ${i + 1}: what does the Ridgeline stove weigh?`,
        truth: reply,
      }));
      const run = await evaluateToRunDir({
        rows,
        dataset: "gate.jsonl",
        pipeline,
        evaluators: [f1Evaluator],
        runsDir: runs,
      });
      equal(run.summary.rows.ok, 21);
      equal(run.summary.rows.failed, 11);
      const f1 = run.summary.metrics.find((m) => m.name === "f1")!;
      equal(f1.mean, 1, "every answered row scores 1");
      equal(f1.count, 21);
      assert(
        run.results.filter((r) => r.status === "failed").every((r) => r.error?.status === 400),
      );
      equal(run.summary.retries, 0, "a 400 is not retried");

      const gate = checkGate(run.summary, { thresholds: [{ metric: "f1", min: 0.5 }] });
      equal(gate.passed, false);
      const lines = formatGate(gate);
      equal(lines[0], "Gate: 21 of 32 rows answered, 11 failed");
      assert(
        lines.includes("FAIL  failed rows <= 0: 11 of 32 — 11 rows failed, at most 0 allowed"),
      );
      assert(
        lines.includes(
          "PASS  f1 >= 0.5: mean 1.00, n 21 of 32 (11 missing, 11 of them failed rows)",
        ),
      );
      equal(lines.at(-1), "Gate failed");
      // allowing the failures explicitly is the only way through
      equal(
        checkGate(run.summary, {
          thresholds: [{ metric: "f1", min: 0.5 }],
          maxFailed: { rows: 11 },
        }).passed,
        true,
      );
    } finally {
      await server.close();
      await Deno.remove(runs, { recursive: true });
    }
  },
});
