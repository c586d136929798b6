/**
 * The chat pipeline: look the customer up while the question becomes search queries; embed
 * every query in one call; run the searches concurrently; de-duplicate; then answer from
 * exactly that material with the chat prompt. Each step is an OpenTelemetry span, and the
 * response reports the spans' timings (the same clock readings, see `tracing/span_timing.ts`).
 *
 * @module
 */
import { context as otelContext, trace } from "@opentelemetry/api";
import type { Customer, CustomerStore } from "../customers/types.ts";
import type { ChatCompletion, ChatModel, EmbeddingModel, TokenUsage } from "../models/types.ts";
import type { ProductSearch, SearchHit } from "../products/types.ts";
import { executePrompty, renderPrompty } from "../prompty/mod.ts";
import type { Prompty } from "../prompty/types.ts";
import type { ChatEvent, ChatPipeline, ChatRequest, ChatResponse } from "./types.ts";
import { toContextItem } from "./context_item.ts";
import { parseQueries, prepareRequest, promptCustomer, promptDocumentation } from "./prepare.ts";
import { checkPipelinePrompts } from "./prompt_check.ts";
import { ownedItemQueries } from "./owned_items.ts";
import { genAiAttributes } from "../tracing/gen_ai.ts";
import { recordFailure, type SpanTimeline, spanTimeline } from "../tracing/span_timing.ts";

/** Dependencies and knobs of the pipeline. */
export interface ChatPipelineOptions {
  chatModel: ChatModel;
  /** Model for query generation (default: the chat model). */
  queryModel?: ChatModel;
  embeddings: EmbeddingModel;
  customers: CustomerStore;
  products: ProductSearch;
  chatPrompt: Prompty;
  queryPrompt: Prompty;
  /** Hits per query (default 3). */
  topPerQuery?: number;
  /** Most context items passed to the model (default 6). */
  maxContext?: number;
}

const tracer = trace.getTracer("contoso-chat");

/** Merge hits of several queries: one entry per id, best score kept, best first. */
export function dedupeHits(lists: SearchHit[][], max: number): SearchHit[] {
  const best = new Map<string, SearchHit>();
  // Interleave so that each query contributes its top hits before any query's second-best.
  const depth = Math.max(0, ...lists.map((l) => l.length));
  const ordered: SearchHit[] = [];
  for (let i = 0; i < depth; i++) for (const list of lists) if (list[i]) ordered.push(list[i]);
  for (const hit of ordered) {
    const seen = best.get(hit.id);
    if (!seen || hit.score > seen.score) best.set(hit.id, seen ? { ...hit } : hit);
  }
  return [...best.values()].slice(0, max);
}

/** Sums the usage the model calls of one request report. */
function usageMeter() {
  let total: TokenUsage | undefined;
  return {
    add(completion: Pick<ChatCompletion, "usage">) {
      const u = completion.usage;
      if (!u) return;
      total = {
        promptTokens: (total?.promptTokens ?? 0) + u.promptTokens,
        completionTokens: (total?.completionTokens ?? 0) + u.completionTokens,
      };
    },
    get total() {
      return total;
    },
  };
}

type UsageMeter = ReturnType<typeof usageMeter>;

/** The model as one request sees it: its completions add to the request's usage. */
function metered(model: ChatModel, meter: UsageMeter): ChatModel {
  return {
    name: model.name,
    backend: model.backend,
    async complete(messages, options) {
      const completion = await model.complete(messages, options);
      meter.add(completion);
      // The step's span (queries.generate) describes this call in the GenAI conventions.
      trace.getActiveSpan()?.setAttributes(genAiAttributes({
        operation: "chat",
        backend: model.backend,
        model: model.name,
        temperature: options?.temperature,
        maxTokens: options?.maxTokens,
        topP: options?.topP,
        usage: completion.usage,
      }));
      return completion;
    },
    stream: (messages, options) => model.stream(messages, options),
  };
}

/**
 * Build the pipeline. Its prompts are rendered once with request-shaped inputs first, so a
 * prompt that cannot serve a request throws here (naming the file), not on the first request.
 *
 * @example
 * ```ts ignore
 * const pipeline = createChatPipeline({ chatModel, embeddings, customers, products, chatPrompt, queryPrompt });
 * const { answer, context } = await pipeline.getResponse({ customerId: "1", question: "Which tent is lightest?" });
 * ```
 */
export function createChatPipeline(options: ChatPipelineOptions): ChatPipeline {
  // A prompt that cannot render fails here, when the process starts, not on the first request.
  checkPipelinePrompts(options);
  const queryModel = options.queryModel ?? options.chatModel;
  const top = options.topPerQuery ?? 3;
  const maxContext = options.maxContext ?? 6;

  /** Everything before the answer: customer, queries, context and the chat messages. */
  async function retrieve(
    request: ChatRequest,
    timeline: SpanTimeline,
    meter: UsageMeter,
  ) {
    const { customerId, question, chatHistory } = prepareRequest(request);
    const { signal, onRetry } = request;
    const [customer, generated] = await Promise.all([
      timeline.run("customer.lookup", async (span) => {
        span.setAttribute("customer.id", customerId);
        return await options.customers.get(customerId, { signal });
      }),
      timeline.run("queries.generate", async (span) => {
        let reply: unknown;
        try {
          reply = await executePrompty(options.queryPrompt, metered(queryModel, meter), {
            question,
            chat_history: chatHistory,
          }, {
            json: false,
            signal,
            onRetry,
          });
        } catch (error) {
          if (error instanceof SyntaxError) reply = "";
          else throw error;
        }
        const queries = parseQueries(reply, question);
        span.setAttribute("queries.count", queries.length);
        return queries;
      }),
    ]);
    // Owned items the question refers to ("my sleeping bag") are searched by name, first.
    const owned = ownedItemQueries(question, (customer as Customer).orders ?? []);
    const queries = owned.length > 0 ? [...new Set([...owned, ...generated])] : generated;
    const vectors = await timeline.run("queries.embed", (span) => {
      span.setAttributes(genAiAttributes({
        operation: "embeddings",
        backend: options.embeddings.backend,
        model: options.embeddings.name,
      }));
      return options.embeddings.embed(queries, { signal, onRetry });
    });
    const hits = await timeline.run("products.search", async (span) => {
      const lists = await Promise.all(
        queries.map((text, i) =>
          options.products.search({ text, vector: vectors[i] }, { top, signal })
        ),
      );
      const merged = dedupeHits(lists, maxContext);
      span.setAttribute("search.hits", merged.length);
      return merged;
    });
    const context = hits.map(toContextItem);
    // Every prompt gets the standard inputs, whatever it declares: one written for another
    // runtime uses what it knows and Jinja2 semantics leave the rest undefined.
    const messages = renderPrompty(options.chatPrompt, {
      customer: promptCustomer(customer as Customer),
      documentation: promptDocumentation(context),
      question,
      chat_history: chatHistory,
    });
    return { question, queries, context, messages };
  }

  const parameters = () => ({
    temperature: options.chatPrompt.parameters.temperature,
    maxTokens: options.chatPrompt.parameters.maxTokens,
    topP: options.chatPrompt.parameters.topP,
  });

  return {
    async getResponse(request: ChatRequest): Promise<ChatResponse> {
      const timeline = spanTimeline(tracer);
      return await tracer.startActiveSpan(
        "chat.request",
        { startTime: timeline.now() },
        async (root) => {
          const meter = usageMeter();
          try {
            const { question, queries, context, messages } = await retrieve(
              request,
              timeline,
              meter,
            );
            const completion = await timeline.run("chat.answer", async (span) => {
              const answer = await options.chatModel.complete(messages, {
                ...parameters(),
                signal: request.signal,
                onRetry: request.onRetry,
              });
              span.setAttributes(genAiAttributes({
                operation: "chat",
                backend: options.chatModel.backend,
                model: options.chatModel.name,
                ...parameters(),
                usage: answer.usage,
              }));
              return answer;
            });
            meter.add(completion);
            const usage = meter.total;
            return {
              question,
              answer: completion.content,
              context,
              queries,
              timings: timeline.timings,
              ...(usage ? { usage } : {}),
            };
          } catch (error) {
            recordFailure(root, error);
            throw error;
          } finally {
            root.end(timeline.now());
          }
        },
      );
    },

    async *streamResponse(request: ChatRequest): AsyncIterable<ChatEvent> {
      const timeline = spanTimeline(tracer);
      const meter = usageMeter();
      const root = tracer.startSpan("chat.request.stream", { startTime: timeline.now() });
      try {
        // A generator cannot hold an active span across yields: give each step the root's context.
        const rootContext = trace.setSpan(otelContext.active(), root);
        const { question, queries, context: items, messages } = await otelContext.with(
          rootContext,
          () => retrieve(request, timeline, meter),
        );
        yield { type: "context", context: items, queries };
        const answerSpan = timeline.start("chat.answer", {
          attributes: genAiAttributes({
            operation: "chat",
            backend: options.chatModel.backend,
            model: options.chatModel.name,
            ...parameters(),
          }),
          context: rootContext,
        });
        let answer = "";
        try {
          for await (
            const text of options.chatModel.stream(messages, {
              ...parameters(),
              signal: request.signal,
              onRetry: request.onRetry,
            })
          ) {
            answer += text;
            yield { type: "delta", text };
          }
        } finally {
          answerSpan.end();
        }
        // A streamed answer reports no usage, so the stream's response has none (not a part).
        yield {
          type: "done",
          response: { question, answer, context: items, queries, timings: timeline.timings },
        };
      } catch (error) {
        recordFailure(root, error);
        throw error;
      } finally {
        root.end(timeline.now());
      }
    },
  };
}
