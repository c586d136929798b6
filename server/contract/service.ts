/**
 * The service half of the API contract: the greeting at `/`, liveness at `/health` and
 * readiness at `/ready`, defined once with zod for the routes' types and `/openapi.json`.
 *
 * @module
 */
import { z } from "@hono/zod-openapi";
import type { ServiceCheck } from "../../lib/runtime/types.ts";

/** `GET /`: the name, the version and where to go next. */
export const GreetingSchema = z.object({
  name: z.string(),
  version: z.string(),
  chat: z.string().openapi({ description: "The chat page" }),
  docs: z.string().openapi({ description: "The interactive API documentation" }),
  openapi: z.string().openapi({ description: "This document" }),
}).openapi("Greeting");

/** `GET /health`: the process answers. */
export const HealthSchema = z.object({ status: z.literal("ok"), version: z.string() })
  .openapi("Health");

/** One dependency in the `/ready` answer (no error text: that goes to the log). */
export const ReadinessEntrySchema = z.object({
  service: z.string(),
  backend: z.string(),
  ok: z.boolean(),
  latencyMs: z.number().int().min(0),
}).openapi("ReadinessEntry");

/** `GET /ready`: every dependency answered its check, or which did not. */
export const ReadinessSchema = z.object({
  status: z.enum(["ready", "not_ready"]),
  failed: z.array(z.string()).openapi({ description: "Services whose check failed" }),
  checks: z.array(ReadinessEntrySchema),
}).openapi("Readiness");

/** One dependency in the `/ready` answer. */
export type ReadinessEntry = z.infer<typeof ReadinessEntrySchema>;

// The readiness entry is the check without its free text: tied so a renamed field fails `deno check`.
type Fits<A, B> = [A] extends [B] ? true : false;
const checksFeedTheEntries: Fits<Pick<ServiceCheck, keyof ReadinessEntry>, ReadinessEntry> = true;
void checksFeedTheEntries;
