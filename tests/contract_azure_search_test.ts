/**
 * Contract: the Azure AI Search adapter (`createAzureProductSearch`) against the documented REST
 * shapes, at the HTTP boundary: a `SearchClient` built with an `httpClient` that records each
 * request and answers with a recorded response. A hybrid query is `POST
 * {endpoint}/indexes('NAME')/docs/search.post.search?api-version=…` with the text, `top`, one
 * vector query on `contentVector` and, when configured, semantic ranking. And the shared
 * ProductSearch contract against the stateful stand-in of the service.
 *
 * @module
 */
import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import type { AccessToken, TokenCredential } from "@azure/identity";
import {
  AzureKeyCredential,
  SearchClient,
  type SearchClientOptions,
  SearchIndexClient,
} from "@azure/search-documents";
import {
  createAzureProductSearch,
  productIndexDefinition,
  type SearchDocument,
  UpstreamError,
} from "../lib/mod.ts";
import { uploadBatches } from "../lib/products/azure_ai_search.ts";
import { testProductSearchContract } from "../lib/products/search_contract.ts";
import { createSearchStandIn } from "./_azure_seed_stand_ins.ts";

const ENDPOINT = "https://contoso-search.search.windows.net";
const INDEX = "contoso-products";
const recorded = (name: string) =>
  Deno.readTextFileSync(new URL(`./testdata/azure/${name}`, import.meta.url));

type HttpClient = NonNullable<SearchClientOptions["httpClient"]>;
type PipelineRequest = Parameters<HttpClient["sendRequest"]>[0];
type PipelineResponse = Awaited<ReturnType<HttpClient["sendRequest"]>>;

/** The minimal HttpHeaders the Azure pipeline reads from a response. */
function headers(init: Record<string, string>): PipelineResponse["headers"] {
  const map = new Map(Object.entries(init).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    get: (name: string) => map.get(name.toLowerCase()),
    has: (name: string) => map.has(name.toLowerCase()),
    set: (name: string, value: string | number | boolean) =>
      void map.set(name.toLowerCase(), String(value)),
    delete: (name: string) => void map.delete(name.toLowerCase()),
    toJSON: () => Object.fromEntries(map),
    [Symbol.iterator]: () => map.entries(),
  };
}

interface Recorded {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: Record<string, unknown> | undefined;
}

/** An httpClient that records requests and answers with the given (status, file) in turn. */
function recordingHttpClient(...replies: [number, string | undefined][]) {
  const requests: Recorded[] = [];
  const httpClient: HttpClient = {
    sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      requests.push({
        method: request.method,
        url: new URL(request.url),
        headers: request.headers.toJSON(),
        body: typeof request.body === "string" ? JSON.parse(request.body) : undefined,
      });
      const [status, file] = replies[Math.min(requests.length - 1, replies.length - 1)];
      return Promise.resolve({
        request,
        status,
        headers: headers({ "content-type": "application/json; odata.metadata=none" }),
        bodyAsText: file ? recorded(file) : "",
      });
    },
  };
  return { httpClient, requests };
}

const options = (httpClient: HttpClient) => ({ httpClient, retryOptions: { maxRetries: 0 } });
const vector = [0.1, -0.2, 0.3, 0.4];

Deno.test("Azure AI Search hybrid semantic query: URL, body and mapped hits", async () => {
  const { httpClient, requests } = recordingHttpClient([
    200,
    "search_hybrid_semantic_response.json",
  ]);
  const client = new SearchClient<SearchDocument>(
    ENDPOINT,
    INDEX,
    new AzureKeyCredential("search-query-key"),
    options(httpClient),
  );
  const search = createAzureProductSearch(client, undefined, {
    indexName: INDEX,
    dimensions: 4,
    semanticConfiguration: "default",
  });
  equal(search.backend, "azure-search");
  const hits = await search.search({ text: "sleeping bag for my tent", vector }, { top: 2 });

  equal(requests.length, 1);
  const [request] = requests;
  equal(request.method, "POST");
  equal(request.url.origin, ENDPOINT);
  equal(request.url.pathname, `/indexes('${INDEX}')/docs/search.post.search`);
  ok(/^\d{4}-\d{2}-\d{2}(-preview)?$/.test(request.url.searchParams.get("api-version") ?? ""));
  equal(request.headers["api-key"], "search-query-key");
  const body = request.body!;
  equal(body.search, "sleeping bag for my tent");
  equal(body.top, 2);
  deepEqual(body.vectorQueries, [{ kind: "vector", fields: "contentVector", k: 2, vector }]);
  equal(body.queryType, "semantic");
  equal(body.semanticConfiguration, "default");
  equal(body.select, "id,kind,productId,title,content,url,category,brand");

  deepEqual(hits.map((h) => [h.id, h.kind, h.productId]), [
    ["19", "product", "19"],
    ["1-manual-care-and-maintenance", "manual", "1"],
  ]);
  equal(hits[0].score, 2.6011641025543213, "the semantic reranker score wins");
  equal(hits[1].url, "/manuals/1-summit-dome-2-tent.md#care-and-maintenance");
  deepEqual(Object.keys(hits[0]).sort(), [
    "brand",
    "category",
    "content",
    "id",
    "kind",
    "productId",
    "score",
    "title",
    "url",
  ]);
});

Deno.test("Azure AI Search without a semantic configuration sends a plain hybrid query", async () => {
  const { httpClient, requests } = recordingHttpClient([200, "search_hybrid_response.json"]);
  const client = new SearchClient<SearchDocument>(
    ENDPOINT,
    INDEX,
    new AzureKeyCredential("k"),
    options(httpClient),
  );
  const search = createAzureProductSearch(client, undefined, {
    indexName: INDEX,
    dimensions: 4,
    semanticConfiguration: "",
  });
  const hits = await search.search({ text: "camp stove", vector });
  const body = requests[0].body!;
  equal(body.queryType, undefined);
  equal(body.semanticConfiguration, undefined);
  equal(body.top, 3, "three hits per query by default");
  deepEqual(body.vectorQueries, [{ kind: "vector", fields: "contentVector", k: 3, vector }]);
  equal(hits[0].score, 0.031746031);
});

Deno.test("Azure AI Search keyless: a bearer token for the search scope", async () => {
  const scopes: string[] = [];
  const credential: TokenCredential = {
    getToken(scope: string | string[]): Promise<AccessToken> {
      scopes.push(...[scope].flat());
      return Promise.resolve({ token: "search-token", expiresOnTimestamp: Date.now() + 3600e3 });
    },
  };
  const { httpClient, requests } = recordingHttpClient([200, "search_hybrid_response.json"]);
  const client = new SearchClient<SearchDocument>(ENDPOINT, INDEX, credential, options(httpClient));
  await createAzureProductSearch(client, undefined, {
    indexName: INDEX,
    dimensions: 4,
    semanticConfiguration: "default",
  }).search({ text: "stove", vector });
  equal(requests[0].headers["authorization"], "Bearer search-token");
  equal(requests[0].headers["api-key"], undefined);
  deepEqual(scopes, ["https://search.azure.com/.default"]);
});

Deno.test("Azure AI Search failures become UpstreamErrors with the status", async () => {
  const { httpClient } = recordingHttpClient([503, "search_error_503.json"]);
  const client = new SearchClient<SearchDocument>(
    ENDPOINT,
    INDEX,
    new AzureKeyCredential("k"),
    options(httpClient),
  );
  const search = createAzureProductSearch(client, undefined, {
    indexName: INDEX,
    dimensions: 4,
    semanticConfiguration: "default",
  });
  await rejects(search.search({ text: "x", vector }), (e: Error) => {
    ok(e instanceof UpstreamError);
    equal(e.service, "products");
    equal(e.status, 503);
    equal(e.isRetryable, true);
    equal(e.message, "Azure AI Search failed to search (HTTP 503)");
    return true;
  });
});

const doc: SearchDocument = {
  id: "19",
  kind: "product",
  productId: "19",
  title: "Dreamhollow 35 Synthetic Sleeping Bag",
  content: "A sleeping bag.",
  url: "/products/19",
  category: "Sleeping Bags",
  brand: "Alder & Ash",
  contentVector: vector,
};

Deno.test("Azure AI Search upload: mergeOrUpload batch to docs/search.index", async (t) => {
  await t.step("all succeed", async () => {
    const { httpClient, requests } = recordingHttpClient([
      200,
      "search_index_documents_response.json",
    ]);
    const client = new SearchClient<SearchDocument>(
      ENDPOINT,
      INDEX,
      new AzureKeyCredential("admin-key"),
      options(httpClient),
    );
    const search = createAzureProductSearch(client, undefined, {
      indexName: INDEX,
      dimensions: 4,
      semanticConfiguration: "default",
    });
    const manual = { ...doc, id: "1-manual-care-and-maintenance", kind: "manual" as const };
    equal(await search.upsert([doc, manual]), 2);
    equal(requests[0].method, "POST");
    equal(requests[0].url.pathname, `/indexes('${INDEX}')/docs/search.index`);
    const value = requests[0].body!.value as Record<string, unknown>[];
    deepEqual(value.map((v) => [v["@search.action"], v.id]), [
      ["mergeOrUpload", "19"],
      ["mergeOrUpload", "1-manual-care-and-maintenance"],
    ]);
    deepEqual(value[0].contentVector, vector);
  });
  await t.step("a partial failure names the failed keys", async () => {
    const { httpClient } = recordingHttpClient([
      207,
      "search_index_documents_partial_failure.json",
    ]);
    const client = new SearchClient<SearchDocument>(
      ENDPOINT,
      INDEX,
      new AzureKeyCredential("admin-key"),
      options(httpClient),
    );
    const search = createAzureProductSearch(client, undefined, {
      indexName: INDEX,
      dimensions: 4,
      semanticConfiguration: "default",
    });
    await rejects(search.upsert([doc, { ...doc, id: "bad" }]), (e: Error) => {
      ok(e instanceof UpstreamError);
      ok((e.cause as Error).message.includes("bad: The vector field"), String(e.cause));
      return true;
    });
  });
});

Deno.test("productIndexDefinition(): keyword fields, a sized vector field, HNSW, semantic config", () => {
  const index = productIndexDefinition({
    indexName: INDEX,
    dimensions: 1536,
    semanticConfiguration: "default",
  });
  equal(index.name, INDEX);
  const field = (name: string) =>
    index.fields.find((f) => f.name === name) as unknown as Record<string, unknown>;
  equal(field("id").key, true);
  equal(field("title").searchable, true);
  equal(field("content").searchable, true);
  equal(field("category").filterable, true);
  equal(field("brand").filterable, true);
  equal(field("kind").filterable, true);
  equal(field("url").type, "Edm.String");
  deepEqual(
    [field("contentHash").type, field("contentHash").filterable, field("contentHash").searchable],
    ["Edm.String", true, undefined],
    "the content hash seeding reads back is a plain filterable string",
  );
  deepEqual(
    {
      type: field("contentVector").type,
      dims: field("contentVector").vectorSearchDimensions,
      profile: field("contentVector").vectorSearchProfileName,
    },
    { type: "Collection(Edm.Single)", dims: 1536, profile: "default-profile" },
  );
  const algorithm = index.vectorSearch!.algorithms![0];
  equal(algorithm.kind, "hnsw");
  equal((algorithm as { parameters: { metric: string } }).parameters.metric, "cosine");
  deepEqual(index.vectorSearch!.profiles, [{
    name: "default-profile",
    algorithmConfigurationName: algorithm.name,
  }]);
  const semantic = index.semanticSearch!;
  equal(semantic.defaultConfigurationName, "default");
  deepEqual(semantic.configurations![0].prioritizedFields, {
    titleField: { name: "title" },
    contentFields: [{ name: "content" }],
    keywordsFields: [{ name: "category" }, { name: "brand" }],
  });
});

Deno.test("ensureIndex() PUTs the index definition to indexes('NAME')", async () => {
  const { httpClient, requests } = recordingHttpClient([201, "search_index_created.json"]);
  const indexClient = new SearchIndexClient(
    ENDPOINT,
    new AzureKeyCredential("admin-key"),
    options(httpClient),
  );
  const client = new SearchClient<SearchDocument>(ENDPOINT, INDEX, new AzureKeyCredential("k"));
  const search = createAzureProductSearch(client, indexClient, {
    indexName: INDEX,
    dimensions: 256,
    semanticConfiguration: "my-semantic",
  });
  await search.ensureIndex();
  equal(requests[0].method, "PUT");
  equal(requests[0].url.pathname, `/indexes('${INDEX}')`);
  const body = requests[0].body!;
  equal(body.name, INDEX);
  const fields = body.fields as {
    name: string;
    dimensions?: number;
    vectorSearchProfile?: string;
  }[];
  const vectorField = fields.find((f) => f.name === "contentVector")!;
  equal(vectorField.dimensions, 256);
  ok(fields.some((f) => f.name === "contentHash"), "the index carries contentHash");
  equal(vectorField.vectorSearchProfile, "default-profile");
  equal((body.semantic as { defaultConfiguration: string }).defaultConfiguration, "my-semantic");
  equal(
    (body.vectorSearch as { algorithms: { kind: string }[] }).algorithms[0].kind,
    "hnsw",
  );
  await rejects(
    createAzureProductSearch(client, undefined, {
      indexName: INDEX,
      dimensions: 4,
      semanticConfiguration: "",
    }).ensureIndex(),
    TypeError,
  );
});

Deno.test("existingHashes() reads contentHash back by id: search.in filters of at most 1,000", async (t) => {
  const { httpClient, requests } = recordingHttpClient([
    200,
    "search_content_hashes_response.json",
  ]);
  const client = new SearchClient<SearchDocument>(
    ENDPOINT,
    INDEX,
    new AzureKeyCredential("admin-key"),
    options(httpClient),
  );
  const search = createAzureProductSearch(client, undefined, {
    indexName: INDEX,
    dimensions: 4,
    semanticConfiguration: "default",
  });
  const ids = [
    "19",
    "1-manual-care-and-maintenance",
    "o'brien-1",
    ...Array.from({ length: 1497 }, (_, i) => `p${i}`),
  ];
  const hashes = await search.existingHashes!(ids);

  await t.step("one POST search per 1,000 ids, with the ids, the two fields and top", () => {
    equal(requests.length, 2);
    for (const r of requests) {
      equal(r.method, "POST");
      equal(r.url.pathname, `/indexes('${INDEX}')/docs/search.post.search`);
      equal(r.body!.search, "*");
      equal(r.body!.select, "id,contentHash");
    }
    equal(requests[0].body!.top, 1000);
    equal(requests[1].body!.top, 500);
    const filter = String(requests[0].body!.filter);
    ok(filter.startsWith("search.in(id, '19,1-manual-care-and-maintenance,o''brien-1,p0,"), filter);
    ok(filter.endsWith(",p996', ',')"), filter.slice(-40));
  });
  await t.step("the found hashes by id; a document without one is left out", () => {
    deepEqual([...hashes.entries()], [
      ["19", "5d1f0c0e2b1a4a5e8f7c3b9d6e2a1f4c8b7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f"],
      [
        "1-manual-care-and-maintenance",
        "0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b",
      ],
    ]);
  });
});

Deno.test("upsert() splits uploads at 1,000 documents and under 16 MB", async (t) => {
  const { httpClient, requests } = recordingHttpClient([
    200,
    "search_index_documents_response.json",
  ]);
  const client = new SearchClient<SearchDocument>(
    ENDPOINT,
    INDEX,
    new AzureKeyCredential("admin-key"),
    options(httpClient),
  );
  const search = createAzureProductSearch(client, undefined, {
    indexName: INDEX,
    dimensions: 3072,
    semanticConfiguration: "default",
  });
  await t.step("2,500 small documents: 1,000 + 1,000 + 500", async () => {
    const docs = Array.from({ length: 2500 }, (_, i) => ({ ...doc, id: `d${i}` }));
    equal(await search.upsert(docs), 2500);
    deepEqual(requests.map((r) => (r.body!.value as unknown[]).length), [1000, 1000, 500]);
  });
  await t.step("1,000 documents with 3,072-dimension vectors: each request under 16 MB", () => {
    const big = Array.from({ length: 1000 }, (_, i) => ({
      ...doc,
      id: `v${i}`,
      content: "Long passage text. ".repeat(60),
      contentVector: Array.from({ length: 3072 }, (_, d) => -0.012345678901234 * ((d % 7) + 1)),
    }));
    const batches = uploadBatches(big);
    ok(batches.length >= 2, `${batches.length} batches`);
    equal(batches.flat().length, 1000);
    for (const batch of batches) {
      const bytes = new TextEncoder().encode(
        JSON.stringify({ value: batch.map((d) => ({ "@search.action": "mergeOrUpload", ...d })) }),
      ).length;
      ok(bytes < 16 * 1024 * 1024, `${bytes} bytes`);
    }
  });
});

Deno.test("documentIds() lists by search.in(productId, …); remove() sends delete actions", async (t) => {
  const { httpClient, requests } = recordingHttpClient(
    [200, "search_document_ids_response.json"],
    [200, "search_document_ids_response.json"],
    [200, "search_index_documents_response.json"],
  );
  const client = new SearchClient<SearchDocument>(
    ENDPOINT,
    INDEX,
    new AzureKeyCredential("admin-key"),
    options(httpClient),
  );
  const search = createAzureProductSearch(client, undefined, {
    indexName: INDEX,
    dimensions: 4,
    semanticConfiguration: "default",
  });
  await t.step("100 products per listing, selecting only the id", async () => {
    const products = Array.from({ length: 150 }, (_, i) => String(i + 1));
    const ids = await search.documentIds!(products);
    equal(requests.length, 2);
    const [a, b] = requests.map((r) => r.body!);
    equal(a.select, "id");
    equal(a.top, 1000);
    ok(String(a.filter).startsWith("search.in(productId, '1,2,3,"), String(a.filter));
    ok(String(a.filter).endsWith(",100', ',')"), String(a.filter));
    ok(String(b.filter).startsWith("search.in(productId, '101,"), String(b.filter));
    deepEqual(ids.slice(0, 2), ["19", "19-manual-care"]);
  });
  await t.step("remove(): one docs/search.index batch of delete actions by key", async () => {
    equal(await search.remove!(["19-manual-care", "1-manual-old"]), 2);
    const r = requests[2];
    equal(r.url.pathname, `/indexes('${INDEX}')/docs/search.index`);
    deepEqual(r.body!.value, [
      { "@search.action": "delete", id: "19-manual-care" },
      { "@search.action": "delete", id: "1-manual-old" },
    ]);
  });
});

Deno.test("createAzureProductSearch() on the Azure AI Search stand-in keeps the ProductSearch contract", (t) =>
  testProductSearchContract(t, {
    async open(dimensions) {
      const service = createSearchStandIn(INDEX);
      const credential = new AzureKeyCredential("admin-key");
      const sdk = { httpClient: service.httpClient, retryOptions: { maxRetries: 0 } };
      const search = createAzureProductSearch(
        new SearchClient<SearchDocument>(ENDPOINT, INDEX, credential, sdk),
        new SearchIndexClient(ENDPOINT, credential, sdk),
        { indexName: INDEX, dimensions, semanticConfiguration: "default" },
      );
      await search.ensureIndex();
      return { search };
    },
    seedingLookups: true,
  }));
