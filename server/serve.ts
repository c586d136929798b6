/**
 * Serving the app with `Deno.serve` and stopping it gracefully: on shutdown the listener
 * closes at once, in-flight requests (streams included) finish, and only then does
 * {@link RunningServer.shutdown} resolve - or after a grace period, so a stuck client cannot
 * keep a container from stopping.
 *
 * @module
 */
import type { Logger } from "./logger.ts";

/** Options of {@link startServer}. */
export interface StartServerOptions {
  /** Port to listen on; 0 picks a free one. */
  port: number;
  /** Interface to bind (default `0.0.0.0`, as a container needs). */
  hostname?: string;
  logger?: Logger;
  /** Longest wait for in-flight requests when shutting down (default 25 000 ms). */
  shutdownGraceMs?: number;
  /** Called once the socket listens, with the real address. */
  onListen?: (addr: Deno.NetAddr) => void;
}

/** A listening server. */
export interface RunningServer {
  addr: Deno.NetAddr;
  /** `http://localhost:PORT` */
  url: string;
  /** Resolves when the server has stopped. */
  finished: Promise<void>;
  /** Stop accepting, let in-flight requests finish (up to the grace period). Idempotent. */
  shutdown(): Promise<{ graceful: boolean }>;
}

/** Anything with a fetch handler that takes Deno's connection info (a Hono app). */
export interface FetchApp {
  fetch(request: Request, info: Deno.ServeHandlerInfo<Deno.NetAddr>): Response | Promise<Response>;
}

/**
 * Serve `app`.
 *
 * @example
 * ```ts ignore
 * const server = startServer(app, { port: 0 });
 * await fetch(`${server.url}/health`);
 * await server.shutdown();
 * ```
 */
export function startServer(app: FetchApp, options: StartServerOptions): RunningServer {
  let listening: Deno.NetAddr | undefined;
  const server = Deno.serve({
    port: options.port,
    hostname: options.hostname ?? "0.0.0.0",
    onListen: (addr) => {
      listening = addr;
      options.onListen?.(addr);
    },
    onError: (error) => {
      // Reached only if the app itself failed to produce a response (onError covers the rest).
      options.logger?.log("error", "unhandled server error", {
        error: error instanceof Error ? error.name : "unknown",
      });
      return new Response(
        JSON.stringify({ error: { code: "internal_error", message: "Something went wrong" } }),
        { status: 500, headers: { "content-type": "application/json" } },
      );
    },
  }, (request, info) => app.fetch(request, info));
  const addr = listening ?? (server.addr as Deno.NetAddr);

  let stopping: Promise<{ graceful: boolean }> | undefined;
  return {
    addr,
    url: `http://localhost:${addr.port}`,
    finished: server.finished,
    shutdown() {
      stopping ??= (async () => {
        const grace = options.shutdownGraceMs ?? 25_000;
        let timer: ReturnType<typeof setTimeout> | undefined;
        const expired = new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(false), grace);
        });
        const graceful = await Promise.race([server.shutdown().then(() => true), expired]);
        clearTimeout(timer);
        return { graceful };
      })();
      return stopping;
    },
  };
}

/**
 * Call `onSignal` once on SIGTERM or SIGINT (Ctrl+C); a second signal exits at once.
 * Returns a function that removes the listeners.
 */
export function onShutdownSignal(onSignal: (signal: Deno.Signal) => void): () => void {
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGTERM", "SIGINT"];
  let received = false;
  const handlers = signals.map((signal) => {
    const handler = () => {
      if (received) Deno.exit(130);
      received = true;
      onSignal(signal);
    };
    Deno.addSignalListener(signal, handler);
    return [signal, handler] as const;
  });
  return () => {
    for (const [signal, handler] of handlers) Deno.removeSignalListener(signal, handler);
  };
}
