/**
 * Model quota for the preflight: the three model deployments infra/main.bicep asks for, read
 * against `az cognitiveservices usage list --location <region>`, whose rows are the region's
 * per-model quota buckets (`OpenAI.GlobalStandard.gpt-4.1-mini`: `currentValue` used of `limit`,
 * both in thousands of tokens per minute, the unit of a deployment's capacity). Pure functions:
 * the preflight runs the command, these read its output.
 *
 * @module
 */

/** One model deployment of infra/main.bicep (its default parameters; a test holds them together). */
export interface ModelDeployment {
  deployment: string;
  /** Model name, e.g. `gpt-4.1-mini`. */
  model: string;
  /** Deployment SKU, e.g. `GlobalStandard`. */
  sku: string;
  /** Thousands of tokens per minute. */
  capacity: number;
}

/** The chat, embedding and evaluation-judge deployments provisioning creates. */
export const MODEL_DEPLOYMENTS: readonly ModelDeployment[] = [
  { deployment: "gpt-4.1-mini", model: "gpt-4.1-mini", sku: "GlobalStandard", capacity: 30 },
  {
    deployment: "text-embedding-3-small",
    model: "text-embedding-3-small",
    sku: "GlobalStandard",
    capacity: 30,
  },
  { deployment: "gpt-4.1", model: "gpt-4.1", sku: "GlobalStandard", capacity: 30 },
];

/** One quota bucket of a region. */
export interface ModelUsage {
  /** `name.value`, e.g. `OpenAI.GlobalStandard.gpt4.1-mini`. */
  name: string;
  current: number;
  limit: number;
}

interface UsageWire {
  name?: { value?: string };
  currentValue?: number;
  limit?: number;
}

/**
 * Read the JSON of `az cognitiveservices usage list` (an array, or a REST `{ value: [...] }`).
 *
 * @example
 * ```ts
 * import { parseUsages } from "./quota.ts";
 * const rows = parseUsages('[{"name":{"value":"OpenAI.Standard.gpt-4o"},"currentValue":10,"limit":50}]');
 * console.assert(rows[0].limit - rows[0].current === 40);
 * ```
 */
export function parseUsages(json: string): ModelUsage[] {
  const parsed = JSON.parse(json);
  const rows: UsageWire[] = Array.isArray(parsed) ? parsed : parsed?.value ?? [];
  return rows.flatMap((row) =>
    typeof row?.name?.value === "string"
      ? [{
        name: row.name.value,
        current: Number(row.currentValue ?? 0),
        limit: Number(row.limit ?? 0),
      }]
      : []
  );
}

/**
 * The bucket key of a model: buckets are named `OpenAI.<sku>.<model>`, but the model part is not
 * always spelled as the model is (`gpt4.1-mini` for `gpt-4.1-mini`, `gpt-4o` for `gpt-4o`), so
 * both sides are compared without hyphens and case.
 */
export function usageKey(name: string): string {
  return name.toLowerCase().replaceAll("-", "");
}

/** How one model's need compares with its bucket. */
export interface QuotaLine {
  model: string;
  sku: string;
  /** Capacity the deployments ask for, summed per bucket. */
  need: number;
  /** `limit - currentValue`; undefined when the region has no bucket for the model. */
  available?: number;
  limit?: number;
  bucket?: string;
}

/**
 * Each model's need against its bucket, one line per bucket.
 *
 * @example
 * ```ts
 * import { quotaLines } from "./quota.ts";
 * const [line] = quotaLines(
 *   [{ deployment: "chat", model: "gpt-4.1-mini", sku: "GlobalStandard", capacity: 30 }],
 *   [{ name: "OpenAI.GlobalStandard.gpt4.1-mini", current: 990, limit: 1000 }],
 * );
 * console.assert(line.need === 30 && line.available === 10);
 * ```
 */
export function quotaLines(
  deployments: readonly ModelDeployment[],
  usages: readonly ModelUsage[],
): QuotaLine[] {
  const lines = new Map<string, QuotaLine>();
  for (const d of deployments) {
    const key = usageKey(`OpenAI.${d.sku}.${d.model}`);
    const line = lines.get(key);
    if (line) {
      line.need += d.capacity;
      continue;
    }
    const bucket = usages.find((u) => usageKey(u.name) === key);
    lines.set(key, {
      model: d.model,
      sku: d.sku,
      need: d.capacity,
      ...(bucket
        ? { available: bucket.limit - bucket.current, limit: bucket.limit, bucket: bucket.name }
        : {}),
    });
  }
  return [...lines.values()];
}
