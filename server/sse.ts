/**
 * The streaming form of the chat API as server-sent events: `context` first, then `delta`
 * events with text, then `done` with the whole `{question, answer, context}`. A failure before
 * the first event is an ordinary HTTP error (404, 502, ...); a failure after it is an `error`
 * event followed by the end of the stream, so a client never waits on a hung connection.
 *
 * @module
 */
import type { ChatEvent } from "../lib/chat/types.ts";
import { abortable } from "../lib/async/abortable.ts";
import type { Deadline } from "./deadline.ts";
import { type ErrorBody, toHttpError } from "./errors.ts";
import { toApiChatResponse, toApiContextItem } from "./wire.ts";

/** What happened on one stream, for the log line written when it ends. */
export interface StreamSummary {
  events: number;
  contextIds: string[];
  /** The error code sent in an `error` event, if any. */
  errorCode?: string;
  /** True when the client went away before the end. */
  cancelled: boolean;
  durationMs: number;
}

/** Options of {@link createEventStream}. */
export interface EventStreamOptions {
  /** Fires on client disconnect or timeout; the pipeline received the same signal. */
  deadline: Deadline;
  requestId?: string;
  /** Comment lines sent while idle so proxies keep the connection open (default 15 000 ms). */
  heartbeatMs?: number;
  onEnd?: (summary: StreamSummary) => void;
}

const encoder = new TextEncoder();

/** Format one server-sent event. Data is JSON, so it never contains a raw newline. */
export function formatEvent(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** The wire form of one pipeline event. */
export function toWireEvent(event: ChatEvent): { event: string; data: unknown } {
  switch (event.type) {
    case "context":
      return {
        event: "context",
        data: { context: event.context.map(toApiContextItem), queries: event.queries },
      };
    case "delta":
      return { event: "delta", data: { text: event.text } };
    case "done":
      return { event: "done", data: toApiChatResponse(event.response) };
  }
}

/**
 * Start streaming `events`. Awaits the first event before answering, so that errors such as
 * an unknown customer still get their HTTP status; rejects with that error.
 */
export async function createEventStream(
  events: AsyncIterable<ChatEvent>,
  options: EventStreamOptions,
): Promise<ReadableStream<Uint8Array>> {
  const { deadline } = options;
  const started = performance.now();
  const iterator = events[Symbol.asyncIterator]();
  const summary: StreamSummary = { events: 0, contextIds: [], cancelled: false, durationMs: 0 };

  let first: IteratorResult<ChatEvent>;
  try {
    first = await abortable(iterator.next(), deadline.signal);
  } catch (error) {
    deadline.clear();
    void iterator.return?.();
    throw error;
  }

  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let closed = false;
  const finish = (controller?: ReadableStreamDefaultController<Uint8Array>) => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    deadline.clear();
    try {
      controller?.close();
    } catch { /* already closed by a cancel */ }
    summary.durationMs = Math.round(performance.now() - started);
    options.onEnd?.(summary);
  };

  return new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (event: string, data: unknown) => {
        if (closed) return;
        controller.enqueue(encoder.encode(formatEvent(event, data)));
        summary.events++;
      };
      heartbeat = setInterval(() => {
        if (!closed) controller.enqueue(encoder.encode(": keep-alive\n\n"));
      }, options.heartbeatMs ?? 15_000);

      const pump = async () => {
        let result = first;
        let sawDone = false;
        try {
          while (!result.done && !closed) {
            const wire = toWireEvent(result.value);
            if (result.value.type === "context") {
              summary.contextIds = result.value.context.map((item) => item.id);
            }
            send(wire.event, wire.data);
            if (result.value.type === "done") {
              sawDone = true;
              break;
            }
            result = await abortable(iterator.next(), deadline.signal);
          }
          if (!sawDone && !closed) throw new Error("The pipeline ended without a done event");
        } catch (error) {
          if (closed) return;
          const mapped = toHttpError(error, options.requestId);
          summary.errorCode = mapped.body.error.code;
          const body: ErrorBody & { status: number } = { status: mapped.status, ...mapped.body };
          send("error", body);
        } finally {
          if (!closed) void iterator.return?.();
          finish(controller);
        }
      };
      void pump();
    },
    cancel() {
      summary.cancelled = true;
      // Abort the pipeline's work too: nobody is listening any more.
      deadline.abort();
      void iterator.return?.();
      finish();
    },
  });
}

/** Response headers of an event stream. */
export const EVENT_STREAM_HEADERS: Record<string, string> = {
  "Content-Type": "text/event-stream; charset=utf-8",
  "Cache-Control": "no-cache, no-transform",
  "X-Accel-Buffering": "no",
};
