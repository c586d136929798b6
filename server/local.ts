/**
 * The server for a notebook or a script: the very app `deno task start` serves, built from a
 * runtime that already exists, on a free local port — plus a small client for its
 * server-sent events. The Deploy notebook uses this to run and call the API before deploying;
 * with `port: "previous"` a re-run serves on the port the last local server of this process
 * used, while it is free, so an open browser tab or a Codespaces port forward stays valid.
 *
 * @module
 */
import denoJson from "../deno.json" with { type: "json" };
import type { Runtime } from "../lib/runtime/types.ts";
import { createApp, runtimeDeps } from "./app.ts";
import { createMemoryLogger } from "./logger.ts";
import { type RunningServer, startServer } from "./serve.ts";

/** A running local server and its in-memory logs. */
export interface LocalServer extends RunningServer {
  /** Structured log records (redacted, as the server writes them). */
  logs: Record<string, unknown>[];
}

/** Options of {@link startLocalServer}. */
export interface LocalServerOptions {
  /**
   * A port number (0, the default, picks a free one), or `"previous"`: the port this process's
   * last local server listened on while it is free, else a free one.
   */
  port?: number | "previous";
}

/** The port the last local server of this process listened on (kept for `port: "previous"`). */
let previousPort: number | undefined;

/**
 * Serve the app for `runtime` on 127.0.0.1 (port 0 picks a free one).
 *
 * @example
 * ```ts ignore
 * const server = startLocalServer(runtime, { port: "previous" });
 * const res = await fetch(`${server.url}/health`);
 * await server.shutdown();
 * ```
 */
export function startLocalServer(
  runtime: Runtime,
  options: LocalServerOptions = {},
): LocalServer {
  const logger = createMemoryLogger();
  const app = createApp(runtimeDeps(runtime, { logger, version: denoJson.version ?? "0.0.0" }));
  const serve = (port: number) =>
    startServer(app, { port, hostname: "127.0.0.1", logger, shutdownGraceMs: 5_000 });
  let server: RunningServer;
  if (options.port === "previous" && previousPort !== undefined) {
    try {
      server = serve(previousPort);
    } catch (error) {
      if (!(error instanceof Deno.errors.AddrInUse)) throw error;
      server = serve(0);
    }
  } else {
    server = serve(options.port === "previous" ? 0 : options.port ?? 0);
  }
  previousPort = server.addr.port;
  return Object.assign(server, { logs: logger.records });
}

/** One server-sent event with its arrival time (ms since the request started reading). */
export interface ServerSentEvent {
  event: string;
  data: unknown;
  atMs: number;
}

/** Read a `text/event-stream` body into events, in order of arrival. */
export async function* readServerSentEvents(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<ServerSentEvent> {
  const start = performance.now();
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const lines = block.split("\n").filter((l) => l && !l.startsWith(":"));
      if (lines.length === 0) continue;
      const event = lines.find((l) => l.startsWith("event:"))?.slice(6).trim() ?? "message";
      const text = lines.filter((l) => l.startsWith("data:")).map((l) => l.slice(5).trimStart())
        .join("\n");
      let data: unknown = text;
      try {
        data = JSON.parse(text);
      } catch {
        // a plain-text event: keep the text
      }
      yield { event, data, atMs: performance.now() - start };
    }
  }
}
