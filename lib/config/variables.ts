/**
 * The configuration variables the app reads, with what each is for. The Azure ones are
 * exactly the outputs of `infra/` (a test holds the two lists together); the others are local
 * knobs.
 *
 * @module
 */
import { DEFAULT_EMBEDDING_DIMENSIONS, DEFAULT_MODEL_TIMEOUT_MS } from "../models/defaults.ts";

/** One configuration variable. */
export interface VariableInfo {
  name: string;
  description: string;
  /** Output of infra/ (and set on the Container App). */
  azure: boolean;
  secret?: boolean;
}

/** Every variable `loadConfig` reads. */
export const VARIABLES: readonly VariableInfo[] = [
  {
    name: "AZURE_OPENAI_ENDPOINT",
    azure: true,
    description: "Azure OpenAI / AI Services endpoint, e.g. https://NAME.openai.azure.com",
  },
  {
    name: "AZURE_OPENAI_API_VERSION",
    azure: true,
    description: "Azure OpenAI data-plane API version (default 2024-10-21)",
  },
  {
    name: "AZURE_OPENAI_CHAT_DEPLOYMENT",
    azure: true,
    description: "Deployment name of the chat model",
  },
  {
    name: "AZURE_OPENAI_EMBEDDING_DEPLOYMENT",
    azure: true,
    description: "Deployment name of the embedding model",
  },
  {
    name: "AZURE_OPENAI_EMBEDDING_DIMENSIONS",
    azure: true,
    description: `Vector size of the embedding model (default ${DEFAULT_EMBEDDING_DIMENSIONS})`,
  },
  {
    name: "AZURE_OPENAI_EVAL_DEPLOYMENT",
    azure: true,
    description: "Deployment name of the evaluation judge model",
  },
  {
    name: "AZURE_AI_PROJECT_ENDPOINT",
    azure: true,
    description:
      "Azure AI Foundry project endpoint, https://ACCOUNT.services.ai.azure.com/api/projects/PROJECT (optional for the app; deno task eval --log-to-project needs it)",
  },
  {
    name: "AZURE_OPENAI_CHAT_REASONING",
    azure: false,
    description:
      "true when the chat deployment is a reasoning model (max_completion_tokens, no temperature)",
  },
  {
    name: "AZURE_OPENAI_EVAL_REASONING",
    azure: false,
    description:
      "true when the judge deployment is a reasoning model (default: as the chat model when it is the same deployment)",
  },
  {
    name: "AZURE_OPENAI_API_KEY",
    azure: false,
    secret: true,
    description: "Optional API key; keyless Entra ID auth is used when unset",
  },
  {
    name: "COSMOS_ENDPOINT",
    azure: true,
    description: "Cosmos DB for NoSQL endpoint; unset starts the embedded Cosmos DB server",
  },
  {
    name: "COSMOS_DATABASE",
    azure: true,
    description: "Cosmos DB database (default contoso-outdoor)",
  },
  { name: "COSMOS_CONTAINER", azure: true, description: "Cosmos DB container (default customers)" },
  {
    name: "COSMOS_KEY",
    azure: false,
    secret: true,
    description: "Optional account key (the emulator's); keyless when unset",
  },
  {
    name: "AZURE_SEARCH_ENDPOINT",
    azure: true,
    description: "Azure AI Search endpoint; unset uses the embedded hybrid index",
  },
  {
    name: "AZURE_SEARCH_INDEX",
    azure: true,
    description: "Search index name (default contoso-products)",
  },
  {
    name: "AZURE_SEARCH_SEMANTIC_CONFIGURATION",
    azure: true,
    description: "Semantic configuration name (default 'default'; 'none' disables)",
  },
  {
    name: "AZURE_SEARCH_API_KEY",
    azure: false,
    secret: true,
    description: "Optional admin/query key; keyless when unset",
  },
  {
    name: "AZURE_CLIENT_ID",
    azure: true,
    description: "Client id of the user-assigned managed identity (in Azure)",
  },
  {
    name: "APPLICATIONINSIGHTS_CONNECTION_STRING",
    azure: true,
    secret: true,
    description: "Exports traces to Application Insights when set",
  },
  {
    name: "OPENAI_BASE_URL",
    azure: false,
    description: "Any OpenAI-compatible endpoint (OpenAI, GitHub Models, Ollama) for the models",
  },
  {
    name: "OPENAI_API_KEY",
    azure: false,
    secret: true,
    description: "Key of the OpenAI-compatible endpoint",
  },
  { name: "OPENAI_CHAT_MODEL", azure: false, description: "Chat model name at OPENAI_BASE_URL" },
  {
    name: "OPENAI_EMBEDDING_MODEL",
    azure: false,
    description: "Embedding model name at OPENAI_BASE_URL",
  },
  {
    name: "OPENAI_EVAL_MODEL",
    azure: false,
    description: "Judge model name at OPENAI_BASE_URL (default: the chat model)",
  },
  {
    name: "OPENAI_CHAT_REASONING",
    azure: false,
    description:
      "true when OPENAI_CHAT_MODEL is a reasoning model (max_completion_tokens, no temperature)",
  },
  {
    name: "OPENAI_EVAL_REASONING",
    azure: false,
    description:
      "true when the judge model is a reasoning model (default: as the chat model when it is the same model)",
  },
  {
    name: "MODEL_PROVIDER",
    azure: false,
    description:
      "github: GitHub Models serves chat, embeddings and the judge (unset: Azure OpenAI, OpenAI or the offline model, from the variables set)",
  },
  {
    name: "GITHUB_TOKEN",
    azure: false,
    secret: true,
    description:
      "GitHub token with the models:read permission, for MODEL_PROVIDER=github (Codespaces sets one)",
  },
  {
    name: "GITHUB_MODELS_ENDPOINT",
    azure: false,
    description: "GitHub Models inference endpoint (default https://models.github.ai/inference)",
  },
  {
    name: "GITHUB_MODELS_CHAT_MODEL",
    azure: false,
    description: "GitHub Models chat model, publisher/model (default openai/gpt-4.1-mini)",
  },
  {
    name: "GITHUB_MODELS_EMBEDDING_MODEL",
    azure: false,
    description: "GitHub Models embedding model (default openai/text-embedding-3-small)",
  },
  {
    name: "GITHUB_MODELS_EMBEDDING_DIMENSIONS",
    azure: false,
    description: "Vector size of the GitHub Models embedding model (default 1536)",
  },
  {
    name: "GITHUB_MODELS_JUDGE_MODEL",
    azure: false,
    description: "GitHub Models evaluation judge model (default: the chat model)",
  },
  {
    name: "GITHUB_MODELS_API_VERSION",
    azure: false,
    description: "X-GitHub-Api-Version sent to GitHub Models (default 2022-11-28)",
  },
  {
    name: "GITHUB_MODELS_MAX_WAIT_MS",
    azure: false,
    description:
      "Longest wait for the GitHub Models rate limit before a call stops as allowance exhausted (default 60000)",
  },
  {
    name: "OFFLINE_MODEL_LATENCY_MS",
    azure: false,
    description: "Simulated latency of each offline model call (default 0)",
  },
  {
    name: "MODEL_TIMEOUT_MS",
    azure: false,
    description: `Per-call model timeout (default ${DEFAULT_MODEL_TIMEOUT_MS})`,
  },
  { name: "MODEL_MAX_RETRIES", azure: false, description: "Retries on 429/5xx (default 3)" },
  {
    name: "MODEL_PRICES",
    azure: false,
    description:
      "Prices for the evaluation's cost metric: JSON {model: {input, output}} in USD per million tokens",
  },
  {
    name: "CONTOSO_DATA_DIR",
    azure: false,
    description: "Data folder seeding the embedded stores (default data)",
  },
  {
    name: "OFFLINE_EMBEDDING_DIMENSIONS",
    azure: false,
    description: "Vector size of the offline model's hashed embeddings (default 256; 8 to 8192)",
  },
  {
    name: "CONTOSO_INDEX_CACHE_DIR",
    azure: false,
    description:
      "Folder of the persisted embedded index for large catalogs (default .cache/index; off disables)",
  },
  {
    name: "CONTOSO_EXACT_VECTORS",
    azure: false,
    description:
      "true compares the query with every vector in the embedded search, false only the text matches that can win (default: false with the offline model, true with any other)",
  },
  {
    name: "CONTOSO_CHAT_PROMPT",
    azure: false,
    description: "Chat prompt file the pipeline answers with (default prompts/chat.prompty)",
  },
  {
    name: "OFFLINE_STREAM_DELAY_MS",
    azure: false,
    description:
      "Pause between the offline model's streamed words, so streaming is visible (default 0; deno task start: 25)",
  },
  {
    name: "CONTOSO_SOURCE_BASE_URL",
    azure: false,
    description:
      "Storefront base url that makes context source urls absolute (default: relative, served by /products and /manuals)",
  },
  { name: "PORT", azure: false, description: "HTTP port (default 8000)" },
  { name: "ALLOWED_ORIGINS", azure: true, description: "Comma-separated CORS allow-list" },
  {
    name: "CONTOSO_API_KEY",
    azure: false,
    secret: true,
    description: "An API key /api/* accepts (x-api-key or Bearer); see CONTOSO_API_KEYS",
  },
  {
    name: "CONTOSO_API_KEYS",
    azure: false,
    secret: true,
    description:
      "Comma-separated API keys /api/* accepts, several at once so a key rotates without downtime (Container App secret)",
  },
  {
    name: "CONTOSO_AUTH_TENANT_ID",
    azure: false,
    description:
      "Microsoft Entra tenant whose bearer tokens /api/* accepts (default issuer and signing keys)",
  },
  {
    name: "CONTOSO_AUTH_AUDIENCE",
    azure: false,
    description: "Accepted token audiences: the API's application id and/or Application ID URI",
  },
  {
    name: "CONTOSO_AUTH_ISSUER",
    azure: false,
    description: "Accepted token issuers (default https://login.microsoftonline.com/TENANT/v2.0)",
  },
  {
    name: "CONTOSO_AUTH_JWKS_URL",
    azure: false,
    description: "Where the token signing keys are published (default the tenant's v2.0 keys)",
  },
  {
    name: "CONTOSO_AUTH_CUSTOMER_CLAIM",
    azure: false,
    description:
      "Token claim naming the customer a caller may act for; a request for another customer is 403",
  },
  {
    name: "CONTOSO_AUTH_SERVICE_ROLE",
    azure: false,
    description:
      "App role a token needs to act for any customer (the storefront backend's identity); tokens naming a customer need not",
  },
  {
    name: "CONTOSO_DEMO_ROUTES",
    azure: false,
    description:
      "Serve GET /api/customers and the /chat page (default true in dev, false in production)",
  },
  {
    name: "RATE_LIMIT_PER_MINUTE",
    azure: false,
    description: "Requests per minute per client on /api/* (default 120)",
  },
  {
    name: "TRUSTED_PROXY_HOPS",
    azure: false,
    description:
      "Trusted proxies in front of the server for client IPs (default 1 in Container Apps, else 0)",
  },
  {
    name: "CONTAINER_APP_NAME",
    azure: false,
    description: "Set by Azure Container Apps; implies one trusted proxy hop",
  },
  {
    name: "CODESPACE_NAME",
    azure: false,
    description: "Set by Codespaces; adds the forwarded origin to CORS",
  },
  {
    name: "GITHUB_CODESPACES_PORT_FORWARDING_DOMAIN",
    azure: false,
    description: "Set by Codespaces",
  },
];

/** Names of the variables that infra/ outputs and the Container App receives. */
export const AZURE_VARIABLES: readonly string[] = VARIABLES.filter((v) => v.azure).map((v) =>
  v.name
);
