/**
 * What infra/ creates and outputs, as data the plans print: the resources with their API
 * versions, and the outputs besides the app's configuration that the deployment tooling uses.
 * Tests hold both lists to the Bicep source.
 *
 * @module
 */

/** One resource type infra/ declares. */
export interface InfraResource {
  /** Resource type, e.g. `Microsoft.App/containerApps`. */
  type: string;
  /** API version used in the Bicep. */
  apiVersion: string;
  /** Name pattern (`<token>` is a hash of subscription, environment and region). */
  name: string;
  /** What it is for. */
  purpose: string;
  /** The Bicep file declaring it, under infra/. */
  file: string;
}

/** Every resource type (and child type) infra/ declares, in deployment order. */
export const INFRA_RESOURCES: readonly InfraResource[] = [
  {
    type: "Microsoft.Resources/resourceGroups",
    apiVersion: "2024-03-01",
    name: "rg-<env>",
    purpose: "holds everything; `deno task teardown` deletes it",
    file: "main.bicep",
  },
  {
    type: "Microsoft.ManagedIdentity/userAssignedIdentities",
    apiVersion: "2023-01-31",
    name: "id-contoso-<token>",
    purpose: "the app's identity: keyless access to every data plane, image pull",
    file: "modules/identity.bicep",
  },
  {
    type: "Microsoft.OperationalInsights/workspaces",
    apiVersion: "2023-09-01",
    name: "log-<token>",
    purpose: "Log Analytics: container logs",
    file: "modules/monitoring.bicep",
  },
  {
    type: "Microsoft.Insights/components",
    apiVersion: "2020-02-02",
    name: "appi-<token>",
    purpose: "Application Insights: the pipeline's traces (Entra ID ingestion only)",
    file: "modules/monitoring.bicep",
  },
  {
    type: "Microsoft.CognitiveServices/accounts",
    apiVersion: "2025-06-01",
    name: "ai-<token>",
    purpose:
      "Azure AI Services (Foundry resource): the Azure OpenAI endpoint, project management on, key auth off",
    file: "modules/ai.bicep",
  },
  {
    type: "Microsoft.CognitiveServices/accounts/deployments",
    apiVersion: "2025-06-01",
    name: "gpt-4.1-mini, text-embedding-3-small, gpt-4.1",
    purpose: "chat, embedding and evaluation-judge model deployments",
    file: "modules/ai.bicep",
  },
  {
    type: "Microsoft.CognitiveServices/accounts/projects",
    apiVersion: "2025-06-01",
    name: "contoso-chat",
    purpose:
      "the Azure AI Foundry project: evaluation runs and the tracing view; Azure AI User for the app and the learner",
    file: "modules/foundry.bicep",
  },
  {
    type: "Microsoft.CognitiveServices/accounts/projects/connections",
    apiVersion: "2025-06-01",
    name: "appinsights, search",
    purpose:
      "the project's connections to Application Insights (its traces) and Azure AI Search (Entra ID)",
    file: "modules/foundry.bicep",
  },
  {
    type: "Microsoft.DocumentDB/databaseAccounts",
    apiVersion: "2024-11-15",
    name: "cosmos-<token>",
    purpose: "Cosmos DB for NoSQL, serverless, key auth off",
    file: "modules/cosmos.bicep",
  },
  {
    type: "Microsoft.DocumentDB/databaseAccounts/sqlDatabases",
    apiVersion: "2024-11-15",
    name: "contoso-outdoor",
    purpose: "the customer database",
    file: "modules/cosmos.bicep",
  },
  {
    type: "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers",
    apiVersion: "2024-11-15",
    name: "customers",
    purpose: "customer profiles, partition key /id",
    file: "modules/cosmos.bicep",
  },
  {
    type: "Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments",
    apiVersion: "2024-11-15",
    name: "(guid)",
    purpose: "Cosmos DB Data Contributor for the app and the learner",
    file: "modules/cosmos.bicep",
  },
  {
    type: "Microsoft.Search/searchServices",
    apiVersion: "2025-05-01",
    name: "srch-<token>",
    purpose: "Azure AI Search, basic, semantic ranker (free plan), RBAC only",
    file: "modules/search.bicep",
  },
  {
    type: "Microsoft.ContainerRegistry/registries",
    apiVersion: "2023-07-01",
    name: "cr<token>",
    purpose: "the image, built remotely by azd (ACR Tasks)",
    file: "modules/registry.bicep",
  },
  {
    type: "Microsoft.App/managedEnvironments",
    apiVersion: "2025-01-01",
    name: "cae-<token>",
    purpose: "Container Apps environment (consumption)",
    file: "modules/container_app.bicep",
  },
  {
    type: "Microsoft.Insights/diagnosticSettings",
    apiVersion: "2021-05-01-preview",
    name: "logs-to-workspace",
    purpose: "sends the environment's console and system logs to Log Analytics",
    file: "modules/container_app.bicep",
  },
  {
    type: "Microsoft.App/containerApps",
    apiVersion: "2025-01-01",
    name: "ca-api-<token>",
    purpose: "the API: managed identity, probes on /health and /ready, HTTP scale rule",
    file: "modules/container_app.bicep",
  },
  {
    type: "Microsoft.Authorization/roleAssignments",
    apiVersion: "2022-04-01",
    name: "(guid)",
    purpose: "data-plane roles for the app and the learner: no keys anywhere",
    file: "modules/*.bicep",
  },
];

/** An output of infra/main.bicep that is not app configuration. */
export interface DeploymentOutput {
  name: string;
  /** Who needs it and why. */
  why: string;
}

/**
 * Outputs of infra/main.bicep besides the app's configuration (`AZURE_VARIABLES`): the
 * deployment tooling reads them, the app never does, and they are not set on the Container App.
 */
export const DEPLOYMENT_OUTPUTS: readonly DeploymentOutput[] = [
  {
    name: "AZURE_RESOURCE_GROUP",
    why: "the resource group azd deploys to and teardown deletes",
  },
  {
    name: "AZURE_CONTAINER_REGISTRY_ENDPOINT",
    why: "azd pushes (remote-builds) the image to this registry",
  },
  {
    name: "SERVICE_API_URI",
    why: "the hosted endpoint the smoke test calls",
  },
  {
    name: "AZURE_AI_PROJECT_NAME",
    why: "the Foundry project's name, for plans and portal links",
  },
  {
    name: "AZURE_AI_ACCOUNT_NAME",
    why: "the AI Services account holding the project (az cognitiveservices, purge/restore)",
  },
  {
    name: "AZURE_AI_PROJECT_ID",
    why: "the project's ARM resource id, for https://ai.azure.com portal links",
  },
];
