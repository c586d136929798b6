// Starts Swagger UI on this server's OpenAPI document. Everything is served by this app:
// no CDN, no validator badge (validatorUrl: null), so the page works offline.
globalThis.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  validatorUrl: null,
  tryItOutEnabled: true,
  displayRequestDuration: true,
  defaultModelsExpandDepth: 0,
});
