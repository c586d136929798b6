/**
 * Run identity: what an evaluation run evaluates, as a fingerprint of everything that changes
 * its results — the data set's rows, the chat and query prompts, the chat, embedding and judge
 * models (name and backend), the target endpoint, the evaluator set and the parameters that
 * shape an answer. It is recorded in `run.json` and `summary.json`; `--resume` refuses to
 * continue a run whose fingerprint differs, and compare warns when two runs differ, both
 * through {@link diffFingerprints}, which says what differs in words. Concurrency and the
 * run's name are not part of it: they change how fast a run goes, not what it measures.
 *
 * @module
 */
import { shortHash, stableJson } from "../text/hash.ts";
import type { Prompty } from "../prompty/types.ts";
import type { EvalCase } from "./types.ts";

/** A model as the fingerprint records it. */
export interface ModelIdentity {
  name: string;
  backend: string;
}

/** The identity of a run. Plain JSON, so it survives `run.json`. */
export interface RunFingerprint {
  /** Hash of the data set's rows (their ids and content). */
  dataset: string;
  /** Hashes of the chat and query prompts (template and model parameters). */
  prompts: { chat: string; query: string };
  models: { chat: ModelIdentity; embedding: ModelIdentity; judge?: ModelIdentity };
  /** The endpoint's URL for a `--target` run; absent for the in-process pipeline. */
  target?: string;
  /** Names of the evaluators that ran, sorted. */
  evaluators: string[];
  /** Settings that change the answers or the scores (e.g. `topPerQuery`, `maxContext`). */
  parameters: Record<string, unknown>;
}

/** Hash of a data set: its rows' ids and content fingerprints, in order. */
export function hashDataset(rows: readonly Pick<EvalCase, "id" | "fingerprint">[]): string {
  return shortHash(stableJson(rows.map((r) => [r.id, r.fingerprint])));
}

/** Hash of a prompt: its template and model parameters (not its path or description). */
export function hashPrompt(prompt: Pick<Prompty, "template" | "parameters">): string {
  return shortHash(stableJson({ template: prompt.template, parameters: prompt.parameters }));
}

/** What {@link runFingerprint} needs. */
export interface FingerprintInput {
  rows: readonly Pick<EvalCase, "id" | "fingerprint">[];
  /** The prompts that answer; absent for a `--target` run (the endpoint's are unknown). */
  prompts?: {
    chat: Pick<Prompty, "template" | "parameters">;
    query: Pick<Prompty, "template" | "parameters">;
  };
  models: { chat: ModelIdentity; embedding: ModelIdentity; judge?: ModelIdentity };
  target?: string;
  evaluators: readonly { name: string }[];
  parameters?: Record<string, unknown>;
}

/**
 * Compute a run's fingerprint.
 *
 * @example
 * ```ts
 * import { runFingerprint } from "./fingerprint.ts";
 * const p = { template: "Answer {{question}}", parameters: {} };
 * const f = runFingerprint({
 *   rows: [{ id: "row-0001", fingerprint: "ab12" }],
 *   prompts: { chat: p, query: p },
 *   models: { chat: { name: "m", backend: "offline" }, embedding: { name: "e", backend: "offline" } },
 *   evaluators: [{ name: "f1" }],
 * });
 * console.assert(f.evaluators[0] === "f1");
 * ```
 */
export function runFingerprint(input: FingerprintInput): RunFingerprint {
  const model = (m: ModelIdentity) => ({ name: m.name, backend: m.backend });
  return {
    dataset: hashDataset(input.rows),
    prompts: input.prompts
      ? { chat: hashPrompt(input.prompts.chat), query: hashPrompt(input.prompts.query) }
      : { chat: "served by the endpoint", query: "served by the endpoint" },
    models: {
      chat: model(input.models.chat),
      embedding: model(input.models.embedding),
      ...(input.models.judge ? { judge: model(input.models.judge) } : {}),
    },
    ...(input.target ? { target: input.target } : {}),
    evaluators: [...new Set(input.evaluators.map((e) => e.name))].sort(),
    parameters: { ...(input.parameters ?? {}) },
  };
}

/** Short id of a fingerprint (12 hex digits), for tables and directory listings. */
export function fingerprintId(fingerprint: RunFingerprint): string {
  return shortHash(stableJson(fingerprint));
}

function modelText(m: ModelIdentity | undefined): string {
  return m ? `${m.backend} ${m.name}` : "none";
}

function valueText(v: unknown): string {
  return v === undefined ? "unset" : typeof v === "string" ? v : stableJson(v);
}

/**
 * What differs between two fingerprints, one phrase per difference (empty when they are
 * equal), e.g. `chat model: offline contoso-offline-chat → openai-compatible gpt-4o-mini`.
 *
 * @example
 * ```ts
 * import { diffFingerprints, runFingerprint } from "./fingerprint.ts";
 * const p = { template: "t", parameters: {} };
 * const base = {
 *   rows: [], prompts: { chat: p, query: p }, evaluators: [],
 *   models: { chat: { name: "a", backend: "offline" }, embedding: { name: "e", backend: "offline" } },
 * };
 * const b = runFingerprint({ ...base, models: { ...base.models, chat: { name: "b", backend: "offline" } } });
 * console.assert(diffFingerprints(runFingerprint(base), b)[0] === "chat model: offline a → offline b");
 * ```
 */
export function diffFingerprints(a: RunFingerprint, b: RunFingerprint): string[] {
  const out: string[] = [];
  const same = (x: unknown, y: unknown) => stableJson(x) === stableJson(y);
  if (a.dataset !== b.dataset) out.push(`data set: ${a.dataset} → ${b.dataset}`);
  if (a.prompts?.chat !== b.prompts?.chat) {
    out.push(`chat prompt: ${a.prompts?.chat} → ${b.prompts?.chat}`);
  }
  if (a.prompts?.query !== b.prompts?.query) {
    out.push(`query prompt: ${a.prompts?.query} → ${b.prompts?.query}`);
  }
  for (const role of ["chat", "embedding", "judge"] as const) {
    const x = a.models?.[role];
    const y = b.models?.[role];
    if (!same(x, y)) out.push(`${role} model: ${modelText(x)} → ${modelText(y)}`);
  }
  if ((a.target ?? "") !== (b.target ?? "")) {
    out.push(`target: ${a.target ?? "in-process"} → ${b.target ?? "in-process"}`);
  }
  const ea = new Set(a.evaluators ?? []);
  const eb = new Set(b.evaluators ?? []);
  const added = [...eb].filter((e) => !ea.has(e));
  const removed = [...ea].filter((e) => !eb.has(e));
  if (added.length || removed.length) {
    const parts = [
      ...(added.length ? [`added ${added.join(", ")}`] : []),
      ...(removed.length ? [`removed ${removed.join(", ")}`] : []),
    ];
    out.push(`evaluators: ${parts.join("; ")}`);
  }
  const keys = [
    ...new Set([...Object.keys(a.parameters ?? {}), ...Object.keys(b.parameters ?? {})]),
  ]
    .sort();
  for (const key of keys) {
    const x = a.parameters?.[key];
    const y = b.parameters?.[key];
    if (!same(x, y)) out.push(`parameter ${key}: ${valueText(x)} → ${valueText(y)}`);
  }
  return out;
}
