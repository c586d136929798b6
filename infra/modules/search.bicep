// Azure AI Search for the product catalog and the manuals: hybrid (keyword + vector) queries
// with the semantic ranker on its free plan. API keys are off (RBAC only). The app's identity
// reads the index; the learner may also create it and upload documents (`deno task seed`).
//
// API versions: Microsoft.Search/searchServices 2025-05-01
//               Microsoft.Authorization/roleAssignments 2022-04-01

param name string
param location string
param tags object
param sku string
param appPrincipalId string
param userPrincipalId string = ''
param userPrincipalType string = 'User'

var indexDataReader = '1407120a-92aa-4202-b7e9-c0e197c71c8f'
var indexDataContributor = '8ebe5a00-799e-43f5-93ac-243d3dce84a7'
var serviceContributor = '7ca78c08-252a-4471-8644-bb5ff32d4ba0'

resource search 'Microsoft.Search/searchServices@2025-05-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: sku
  }
  properties: {
    replicaCount: 1
    partitionCount: 1
    hostingMode: 'default'
    semanticSearch: 'free'
    // RBAC only; authOptions must stay unset when local auth is disabled.
    disableLocalAuth: true
  }
}

resource appReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(search.id, appPrincipalId, indexDataReader)
  scope: search
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', indexDataReader)
  }
}

resource userRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in (empty(userPrincipalId) ? [] : [indexDataContributor, serviceContributor]): {
    name: guid(search.id, userPrincipalId, role)
    scope: search
    properties: {
      principalId: userPrincipalId
      principalType: userPrincipalType
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
    }
  }
]

output endpoint string = 'https://${search.name}.search.windows.net'
output name string = search.name
