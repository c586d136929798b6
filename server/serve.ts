/**
 * Serving the app with `Deno.serve` and stopping it gracefully: on shutdown the listener
 * closes at once, in-flight requests (streams included) finish, and only then does
 * {@link RunningServer.shutdown} resolve - or after a grace period, so a stuck client cannot
 * keep a container from stopping. The app gets a `draining` signal in its bindings that fires
 * when shutdown starts, so a body still arriving is cut off within seconds (see
 * `middleware/body_limit.ts`) instead of holding the process for the whole grace period.
 *
 * What Deno.serve does not bound (measured on Deno 2.9.6): time to send the request head, idle
 * keep-alive connections, and a client that keeps trickling body bytes after its response.
 * Those connections carry no request, so no handler or memory is held; the ingress in front
 * (Azure Container Apps) bounds them, and shutdown closes them at once.
 *
 * @module
 */
import { delay } from "../lib/async/delay.ts";
import type { Logger } from "./logger.ts";

/**
 * Default longest wait for in-flight requests on shutdown. Shorter than the 30 s Azure
 * Container Apps gives a replica between SIGTERM and SIGKILL (the template's
 * `terminationGracePeriodSeconds`, which a test holds above this).
 */
export const DEFAULT_SHUTDOWN_GRACE_MS = 25_000;

/** Options of {@link startServer}. */
export interface StartServerOptions {
  /** Port to listen on; 0 picks a free one. */
  port: number;
  /** Interface to bind (default `0.0.0.0`, as a container needs). */
  hostname?: string;
  logger?: Logger;
  /** Longest wait for in-flight requests when shutting down ({@link DEFAULT_SHUTDOWN_GRACE_MS}). */
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

/** What the app receives as its bindings (Hono's `c.env`) with each request. */
export interface ServeBindings {
  /** The client's address (the connection's peer). */
  remoteAddr: Deno.NetAddr;
  /** Resolves when the response has been sent (or the client went away). */
  completed: Promise<void>;
  /** Fires when the server starts shutting down. */
  draining: AbortSignal;
}

/** Anything with a fetch handler that takes the {@link ServeBindings} (a Hono app). */
export interface FetchApp {
  fetch(request: Request, bindings: ServeBindings): Response | Promise<Response>;
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
  const draining = new AbortController();
  // Requests whose response is not yet sent (Deno's `completed`), to know when only idle or
  // stuck connections are left.
  let inFlight = 0;
  let onIdle: (() => void) | undefined;
  const settled = () => {
    if (--inFlight === 0) onIdle?.();
  };
  const server = Deno.serve({
    port: options.port,
    hostname: options.hostname ?? "0.0.0.0",
    onListen: (addr) => {
      listening = addr;
      options.onListen?.(addr);
    },
    onError: (error) => {
      // Reached only if the app itself failed to produce a response (onError covers the rest).
      const requestId = crypto.randomUUID();
      options.logger?.log("error", "unhandled server error", {
        requestId,
        error: error instanceof Error ? error.name : "unknown",
      });
      const body = {
        error: { code: "internal_error", message: "Something went wrong", requestId },
      };
      return new Response(JSON.stringify(body), {
        status: 500,
        headers: { "content-type": "application/json", "x-request-id": requestId },
      });
    },
  }, (request, info) => {
    inFlight++;
    info.completed.then(settled, settled);
    return app.fetch(request, {
      remoteAddr: info.remoteAddr,
      completed: info.completed,
      draining: draining.signal,
    });
  });
  const addr = listening ?? (server.addr as Deno.NetAddr);

  let stopping: Promise<{ graceful: boolean }> | undefined;
  return {
    addr,
    url: `http://localhost:${addr.port}`,
    finished: server.finished,
    shutdown() {
      stopping ??= (async () => {
        const grace = options.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS;
        draining.abort();
        // Both waits below end when shutdown is decided, so no timer outlives it.
        const decided = new AbortController();
        const after = (ms: number, value: boolean) =>
          delay(ms, { signal: decided.signal }).then(() => value, () => value);
        const expired = after(grace, false);
        const closed = server.shutdown().then(() => true);
        // Deno's shutdown also waits for a connection whose request body was cut off at
        // shutdown, even after its response is sent (measured on 2.9.6: the whole grace
        // period). Once no response is pending, nothing is lost by stopping; what is left are
        // connections without a request, which close when the process exits.
        const idle = new Promise<boolean>((resolve) => {
          onIdle = () => resolve(true);
          if (inFlight === 0) resolve(true);
        }).then(() => Promise.race([closed, after(200, true)]));
        const graceful = await Promise.race([closed, idle, expired]);
        decided.abort();
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
