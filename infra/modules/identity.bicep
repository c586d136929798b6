// The app's user-assigned managed identity: the Container App runs as it, pulls its image with
// it and reaches every data plane with it (AZURE_CLIENT_ID tells DefaultAzureCredential which
// identity to use). Being user-assigned, its principal exists before the app, so every role
// assignment is in place when the first revision starts.
//
// API versions: Microsoft.ManagedIdentity/userAssignedIdentities 2023-01-31

param name string
param location string
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output name string = identity.name
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
