// The hosted API: a Container Apps environment (logs to Log Analytics through diagnostic
// settings, so no workspace key is handed around) and the app, running as the user-assigned
// identity with the configuration as environment variables (the secret one as a Container Apps
// secret), HTTP probes on /health (liveness, startup) and /ready (readiness), and an HTTP
// concurrency scale rule.
//
// Until azd deploys the first image (SERVICE_API_IMAGE_NAME), a public placeholder runs; azd
// deploy then replaces only the image, keeping the port, probes, scale rule and environment
// set here. A later provision keeps the running image (main.bicep passes it through
// modules/existing_image.bicep when SERVICE_API_RESOURCE_EXISTS is true).
//
// Probe limits (Container Apps probe reference): failureThreshold 1-10, periodSeconds 1-240,
// initialDelaySeconds 1-60, timeoutSeconds 1-240, successThreshold 1 for startup and liveness.
//
// API versions: Microsoft.App/managedEnvironments 2025-01-01
//               Microsoft.Insights/diagnosticSettings 2021-05-01-preview
//               Microsoft.App/containerApps 2025-01-01

param environmentName string
param appName string
param location string
param tags object

@description('azd service name; azd finds the app by this tag.')
param serviceName string

@description('Image to run; empty runs the placeholder until the first azd deploy.')
param imageName string = ''

param identityId string
param registryServer string
param workspaceId string

@description('Plain environment variables: name to value.')
param environmentVariables object

@description('Environment variables kept as Container Apps secrets: name to value.')
@secure()
param secretEnvironmentVariables object

param minReplicas int = 1
param maxReplicas int = 3

@description('Port the server listens on (the Dockerfile sets PORT to it).')
param targetPort int = 8000

var placeholderImage = 'mcr.microsoft.com/azuredocs/containerapps-helloworld:latest'

// Container Apps secret names allow lowercase letters, digits and '-'.
var secrets = [
  for item in items(secretEnvironmentVariables): {
    name: toLower(replace(item.key, '_', '-'))
    value: item.value
  }
]
var plainEnv = [for item in items(environmentVariables): { name: item.key, value: item.value }]
var secretEnv = [
  for item in items(secretEnvironmentVariables): {
    name: item.key
    secretRef: toLower(replace(item.key, '_', '-'))
  }
]

resource environment 'Microsoft.App/managedEnvironments@2025-01-01' = {
  name: environmentName
  location: location
  tags: tags
  properties: {
    appLogsConfiguration: {
      destination: 'azure-monitor'
    }
    workloadProfiles: [
      {
        name: 'Consumption'
        workloadProfileType: 'Consumption'
      }
    ]
  }
}

resource environmentLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'logs-to-workspace'
  scope: environment
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        category: 'ContainerAppConsoleLogs'
        enabled: true
      }
      {
        category: 'ContainerAppSystemLogs'
        enabled: true
      }
    ]
  }
}

resource app 'Microsoft.App/containerApps@2025-01-01' = {
  name: appName
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    environmentId: environment.id
    workloadProfileName: 'Consumption'
    configuration: {
      activeRevisionsMode: 'Single'
      // HTTP ingress (Envoy), never 'tcp' and no extra TCP port mappings: it terminates TLS,
      // reads a request's whole head before it opens a request to the container, and cuts any
      // request at 240 s. That bounds what Deno.serve does not (measured on 2.9.6: no deadline
      // for the request head, no idle keep-alive timeout): a client trickling header lines
      // holds an ingress connection, not one of the server's. The server bounds the body
      // itself (408 after 10 s; server/middleware/body_limit.ts).
      ingress: {
        external: true
        targetPort: targetPort
        transport: 'auto'
        allowInsecure: false
      }
      registries: [
        {
          server: registryServer
          identity: identityId
        }
      ]
      secrets: secrets
    }
    template: {
      // SIGTERM to SIGKILL: above the server's shutdown grace (25 s, server/serve.ts), which
      // itself ends early once no response is pending.
      terminationGracePeriodSeconds: 30
      containers: [
        {
          name: serviceName
          image: empty(imageName) ? placeholderImage : imageName
          env: concat(plainEnv, secretEnv)
          resources: {
            cpu: json('0.5')
            memory: '1Gi'
          }
          probes: [
            {
              type: 'Startup'
              httpGet: {
                path: '/health'
                port: targetPort
              }
              // Startup budget: 2 s + 10 failures x 6 s = 62 s before the replica is restarted
              // (the documented maximum failureThreshold is 10; a cold start with a large
              // catalog needs the time).
              initialDelaySeconds: 2
              periodSeconds: 6
              failureThreshold: 10
            }
            {
              type: 'Liveness'
              httpGet: {
                path: '/health'
                port: targetPort
              }
              periodSeconds: 15
              failureThreshold: 3
            }
            {
              // /ready calls every dependency (cached briefly by the server), so not too often.
              type: 'Readiness'
              httpGet: {
                path: '/ready'
                port: targetPort
              }
              periodSeconds: 30
              timeoutSeconds: 15
              failureThreshold: 3
            }
          ]
        }
      ]
      scale: {
        minReplicas: minReplicas
        maxReplicas: maxReplicas
        rules: [
          {
            name: 'http-concurrency'
            http: {
              metadata: {
                concurrentRequests: '20'
              }
            }
          }
        ]
      }
    }
  }
}

output name string = app.name
output uri string = 'https://${app.properties.configuration.ingress.fqdn}'
