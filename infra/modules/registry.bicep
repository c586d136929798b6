// The container registry azd builds the image in (remote build, so no Docker is needed on the
// learner's machine). No admin user, no anonymous pull: the app's identity pulls as AcrPull and
// the learner may push as AcrPush.
//
// API versions: Microsoft.ContainerRegistry/registries 2023-07-01
//               Microsoft.Authorization/roleAssignments 2022-04-01

param name string
param location string
param tags object
param appPrincipalId string
param userPrincipalId string = ''
param userPrincipalType string = 'User'

var acrPull = '7f951dda-4ed3-4680-a7ca-43fe172d538d'
var acrPush = '8311e382-0749-4cb8-b61a-304f252e45ec'

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: 'Basic'
  }
  properties: {
    adminUserEnabled: false
    anonymousPullEnabled: false
    publicNetworkAccess: 'Enabled'
  }
}

resource appPull 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(registry.id, appPrincipalId, acrPull)
  scope: registry
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', acrPull)
  }
}

resource userPush 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(userPrincipalId)) {
  name: guid(registry.id, userPrincipalId, acrPush)
  scope: registry
  properties: {
    principalId: userPrincipalId
    principalType: userPrincipalType
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', acrPush)
  }
}

output loginServer string = registry.properties.loginServer
output name string = registry.name
