/**
 * Who is calling: the authentication middleware puts a `Caller` on the context and routes ask
 * `assertMayActFor(c, customerId)` before acting for a customer. This first version only
 * defines the contract (every caller is anonymous and may act for anyone); the Entra ID and
 * API-key validation replaces the body of these functions.
 *
 * @module
 */
import type { Context } from "hono";
import type { AppEnv } from "../types.ts";

/** The authenticated caller of one request. */
export type Caller =
  | { kind: "anonymous" }
  | {
    kind: "api-key"; /** Which configured key matched (its position, never the key). */
    keyIndex: number;
  }
  | {
    kind: "entra";
    subject: string;
    /** The customer the token names (the configured claim), when it names one. */
    customerId?: string;
  };

/** The caller of this request (anonymous when no authentication ran). */
export function callerOf(c: Context<AppEnv>): Caller {
  return c.get("caller") ?? { kind: "anonymous" };
}

/**
 * Throw a 403 `HttpError` when the caller may not act for `customerId` (a token that names
 * another customer). Called by routes once the request is validated.
 */
export function assertMayActFor(c: Context<AppEnv>, customerId: string): void {
  void callerOf(c);
  void customerId;
}
