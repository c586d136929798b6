// Azure AI Services (the Azure OpenAI endpoint) with the chat, embedding and evaluation-judge
// deployments. The account is a Foundry resource (project management on, a managed identity):
// the Azure AI Foundry project is its child, declared in modules/foundry.bicep once the model
// deployments are done. Key auth is off: the app's identity and the learner call the models
// with Entra ID tokens, as Cognitive Services OpenAI User.
//
// API versions (checked against the Azure resource reference: 2025-06-01 is the first GA
// version with allowProjectManagement and accounts/projects):
//               Microsoft.CognitiveServices/accounts 2025-06-01
//               Microsoft.CognitiveServices/accounts/deployments 2025-06-01
//               Microsoft.Authorization/roleAssignments 2022-04-01

param name string
param location string
param tags object

@description('Model deployments: { deployment, name, version, sku, capacity } each.')
param deployments array

param appPrincipalId string
param userPrincipalId string = ''
param userPrincipalType string = 'User'

var openAiUser = '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd'

resource account 'Microsoft.CognitiveServices/accounts@2025-06-01' = {
  name: name
  location: location
  tags: tags
  kind: 'AIServices'
  sku: {
    name: 'S0'
  }
  // Projects need a managed identity on the account.
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    // A custom subdomain is required for Entra ID (token) authentication and for projects.
    customSubDomainName: name
    disableLocalAuth: true
    publicNetworkAccess: 'Enabled'
    // Turns the account into a Foundry resource that can hold projects.
    allowProjectManagement: true
  }
}

// One at a time: the service rejects concurrent deployment changes on one account.
@batchSize(1)
resource modelDeployments 'Microsoft.CognitiveServices/accounts/deployments@2025-06-01' = [
  for d in deployments: {
    parent: account
    name: d.deployment
    sku: {
      name: d.sku
      capacity: d.capacity
    }
    properties: {
      model: {
        format: 'OpenAI'
        name: d.name
        version: d.version
      }
      versionUpgradeOption: 'OnceCurrentVersionExpired'
    }
  }
]

resource appOpenAiUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, appPrincipalId, openAiUser)
  scope: account
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', openAiUser)
  }
}

resource userOpenAiUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(userPrincipalId)) {
  name: guid(account.id, userPrincipalId, openAiUser)
  scope: account
  properties: {
    principalId: userPrincipalId
    principalType: userPrincipalType
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', openAiUser)
  }
}

// The Azure OpenAI endpoint of the account (its custom subdomain on openai.azure.com).
output endpoint string = 'https://${account.properties.customSubDomainName}.openai.azure.com'
output name string = account.name
