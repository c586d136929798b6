/**
 * Benchmark: the chat pipeline's critical path. Every model call gets a fixed simulated
 * latency L (the offline model's knob), so the unavoidable sequential model time of one
 * request is 3L (query generation, then embeddings, then the answer). We print the measured
 * latency divided by 3L for the real pipeline and, in the same run, for a naive sequential
 * version (lookup, then queries, then one embedding and one search after another).
 *
 * Run: deno run -A bench/pipeline.ts [--latency 100] [--requests 10]
 *
 * @module
 */
import { parseArgs } from "node:util";
import {
  type ChatRequest,
  parseQueries,
  promptCustomer,
  promptDocumentation,
} from "../lib/chat/mod.ts";
import { loadConfig } from "../lib/config/mod.ts";
import { executePrompty, renderPrompty } from "../lib/prompty/mod.ts";
import { type ComposedRuntime, createRuntime } from "../lib/runtime/mod.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    latency: { type: "string", default: "100" },
    requests: { type: "string", default: "10" },
    json: { type: "boolean", default: false },
  },
});
const L = Number(values.latency);
const N = Number(values.requests);

/** The naive baseline: every step waits for the previous one. */
async function sequential(rt: ComposedRuntime, request: ChatRequest): Promise<string> {
  const customer = await rt.customers.get(request.customerId);
  const reply = await executePrompty(rt.prompts.query, rt.chatModel, {
    question: request.question,
    chat_history: [],
  }, { json: false });
  const queries = parseQueries(reply, request.question);
  const hits = [];
  for (const text of queries) {
    const [vector] = await rt.embeddingModel.embed([text]);
    hits.push(...await rt.products.search({ text, vector }, { top: 3 }));
  }
  const unique = [...new Map(hits.map((h) => [h.id, h])).values()].slice(0, 6);
  const messages = renderPrompty(rt.prompts.chat, {
    customer: promptCustomer(customer),
    documentation: promptDocumentation(unique),
    question: request.question,
    chat_history: [],
  });
  return (await rt.chatModel.complete(messages)).content;
}

async function measure(fn: () => Promise<unknown>): Promise<number[]> {
  await fn(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < N; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b);
}

const median = (xs: number[]) => xs[Math.floor(xs.length / 2)];

const runtime = await createRuntime(loadConfig({ OFFLINE_MODEL_LATENCY_MS: String(L) }));
try {
  const request = { customerId: "1", question: "What would go well with the tent I bought?" };
  const pipelined = await measure(() => runtime.pipeline.getResponse(request));
  const naive = await measure(() => sequential(runtime, request));
  const ideal = 3 * L;
  const result = {
    latencyMs: L,
    requests: N,
    idealMs: ideal,
    pipelineMedianMs: median(pipelined),
    sequentialMedianMs: median(naive),
    pipelineRatio: median(pipelined) / ideal,
    sequentialRatio: median(naive) / ideal,
    goal: 1.15,
  };
  if (values.json) console.log(JSON.stringify(result));
  else {
    console.log(
      `Pipeline critical path (model latency L = ${L} ms, ideal 3L = ${ideal} ms, ${N} requests, median)`,
    );
    console.log(
      `  pipeline    ${result.pipelineMedianMs.toFixed(1).padStart(8)} ms   ratio ${
        result.pipelineRatio.toFixed(3)
      }   goal <= ${result.goal}  ${result.pipelineRatio <= result.goal ? "PASS" : "MISS"}`,
    );
    console.log(
      `  sequential  ${result.sequentialMedianMs.toFixed(1).padStart(8)} ms   ratio ${
        result.sequentialRatio.toFixed(3)
      }`,
    );
    console.log(
      `  speed-up of the pipeline over the sequential version: ${
        (result.sequentialMedianMs / result.pipelineMedianMs).toFixed(2)
      }x`,
    );
  }
} finally {
  await runtime.close();
}
