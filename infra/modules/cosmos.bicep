// Cosmos DB for NoSQL, serverless, holding the customer profiles: database contoso-outdoor,
// container customers partitioned on /id (the app does point reads by id). Local (key) auth is
// off; the app's identity and the learner get the built-in Data Contributor role on the data
// plane (a Cosmos DB SQL role assignment, not an Azure RBAC one).
//
// Order: Cosmos DB takes an exclusive lock on the account for each SQL role assignment, and a
// concurrent one fails intermittently with 412 "There is another user operation in progress".
// So the container first, then the app's assignment, then the learner's (a dependsOn chain).
//
// API versions: Microsoft.DocumentDB/databaseAccounts 2024-11-15
//               Microsoft.DocumentDB/databaseAccounts/sqlDatabases 2024-11-15
//               Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers 2024-11-15
//               Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments 2024-11-15

param name string
param location string
param tags object
param databaseName string
param containerName string
param appPrincipalId string
param userPrincipalId string = ''

// Cosmos DB Built-in Data Contributor (data plane).
var dataContributor = '00000000-0000-0000-0000-000000000002'

resource account 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' = {
  name: name
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: false
      }
    ]
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    capabilities: [
      {
        name: 'EnableServerless'
      }
    ]
    disableLocalAuth: true
    minimalTlsVersion: 'Tls12'
    publicNetworkAccess: 'Enabled'
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-11-15' = {
  parent: account
  name: databaseName
  properties: {
    resource: {
      id: databaseName
    }
  }
}

resource container 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-11-15' = {
  parent: database
  name: containerName
  properties: {
    resource: {
      id: containerName
      partitionKey: {
        paths: [
          '/id'
        ]
        kind: 'Hash'
        version: 2
      }
    }
  }
}

resource appDataContributor 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-11-15' = {
  parent: account
  name: guid(account.id, appPrincipalId, dataContributor)
  properties: {
    principalId: appPrincipalId
    roleDefinitionId: '${account.id}/sqlRoleDefinitions/${dataContributor}'
    scope: account.id
  }
  dependsOn: [
    container
  ]
}

resource userDataContributor 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-11-15' = if (!empty(userPrincipalId)) {
  parent: account
  name: guid(account.id, userPrincipalId, dataContributor)
  properties: {
    principalId: userPrincipalId
    roleDefinitionId: '${account.id}/sqlRoleDefinitions/${dataContributor}'
    scope: account.id
  }
  dependsOn: [
    appDataContributor
  ]
}

output endpoint string = account.properties.documentEndpoint
output name string = account.name
