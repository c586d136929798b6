/**
 * The OpenAPI 3.1 description of the server, served at `/openapi.json` and rendered by the
 * offline docs page at `/docs`. Limits come from the running configuration, so the document
 * states the limits the server enforces. A test holds it together with the app's routes.
 *
 * @module
 */
import { errorResponses, schemas } from "./openapi_components.ts";

/** Options of {@link buildOpenApi}. */
export interface OpenApiOptions {
  version: string;
  apiKeyRequired: boolean;
  maxQuestionLength: number;
  maxBodyBytes: number;
  rateLimitPerMinute: number;
}

type Json = Record<string, unknown>;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const errorRef = (name: string) => ({ $ref: `#/components/responses/${name}` });
const json = (schema: Json, example?: unknown) => ({
  "application/json": example === undefined ? { schema } : { schema, example },
});

/** Paths that only serve the pages' assets; described by their page, not one by one. */
export const UNDOCUMENTED_ASSET_PREFIXES = ["/docs/", "/chat/", "/assets/"];

/**
 * Build the document.
 *
 * @example
 * ```ts
 * import { buildOpenApi } from "./openapi.ts";
 * const doc = buildOpenApi({ version: "1.0.0", apiKeyRequired: false, maxQuestionLength: 2000, maxBodyBytes: 65536, rateLimitPerMinute: 120 });
 * console.assert(doc.openapi === "3.1.0");
 * ```
 */
export function buildOpenApi(options: OpenApiOptions): Json & { openapi: string; paths: Json } {
  const security = options.apiKeyRequired ? [{ ApiKey: [] }, { Bearer: [] }] : [];
  const apiErrors = {
    "401": errorRef("Unauthorized"),
    "429": errorRef("RateLimited"),
    "500": errorRef("InternalError"),
  };

  const chatParameters = [
    {
      name: "question",
      in: "query",
      description: "The customer's question (the original workshop's query form).",
      schema: { type: "string", maxLength: options.maxQuestionLength },
    },
    {
      name: "customer_id",
      in: "query",
      description: "Id of the customer asking.",
      schema: { type: "string" },
    },
    {
      name: "chat_history",
      in: "query",
      description: 'Earlier turns as a JSON string: `[{"role":"user","content":"..."}]`.',
      schema: { type: "string" },
    },
    {
      name: "stream",
      in: "query",
      description: "`true` answers with server-sent events (same as `Accept: text/event-stream`).",
      schema: { type: "boolean" },
    },
  ];

  return {
    openapi: "3.1.0",
    info: {
      title: "Contoso Chat API",
      version: options.version,
      summary: "Retail copilot for Contoso Outdoors: grounded answers about products.",
      description: "Answers a customer's question from their profile and order history and " +
        "from the product catalog and manuals (hybrid search), citing the products used. " +
        `Requests to /api/* are limited to ${options.rateLimitPerMinute} per minute per client` +
        (options.apiKeyRequired ? " and require the API key." : "."),
    },
    servers: [{ url: "/" }],
    tags: [
      { name: "chat", description: "Ask the assistant" },
      { name: "service", description: "Health, readiness and documentation" },
      { name: "pages", description: "Browser pages served by the app" },
    ],
    paths: {
      "/": {
        get: {
          tags: ["service"],
          summary: "Greeting with the version and links",
          operationId: "getRoot",
          responses: { "200": { description: "Greeting", content: json(ref("Greeting")) } },
        },
      },
      "/health": {
        get: {
          tags: ["service"],
          summary: "Liveness: the process answers",
          operationId: "getHealth",
          responses: { "200": { description: "Alive", content: json(ref("Health")) } },
        },
      },
      "/ready": {
        get: {
          tags: ["service"],
          summary: "Readiness: every dependency answered its check",
          operationId: "getReady",
          responses: {
            "200": { description: "All dependencies ready", content: json(ref("Readiness")) },
            "503": {
              description: "At least one dependency failed; `failed` names them",
              content: json(ref("Readiness")),
            },
          },
        },
      },
      "/api/customers": {
        get: {
          tags: ["chat"],
          summary: "Customers for the chat page's picker (id, first name, membership only)",
          operationId: "listCustomers",
          security,
          responses: {
            "200": { description: "Customers", content: json(ref("CustomerList")) },
            ...apiErrors,
            "502": errorRef("UpstreamError"),
            "504": errorRef("UpstreamTimeout"),
          },
        },
      },
      "/api/create_response": {
        post: {
          tags: ["chat"],
          summary: "Answer a customer's question",
          description: "Send either the original workshop's query parameters (`question`, " +
            "`customer_id`, `chat_history` as a JSON string, empty body) or a JSON body. " +
            "Body fields win over query parameters. With `Accept: text/event-stream` or " +
            "`stream: true` the answer arrives as server-sent events: `context` (the products " +
            "and manual passages), then `delta` events (text), then `done` (the whole answer). " +
            "A failure after the stream started arrives as an `error` event that ends it.",
          operationId: "createResponse",
          security,
          parameters: chatParameters,
          requestBody: {
            required: false,
            description: `JSON object, at most ${options.maxBodyBytes} bytes.`,
            content: json(ref("ChatRequest"), {
              question: "What tent would you recommend for a weekend in the mountains?",
              customer_id: "1",
              chat_history: [],
            }),
          },
          responses: {
            "200": {
              description: "The answer and the material it was grounded on",
              content: {
                ...json(ref("ChatResponse")),
                "text/event-stream": {
                  schema: { type: "string" },
                  description: "Events `context`, `delta`*, `done`; or `error`. Each `data:` " +
                    "line is JSON: see the StreamContextEvent, StreamDeltaEvent, ChatResponse " +
                    "and StreamErrorEvent schemas.",
                  example: 'event: context\ndata: {"context":[],"queries":["tent"]}\n\n' +
                    'event: delta\ndata: {"text":"Hello"}\n\n' +
                    'event: done\ndata: {"question":"...","answer":"Hello","context":[]}\n\n',
                },
              },
            },
            "400": errorRef("BadRequest"),
            "404": errorRef("NotFound"),
            "405": errorRef("MethodNotAllowed"),
            "413": errorRef("PayloadTooLarge"),
            "415": errorRef("UnsupportedMediaType"),
            ...apiErrors,
            "502": errorRef("UpstreamError"),
            "504": errorRef("UpstreamTimeout"),
          },
        },
      },
      "/openapi.json": {
        get: {
          tags: ["service"],
          summary: "This document",
          operationId: "getOpenApi",
          responses: { "200": { description: "OpenAPI 3.1", content: json({ type: "object" }) } },
        },
      },
      "/docs": {
        get: {
          tags: ["pages"],
          summary: "Interactive API documentation (works offline)",
          operationId: "getDocs",
          responses: { "200": { description: "HTML page", content: { "text/html": {} } } },
        },
      },
      "/chat": {
        get: {
          tags: ["pages"],
          summary: "Chat page: pick a customer, ask, see the streamed answer and its sources",
          operationId: "getChat",
          responses: { "200": { description: "HTML page", content: { "text/html": {} } } },
        },
      },
    },
    components: {
      securitySchemes: {
        ApiKey: { type: "apiKey", in: "header", name: "x-api-key" },
        Bearer: { type: "http", scheme: "bearer" },
      },
      schemas: schemas(options),
      responses: errorResponses(options),
    },
  };
}
