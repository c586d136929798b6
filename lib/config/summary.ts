/**
 * A printable summary of the resolved configuration: which backend serves each part and where.
 * It never contains a secret: keys are shown only as "key" vs "keyless".
 *
 * @module
 */
import type { Config, ModelConfig } from "./types.ts";
import { GITHUB_FREE_TIER_LIMITS, rateTierOf } from "../models/github_models.ts";

/** One row of the summary. */
export interface ConfigRow {
  part: string;
  backend: string;
  target: string;
  auth: string;
}

/** The free-tier allowance of a GitHub Models model, e.g. "low tier: 15/min, 150/day free". */
function tierText(model: string): string {
  const tier = rateTierOf(model);
  const limits = GITHUB_FREE_TIER_LIMITS[tier];
  return `${tier} tier: ${limits.requestsPerMinute}/min, ${limits.requestsPerDay}/day free`;
}

function modelRow(part: string, m: ModelConfig | undefined): ConfigRow {
  if (!m) {
    return { part, backend: "none", target: "the offline model cannot judge", auth: "-" };
  }
  switch (m.backend) {
    case "azure-openai":
      return {
        part,
        backend: "Azure OpenAI",
        target: `${m.endpoint} (deployment ${m.deployment}, api ${m.apiVersion}${
          m.reasoning ? ", reasoning model" : ""
        })`,
        auth: m.apiKey ? "API key" : "Microsoft Entra ID (keyless)",
      };
    case "openai-compatible":
      return {
        part,
        backend: "OpenAI-compatible",
        target: `${m.baseURL} (model ${m.model}${m.reasoning ? ", reasoning model" : ""})`,
        auth: m.apiKey ? "API key" : "none",
      };
    case "github-models":
      return {
        part,
        backend: "GitHub Models",
        target: `${m.endpoint} (model ${m.model}${
          m.dimensions ? `, ${m.dimensions} dimensions` : ""
        }${m.reasoning ? ", reasoning model" : ""}, ${tierText(m.model)})`,
        auth: "GitHub token",
      };
    case "offline":
      return {
        part,
        backend: "offline model (embedded)",
        target: `${m.model}${m.latencyMs ? `, ${m.latencyMs} ms simulated latency` : ""}`,
        auth: "-",
      };
  }
}

/**
 * The configuration as rows: chat, embeddings, evaluation, customers, products, the chat
 * prompt, tracing.
 */
export function describeConfig(config: Config): ConfigRow[] {
  const c = config.customers;
  const p = config.products;
  return [
    modelRow("chat model", config.chat),
    modelRow("embedding model", config.embedding),
    modelRow("evaluation model", config.evaluation),
    c.backend === "cosmos"
      ? {
        part: "customers",
        backend: "Azure Cosmos DB",
        target: `${c.endpoint} (${c.database}/${c.container})`,
        auth: c.key ? "account key" : "Microsoft Entra ID (keyless)",
      }
      : {
        part: "customers",
        backend: "embedded Cosmos DB server",
        target: `in-process, seeded from ${config.dataDir}/customers`,
        auth: "-",
      },
    p.backend === "azure-search"
      ? {
        part: "products",
        backend: "Azure AI Search",
        target: `${p.endpoint} (index ${p.index}${
          p.semanticConfiguration ? `, semantic ${p.semanticConfiguration}` : ""
        })`,
        auth: p.apiKey ? "API key" : "Microsoft Entra ID (keyless)",
      }
      : {
        part: "products",
        backend: "embedded hybrid index (Orama)",
        target: `in-process, built from ${config.dataDir}`,
        auth: "-",
      },
    {
      part: "chat prompt",
      backend: "Prompty file",
      target: config.chatPromptPath,
      auth: "-",
    },
    // Only when set, so the summary of an unpriced setup stays as it was.
    ...(Object.keys(config.modelPrices ?? {}).length > 0
      ? [{
        part: "model prices",
        backend: "MODEL_PRICES",
        target: `USD per million tokens for ${Object.keys(config.modelPrices).sort().join(", ")}`,
        auth: "-",
      }]
      : []),
    {
      part: "tracing",
      backend: config.applicationInsightsConnectionString
        ? "Application Insights"
        : "in-process spans",
      target: config.applicationInsightsConnectionString
        ? "connection string set"
        : "shown by the CLI and notebooks",
      auth: "-",
    },
  ];
}

/** The summary as an aligned plain-text table. */
export function formatConfig(config: Config): string {
  const rows = describeConfig(config);
  const widths = [16, 28];
  return rows
    .map((r) =>
      `${r.part.padEnd(widths[0])} ${r.backend.padEnd(widths[1])} ${r.target} [${r.auth}]`
    )
    .join("\n");
}

/** True when every part is served by Azure (no embedded backend). */
export function isAllAzure(config: Config): boolean {
  return config.chat.backend === "azure-openai" && config.customers.backend === "cosmos" &&
    config.products.backend === "azure-search";
}
