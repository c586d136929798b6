/**
 * What the HTTP app is built from: the dependencies `createApp(deps)` receives, already
 * constructed by the composition root (`server/main.ts`) or by a test. Kept apart from
 * `app.ts` so that routes and middleware can name them without importing the app.
 *
 * @module
 */
import type { ServerConfig } from "../lib/config/types.ts";
import type { ChatPipeline } from "../lib/chat/types.ts";
import type { CustomerStore } from "../lib/customers/types.ts";
import type { SourceStore } from "../lib/products/sources.ts";
import type { ServiceCheck } from "../lib/runtime/types.ts";
import type { Logger } from "./logger.ts";
import type { AuthenticateOptions, Caller } from "./middleware/auth.ts";

/** Everything the app needs, built once per process. */
export interface AppDeps {
  /** Only the `server` section is read (port, CORS, API key, limits). */
  config: { server: ServerConfig };
  pipeline: ChatPipeline;
  /** Read for the chat page's customer picker (`GET /api/customers`). */
  customers: Pick<CustomerStore, "list">;
  /** Readiness: one check per dependency (the runtime's `checkServices`). */
  checkServices(options?: { signal?: AbortSignal }): Promise<ServiceCheck[]>;
  /**
   * Where `GET /products/{id}` and `GET /manuals/{file}` read cited sources (the runtime's
   * `sources`); absent: every id is unknown.
   */
  sources?: SourceStore;
  /** Structured logger; defaults to JSON lines on stdout. */
  logger?: Logger;
  /** Version shown by `GET /` and in the OpenAPI document. */
  version?: string;
  /** Deadline of one chat request, streaming included (default 120 000 ms). */
  requestTimeoutMs?: number;
  /** Longest time a client may take to send a request body (default 10 000 ms; 408 after). */
  bodyTimeoutMs?: number;
  /** How long a readiness result is reused, so probes do not call the model each time (default 10 000 ms). */
  readinessCacheMs?: number;
  /**
   * Reverse proxies in front of the server whose `X-Forwarded-For` entry is trusted for the
   * per-client rate limit (default 0: the connection's address; 1 behind Azure Container Apps).
   */
  trustedProxyHops?: number;
  /** JWKS fetch and timings of the Entra ID token check (tests shorten them). */
  authOptions?: AuthenticateOptions;
  /** Clock in milliseconds, for the rate limiter (tests pass a fake). */
  now?: () => number;
}

/** Per-request values middleware puts on the Hono context. */
export interface AppVariables {
  requestId: string;
  /** Ids worth logging with the request line (customer id, context ids); never text. */
  logFields: Record<string, unknown>;
  /** Set by the authentication middleware; absent when none ran. */
  caller?: Caller;
}

/** The Hono environment of the app: Deno.serve's connection info arrives as bindings. */
export interface AppEnv {
  Bindings: {
    remoteAddr?: { hostname: string; port?: number; transport?: string };
    /** Fires when the server starts shutting down (set by `startServer`). */
    draining?: AbortSignal;
  };
  Variables: AppVariables;
}
