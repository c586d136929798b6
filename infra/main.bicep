// Contoso Chat on Azure: everything `azd provision` creates for the workshop, from an empty
// subscription to a keyless, observable Container App. Written for this project.
//
// Scope: subscription (the resource group is created here); the modules deploy into it.
//
// API versions used in this file (each checked against the Azure resource reference):
//   Microsoft.Resources/resourceGroups                    2024-03-01
// The modules name their own:
//   modules/identity.bicep       Microsoft.ManagedIdentity/userAssignedIdentities       2023-01-31
//   modules/monitoring.bicep     Microsoft.OperationalInsights/workspaces               2023-09-01
//                                Microsoft.Insights/components                          2020-02-02
//                                Microsoft.Authorization/roleAssignments                2022-04-01
//   modules/ai.bicep             Microsoft.CognitiveServices/accounts                   2025-06-01
//                                Microsoft.CognitiveServices/accounts/deployments       2025-06-01
//                                Microsoft.Authorization/roleAssignments                2022-04-01
//   modules/foundry.bicep        Microsoft.CognitiveServices/accounts/projects          2025-06-01
//                                .../accounts/projects/connections                      2025-06-01
//                                Microsoft.Authorization/roleAssignments                2022-04-01
//   modules/cosmos.bicep         Microsoft.DocumentDB/databaseAccounts                  2024-11-15
//                                Microsoft.DocumentDB/databaseAccounts/sqlDatabases     2024-11-15
//                                .../sqlDatabases/containers                            2024-11-15
//                                Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments 2024-11-15
//   modules/search.bicep         Microsoft.Search/searchServices                        2025-05-01
//                                Microsoft.Authorization/roleAssignments                2022-04-01
//   modules/registry.bicep       Microsoft.ContainerRegistry/registries                 2023-07-01
//                                Microsoft.Authorization/roleAssignments                2022-04-01
//   modules/container_app.bicep  Microsoft.App/managedEnvironments                      2025-01-01
//                                Microsoft.Insights/diagnosticSettings                  2021-05-01-preview
//                                Microsoft.App/containerApps                            2025-01-01
//   modules/existing_image.bicep Microsoft.App/containerApps (existing)                 2025-01-01
//
// Outputs: exactly the configuration variables the app reads (lib/config/variables.ts, those
// marked `azure: true`), which azd stores in its environment and the postprovision hook writes
// to .env, plus the few names the deployment tooling needs (lib/azure/infra.ts
// DEPLOYMENT_OUTPUTS). A test (tests/infra_outputs_test.ts) holds the lists together in both
// directions.

targetScope = 'subscription'

@minLength(1)
@maxLength(48)
@description('Name of the azd environment; it names the resource group and tags every resource.')
param environmentName string

// Regions where all three model deployments (Global Standard), the Azure AI Search semantic
// ranker, Cosmos DB serverless and Container Apps are available. Keep in step with
// lib/azure/regions.ts (a test compares the two lists).
@description('Region of every resource.')
@allowed([
  'australiaeast'
  'eastus'
  'eastus2'
  'francecentral'
  'japaneast'
  'northcentralus'
  'southcentralus'
  'swedencentral'
  'uksouth'
  'westus'
  'westus3'
])
param location string

@description('Object id of the signed-in learner (azd sets AZURE_PRINCIPAL_ID). Empty skips their data-plane roles.')
param principalId string = ''

@description('Kind of principal in principalId.')
@allowed([
  'User'
  'ServicePrincipal'
  'Group'
])
param principalType string = 'User'

@description('Image of the api service; azd sets it after the first deploy. Empty keeps the running app\'s image (apiExists) or, on the first provision, a placeholder.')
param apiImageName string = ''

// azd sets SERVICE_API_RESOURCE_EXISTS before every provision from whether the api service's
// resource (the Container App tagged azd-service-name: api) exists. A fresh azd environment (a
// new Codespace) has no SERVICE_API_IMAGE_NAME, so without this the app would fall back to the
// placeholder image.
@description('Whether the api Container App already exists (SERVICE_API_RESOURCE_EXISTS); then an empty apiImageName keeps its running image.')
param apiExists bool = false

@description('Comma-separated CORS allow-list of the API (ALLOWED_ORIGINS); empty allows none.')
param allowedOrigins string = ''

// Who may call the API (lib/config/auth.ts). Production refuses to start without API keys or a
// token audience, so set at least one (azd env set CONTOSO_API_KEYS ...) before provisioning.
@description('API keys the app accepts, comma-separated (CONTOSO_API_KEYS); a Container Apps secret, never an output.')
@secure()
param apiKeys string = ''

@description('Audiences of the Microsoft Entra ID tokens the app accepts (CONTOSO_AUTH_AUDIENCE): the API app registration\'s application id and/or Application ID URI; empty accepts no tokens.')
param authAudience string = ''

@description('Token claim naming the customer a caller may act for (CONTOSO_AUTH_CUSTOMER_CLAIM); empty: none.')
param authCustomerClaim string = ''

@description('App role a token needs to act for any customer (CONTOSO_AUTH_SERVICE_ROLE); empty: none.')
param authServiceRole string = ''

@description('Serve GET /api/customers and the /chat demo page in production (CONTOSO_DEMO_ROUTES).')
@allowed([
  'true'
  'false'
])
param demoRoutes string = 'false'

@description('Chat model: deployment name, model name, version, SKU and capacity (thousands of tokens per minute).')
param chatModel object = {
  deployment: 'gpt-4.1-mini'
  name: 'gpt-4.1-mini'
  version: '2025-04-14'
  sku: 'GlobalStandard'
  capacity: 30
}

@description('Embedding model: deployment name, model name, version, SKU and capacity.')
param embeddingModel object = {
  deployment: 'text-embedding-3-small'
  name: 'text-embedding-3-small'
  version: '1'
  sku: 'GlobalStandard'
  capacity: 30
}

@description('Vector size the embedding model returns; the search index is built with it.')
param embeddingDimensions int = 1536

@description('Evaluation judge model: deployment name, model name, version, SKU and capacity.')
param evalModel object = {
  deployment: 'gpt-4.1'
  name: 'gpt-4.1'
  version: '2025-04-14'
  sku: 'GlobalStandard'
  capacity: 30
}

@description('Azure OpenAI data-plane API version the app calls.')
param openAiApiVersion string = '2024-10-21'

@description('Azure AI Search tier; basic or above is needed for the semantic ranker.')
@allowed([
  'basic'
  'standard'
  'standard2'
  'standard3'
])
param searchSku string = 'basic'

@description('Replicas of the API at rest and at most (scaled on concurrent HTTP requests).')
@minValue(0)
param minReplicas int = 1
@maxValue(30)
param maxReplicas int = 3

var databaseName = 'contoso-outdoor'
var containerName = 'customers'
var searchIndexName = 'contoso-products'
var semanticConfiguration = 'default'
var token = toLower(uniqueString(subscription().id, environmentName, location))
var apiAppName = 'ca-api-${token}'
var tags = { 'azd-env-name': environmentName }

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: 'id-contoso-${token}'
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    workspaceName: 'log-${token}'
    appInsightsName: 'appi-${token}'
    location: location
    tags: tags
    appPrincipalId: identity.outputs.principalId
    userPrincipalId: principalId
    userPrincipalType: principalType
  }
}

module ai 'modules/ai.bicep' = {
  name: 'ai'
  scope: rg
  params: {
    name: 'ai-${token}'
    location: location
    tags: tags
    deployments: [chatModel, embeddingModel, evalModel]
    appPrincipalId: identity.outputs.principalId
    userPrincipalId: principalId
    userPrincipalType: principalType
  }
}

module cosmos 'modules/cosmos.bicep' = {
  name: 'cosmos'
  scope: rg
  params: {
    name: 'cosmos-${token}'
    location: location
    tags: tags
    databaseName: databaseName
    containerName: containerName
    appPrincipalId: identity.outputs.principalId
    userPrincipalId: principalId
  }
}

module search 'modules/search.bicep' = {
  name: 'search'
  scope: rg
  params: {
    name: 'srch-${token}'
    location: location
    tags: tags
    sku: searchSku
    appPrincipalId: identity.outputs.principalId
    userPrincipalId: principalId
    userPrincipalType: principalType
  }
}

module registry 'modules/registry.bicep' = {
  name: 'registry'
  scope: rg
  params: {
    name: 'cr${token}'
    location: location
    tags: tags
    appPrincipalId: identity.outputs.principalId
    userPrincipalId: principalId
    userPrincipalType: principalType
  }
}

// The Azure AI Foundry project on the AI Services account, connected to Application Insights
// and Azure AI Search. Using ai.outputs makes it wait for the whole ai module, so the project is
// created after the model deployments (one change at a time on the account).
module foundry 'modules/foundry.bicep' = {
  name: 'foundry'
  scope: rg
  params: {
    accountName: ai.outputs.name
    projectName: 'contoso-chat'
    location: location
    tags: tags
    appInsightsName: monitoring.outputs.appInsightsName
    searchName: search.outputs.name
    appPrincipalId: identity.outputs.principalId
    userPrincipalId: principalId
    userPrincipalType: principalType
  }
}

// The Container App's environment: exactly the azure variables of lib/config, the secret one
// kept as a Container Apps secret. (tests/infra_outputs_test.ts reads these two objects.)
var appSettings = {
  AZURE_OPENAI_ENDPOINT: ai.outputs.endpoint
  AZURE_OPENAI_API_VERSION: openAiApiVersion
  AZURE_OPENAI_CHAT_DEPLOYMENT: chatModel.deployment
  AZURE_OPENAI_EMBEDDING_DEPLOYMENT: embeddingModel.deployment
  AZURE_OPENAI_EMBEDDING_DIMENSIONS: string(embeddingDimensions)
  AZURE_OPENAI_EVAL_DEPLOYMENT: evalModel.deployment
  AZURE_AI_PROJECT_ENDPOINT: foundry.outputs.endpoint
  COSMOS_ENDPOINT: cosmos.outputs.endpoint
  COSMOS_DATABASE: databaseName
  COSMOS_CONTAINER: containerName
  AZURE_SEARCH_ENDPOINT: search.outputs.endpoint
  AZURE_SEARCH_INDEX: searchIndexName
  AZURE_SEARCH_SEMANTIC_CONFIGURATION: semanticConfiguration
  AZURE_CLIENT_ID: identity.outputs.clientId
  ALLOWED_ORIGINS: allowedOrigins
}
var appSecretSettings = {
  APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.connectionString
}
// Authentication settings: chosen by the operator, not outputs of any resource (the keys must
// never be one), so they are kept apart from the two objects above.
var appAuthSettings = {
  CONTOSO_AUTH_TENANT_ID: empty(authAudience) ? '' : tenant().tenantId
  CONTOSO_AUTH_AUDIENCE: authAudience
  CONTOSO_AUTH_CUSTOMER_CLAIM: authCustomerClaim
  CONTOSO_AUTH_SERVICE_ROLE: authServiceRole
  CONTOSO_DEMO_ROUTES: demoRoutes
}
// A Container Apps secret cannot be empty.
var appAuthSecrets = empty(apiKeys) ? {} : { CONTOSO_API_KEYS: apiKeys }

// The image the api Container App runs now, when it exists (empty otherwise).
module apiCurrentImage 'modules/existing_image.bicep' = {
  name: 'api-current-image'
  scope: rg
  params: {
    exists: apiExists
    appName: apiAppName
  }
}

module app 'modules/container_app.bicep' = {
  name: 'container-app'
  scope: rg
  params: {
    environmentName: 'cae-${token}'
    appName: apiAppName
    location: location
    tags: tags
    serviceName: 'api'
    // The image azd deployed, else the running one, else (empty) the placeholder.
    imageName: !empty(apiImageName) ? apiImageName : apiCurrentImage.outputs.image
    identityId: identity.outputs.id
    registryServer: registry.outputs.loginServer
    workspaceId: monitoring.outputs.workspaceId
    environmentVariables: union(appSettings, appAuthSettings)
    secretEnvironmentVariables: union(appSecretSettings, appAuthSecrets)
    minReplicas: minReplicas
    maxReplicas: maxReplicas
  }
  // Using registry.outputs makes the app wait for the registry module, so the identity's AcrPull
  // role exists before the first revision pulls.
}

// Configuration the app reads (lib/config AZURE_VARIABLES).
output AZURE_OPENAI_ENDPOINT string = ai.outputs.endpoint
output AZURE_OPENAI_API_VERSION string = openAiApiVersion
output AZURE_OPENAI_CHAT_DEPLOYMENT string = chatModel.deployment
output AZURE_OPENAI_EMBEDDING_DEPLOYMENT string = embeddingModel.deployment
output AZURE_OPENAI_EMBEDDING_DIMENSIONS string = string(embeddingDimensions)
output AZURE_OPENAI_EVAL_DEPLOYMENT string = evalModel.deployment
output AZURE_AI_PROJECT_ENDPOINT string = foundry.outputs.endpoint
output COSMOS_ENDPOINT string = cosmos.outputs.endpoint
output COSMOS_DATABASE string = databaseName
output COSMOS_CONTAINER string = containerName
output AZURE_SEARCH_ENDPOINT string = search.outputs.endpoint
output AZURE_SEARCH_INDEX string = searchIndexName
output AZURE_SEARCH_SEMANTIC_CONFIGURATION string = semanticConfiguration
output AZURE_CLIENT_ID string = identity.outputs.clientId
output APPLICATIONINSIGHTS_CONNECTION_STRING string = monitoring.outputs.connectionString
output ALLOWED_ORIGINS string = allowedOrigins

// What the deployment tooling needs (lib/azure/infra.ts DEPLOYMENT_OUTPUTS).
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_CONTAINER_REGISTRY_ENDPOINT string = registry.outputs.loginServer
output SERVICE_API_URI string = app.outputs.uri
output AZURE_AI_PROJECT_NAME string = foundry.outputs.name
output AZURE_AI_ACCOUNT_NAME string = ai.outputs.name
output AZURE_AI_PROJECT_ID string = foundry.outputs.id
