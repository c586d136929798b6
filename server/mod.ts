/**
 * The server's public entry for notebooks and scripts: the very app `deno task start` serves,
 * on a free local port for a runtime that already exists (`startLocalServer`), and a client
 * for its server-sent events (`readServerSentEvents`). Its modules' internals (the app's
 * wiring, middleware, routes) stay behind it, so a notebook imports only this file.
 *
 * @example
 * ```ts ignore
 * import { readServerSentEvents, startLocalServer } from "../server/mod.ts";
 * const server = startLocalServer(runtime, { port: "previous" });
 * await server.shutdown();
 * ```
 *
 * @module
 */
export {
  type LocalServer,
  type LocalServerOptions,
  readServerSentEvents,
  type ServerSentEvent,
  startLocalServer,
} from "./local.ts";
