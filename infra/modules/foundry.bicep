// The Azure AI Foundry project of the workshop, in the current resource model: a child of the AI
// Services account (modules/ai.bicep, project management on), not a hub. It shares the account's
// model deployments. Two connections make it useful: Application Insights, so the project's
// tracing view shows the traces the app already exports there, and Azure AI Search, the product
// and manual index. Roles:
//   - the app's identity and the learner: Azure AI User (shown as Foundry User) on the project,
//     the role the project data plane asks for evaluations, datasets and connections;
//   - the learner: Log Analytics Reader on Application Insights, which the tracing view queries;
//   - the project's own identity: Search Index Data Reader, for the keyless Search connection.
//
// Connections. Azure AI Search: authType 'AAD' (Entra ID, the project's identity; keys are off
// on the service). Application Insights: the reference's connection shape for this category
// carries the resource's connection string as `credentials.key` (authType 'ApiKey'); there is no
// Entra ID variant of it. That string is an identifier, not a secret here: local auth is off on
// the component (modules/monitoring.bicep), so telemetry is accepted only with an Entra ID
// token, and reading it needs the reader's own role. No access key of any service is stored.
//
// API versions (checked against the Azure resource reference; 2025-06-01 is the first GA version
// of accounts/projects and accounts/projects/connections):
//               Microsoft.CognitiveServices/accounts 2025-06-01 (existing)
//               Microsoft.CognitiveServices/accounts/projects 2025-06-01
//               Microsoft.CognitiveServices/accounts/projects/connections 2025-06-01
//               Microsoft.Insights/components 2020-02-02 (existing)
//               Microsoft.Search/searchServices 2025-05-01 (existing)
//               Microsoft.Authorization/roleAssignments 2022-04-01

@description('The AI Services account (modules/ai.bicep) that holds the project.')
param accountName string

@description('Name of the project; it is the last segment of the project endpoint.')
param projectName string

param location string
param tags object

@description('Application Insights component the app exports its traces to.')
param appInsightsName string

@description('Azure AI Search service with the product and manual index.')
param searchName string

param appPrincipalId string
param userPrincipalId string = ''
param userPrincipalType string = 'User'

// Built-in role definitions (ids from the Azure built-in roles reference).
var azureAiUser = '53ca6127-db72-4b80-b1b0-d745d6d5456d'
var logAnalyticsReader = '73c42c96-874c-492b-b04d-ab87d138a893'
var searchIndexDataReader = '1407120a-92aa-4202-b7e9-c0e197c71c8f'

resource account 'Microsoft.CognitiveServices/accounts@2025-06-01' existing = {
  name: accountName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource search 'Microsoft.Search/searchServices@2025-05-01' existing = {
  name: searchName
}

resource project 'Microsoft.CognitiveServices/accounts/projects@2025-06-01' = {
  parent: account
  name: projectName
  location: location
  tags: tags
  // A project needs its own managed identity; the Search connection uses it.
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    displayName: 'Contoso Chat'
    description: 'Contoso Chat workshop: evaluation runs and traces of the retail assistant'
  }
}

resource appInsightsConnection 'Microsoft.CognitiveServices/accounts/projects/connections@2025-06-01' = {
  parent: project
  name: 'appinsights'
  properties: {
    category: 'AppInsights'
    target: appInsights.id
    authType: 'ApiKey'
    isSharedToAll: true
    credentials: {
      key: appInsights.properties.ConnectionString
    }
    metadata: {
      ApiType: 'Azure'
      ResourceId: appInsights.id
    }
  }
}

resource searchConnection 'Microsoft.CognitiveServices/accounts/projects/connections@2025-06-01' = {
  parent: project
  name: 'search'
  properties: {
    category: 'CognitiveSearch'
    target: 'https://${search.name}.search.windows.net'
    authType: 'AAD'
    isSharedToAll: true
    metadata: {
      ApiType: 'Azure'
      ResourceId: search.id
      location: search.location
    }
  }
  // One connection change at a time on a project.
  dependsOn: [
    appInsightsConnection
  ]
}

resource appAiUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(project.id, appPrincipalId, azureAiUser)
  scope: project
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', azureAiUser)
  }
}

resource userAiUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(userPrincipalId)) {
  name: guid(project.id, userPrincipalId, azureAiUser)
  scope: project
  properties: {
    principalId: userPrincipalId
    principalType: userPrincipalType
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', azureAiUser)
  }
}

resource userTraceReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(userPrincipalId)) {
  name: guid(appInsights.id, userPrincipalId, logAnalyticsReader)
  scope: appInsights
  properties: {
    principalId: userPrincipalId
    principalType: userPrincipalType
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', logAnalyticsReader)
  }
}

resource projectSearchReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(search.id, project.id, searchIndexDataReader)
  scope: search
  properties: {
    principalId: project.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', searchIndexDataReader)
  }
}

// The project's data-plane endpoint (AZURE_AI_PROJECT_ENDPOINT; what @azure/ai-projects takes).
output endpoint string = 'https://${account.properties.customSubDomainName}.services.ai.azure.com/api/projects/${project.name}'
output name string = project.name
// The project's ARM resource id (portal links are built from it).
output id string = project.id
