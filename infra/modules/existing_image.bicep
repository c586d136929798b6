// The image the api Container App runs now, so a provision keeps it. azd passes
// SERVICE_API_RESOURCE_EXISTS (main.bicep's apiExists) from a lookup of the app it deploys to;
// SERVICE_API_IMAGE_NAME lives only in the azd environment that deployed, so a provision from a
// fresh environment (a new Codespace, a CI runner) has the app but no image name. Reading the
// running image here instead of falling back to the placeholder keeps the live app serving.
//
// A separate module because a template cannot read, through an `existing` reference, the same
// resource it also declares; this one is deployed (and read) before modules/container_app.bicep.
// When exists is false the reference is not evaluated (conditional resource, guarded ternary),
// so the first provision of an empty resource group does not fail on a missing app.
//
// API versions: Microsoft.App/containerApps 2025-01-01 (existing)

@description('Whether the Container App exists (azd: SERVICE_API_RESOURCE_EXISTS).')
param exists bool

@description('Name of the Container App.')
param appName string

resource current 'Microsoft.App/containerApps@2025-01-01' existing = if (exists) {
  name: appName
}

@description('Image of the app\'s first container; empty when the app does not exist.')
output image string = exists ? current!.properties.template.containers[0].image : ''
