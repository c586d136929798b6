/**
 * Stateful stand-ins for the two Azure services a seed talks to, at the HTTP boundary, holding
 * the documented limits a real service enforces and counting what they are asked:
 *
 * - Azure AI Search (REST, as `@azure/search-documents` sends it): `PUT indexes('NAME')`,
 *   `POST indexes('NAME')/docs/search.index` (at most 1,000 documents and 16 MB, else 413),
 *   `POST indexes('NAME')/docs/search.post.search` with `search.in(id, …)` filters and
 *   `select`, or a vector query ranked by cosine similarity, and `GET indexes('NAME')/docs/$count`.
 * - Azure OpenAI embeddings: `POST {endpoint}/openai/deployments/{name}/embeddings`, refusing
 *   with 400 more than 2,048 inputs, or more than 8,192 tokens in one input or one request
 *   (counted by the real cl100k_base tokenizer).
 *
 * Each serves a `Request` (for `Deno.serve` or a `fetch` option); the search one also as the
 * SDK's `httpClient`.
 *
 * @module
 */
import type { SearchClientOptions } from "@azure/search-documents";
import { Tiktoken } from "js-tiktoken/lite";
import cl100k from "js-tiktoken/ranks/cl100k_base";

type HttpClient = NonNullable<SearchClientOptions["httpClient"]>;
type PipelineRequest = Parameters<HttpClient["sendRequest"]>[0];
type PipelineResponse = Awaited<ReturnType<HttpClient["sendRequest"]>>;

/** What the search stand-in was asked, by operation. */
export interface SearchCalls {
  index: number;
  /** Upload requests (`docs/search.index`, other than deletes) and the documents in each. */
  uploads: number[];
  /** Hash lookups (`search.post.search` with an id filter) and the ids in each. */
  lookups: number[];
  /** Listings (`search.post.search` with a productId filter) and the product ids in each. */
  listings: number[];
  /** Delete actions received. */
  deleted: number;
  searches: number;
  counts: number;
  refused: number;
}

/** A document as stored: every field the upload carried. */
export type StoredDocument = Record<string, unknown> & { id: string };

const UPLOAD_MAX_DOCUMENTS = 1000;
const UPLOAD_MAX_BYTES = 16 * 1024 * 1024;

function cosine(a: number[], b: number[]): number {
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * (b[i] ?? 0);
    na += a[i] * a[i];
    nb += (b[i] ?? 0) ** 2;
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

/** An Azure AI Search service with one index, in memory. */
export function createSearchStandIn(indexName: string) {
  const documents = new Map<string, StoredDocument>();
  let definition: Record<string, unknown> | undefined;
  const calls: SearchCalls = {
    index: 0,
    uploads: [],
    lookups: [],
    listings: [],
    deleted: 0,
    searches: 0,
    counts: 0,
    refused: 0,
  };
  const json = (status: number, body: unknown) => ({ status, body: JSON.stringify(body) });
  const error = (status: number, message: string) => {
    calls.refused++;
    return json(status, { error: { code: String(status), message } });
  };

  function handle(method: string, url: URL, body: string): { status: number; body: string } {
    const path = decodeURIComponent(url.pathname);
    if (!url.searchParams.get("api-version")) return error(400, "api-version is required");
    if (method === "PUT" && path === `/indexes('${indexName}')`) {
      calls.index++;
      definition = JSON.parse(body);
      return json(201, definition);
    }
    if (path === `/indexes('${indexName}')/docs/$count`) {
      calls.counts++;
      return { status: 200, body: String(documents.size) };
    }
    if (method === "POST" && path === `/indexes('${indexName}')/docs/search.index`) {
      const batch = (JSON.parse(body).value ?? []) as Record<string, unknown>[];
      if (
        batch.length > UPLOAD_MAX_DOCUMENTS ||
        new TextEncoder().encode(body).length > UPLOAD_MAX_BYTES
      ) {
        return error(413, `Request too large: ${batch.length} documents, ${body.length} bytes`);
      }
      const writes = batch.filter((a) => a["@search.action"] !== "delete").length;
      if (writes > 0) calls.uploads.push(writes);
      const fields = new Set(
        ((definition?.fields ?? []) as { name: string }[]).map((f) => f.name),
      );
      const results = batch.map((action) => {
        const { "@search.action": verb, ...doc } = action;
        if (verb === "delete") {
          calls.deleted++;
          const existed = documents.delete(String(doc.id));
          return { key: doc.id, status: true, errorMessage: null, statusCode: existed ? 200 : 404 };
        }
        const unknown = Object.keys(doc).filter((k) => definition && !fields.has(k));
        if (unknown.length > 0) {
          return {
            key: doc.id,
            status: false,
            errorMessage: `Unknown field ${unknown[0]}`,
            statusCode: 400,
          };
        }
        documents.set(
          String(doc.id),
          { ...documents.get(String(doc.id)), ...doc } as StoredDocument,
        );
        return { key: doc.id, status: true, errorMessage: null, statusCode: 200 };
      });
      return json(results.every((r) => r.status) ? 200 : 207, { value: results });
    }
    if (method === "POST" && path === `/indexes('${indexName}')/docs/search.post.search`) {
      const query = JSON.parse(body) as {
        filter?: string;
        select?: string;
        top?: number;
        vectorQueries?: { vector?: number[] }[];
      };
      const select = query.select?.split(",");
      const unknown = select?.filter((f) =>
        definition && !((definition.fields ?? []) as { name: string }[]).some((d) => d.name === f)
      );
      if (unknown?.length) return error(400, `Could not find a property named '${unknown[0]}'`);
      const inFilter = /^search\.in\((id|productId), '((?:[^']|'')*)', ','\)$/.exec(
        query.filter ?? "",
      );
      let hits = [...documents.values()];
      if (query.filter) {
        if (!inFilter) return error(400, `Unsupported filter in the stand-in: ${query.filter}`);
        const values = inFilter[2].replaceAll("''", "'").split(",");
        if (inFilter[1] === "id") {
          calls.lookups.push(values.length);
          hits = values.flatMap((id) => documents.has(id) ? [documents.get(id)!] : []);
        } else {
          calls.listings.push(values.length);
          const wanted = new Set(values);
          hits = hits.filter((d) => wanted.has(String(d.productId)));
        }
      } else calls.searches++;
      // A vector query ranks by cosine similarity to the stored vectors, nearest first.
      const vector = query.vectorQueries?.[0]?.vector;
      const scoreOf = (d: StoredDocument) =>
        vector && Array.isArray(d.contentVector) ? cosine(vector, d.contentVector) : 1;
      hits = hits.map((d) => ({ d, score: scoreOf(d) })).sort((a, b) => b.score - a.score)
        .slice(0, query.top ?? 50).map(({ d }) => d);
      const value = hits.map((d) => ({
        "@search.score": scoreOf(d),
        ...(select ? Object.fromEntries(select.filter((f) => f in d).map((f) => [f, d[f]])) : d),
      }));
      return json(200, { value });
    }
    return error(404, `No route for ${method} ${path}`);
  }

  const httpClient: HttpClient = {
    sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      const reply = handle(
        request.method,
        new URL(request.url),
        typeof request.body === "string" ? request.body : "",
      );
      const headers = new Map([["content-type", "application/json; odata.metadata=none"]]);
      return Promise.resolve({
        request,
        status: reply.status,
        headers: {
          get: (name: string) => headers.get(name.toLowerCase()),
          has: (name: string) => headers.has(name.toLowerCase()),
          set: (name: string, value: string | number | boolean) =>
            void headers.set(name.toLowerCase(), String(value)),
          delete: (name: string) => void headers.delete(name.toLowerCase()),
          toJSON: () => Object.fromEntries(headers),
          [Symbol.iterator]: () => headers.entries(),
        },
        bodyAsText: reply.body,
      });
    },
  };

  return {
    documents,
    calls,
    definition: () => definition,
    httpClient,
    async fetch(request: Request): Promise<Response> {
      const reply = handle(request.method, new URL(request.url), await request.text());
      return new Response(reply.body, {
        status: reply.status,
        headers: { "content-type": "application/json; odata.metadata=none" },
      });
    },
  };
}

/** What the embeddings stand-in was asked. */
export interface EmbeddingCalls {
  /** Inputs per successful request. */
  requests: number[];
  /** Real (cl100k_base) tokens per successful request. */
  tokens: number[];
  refused: string[];
  /** Every text embedded, in order. */
  texts: string[];
}

/** Azure OpenAI's embeddings endpoint for one deployment, with its documented limits. */
export function createEmbeddingsStandIn(deployment: string, dimensions: number) {
  const encoder = new Tiktoken(cl100k);
  const calls: EmbeddingCalls = { requests: [], tokens: [], refused: [], texts: [] };
  const refuse = (message: string) => {
    calls.refused.push(message);
    return Response.json({ error: { code: "invalid_request", message } }, { status: 400 });
  };
  return {
    calls,
    async fetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
      const request = new Request(input, init);
      const url = new URL(request.url);
      if (url.pathname !== `/openai/deployments/${deployment}/embeddings`) {
        return Response.json({ error: { code: "404", message: url.pathname } }, { status: 404 });
      }
      const body = await request.json() as { input: string | string[] };
      const inputs = [body.input].flat();
      if (inputs.length > 2048) return refuse(`${inputs.length} inputs; at most 2048`);
      const counts = inputs.map((t) => encoder.encode(t).length);
      if (counts.some((n) => n > 8192)) return refuse("an input is over 8192 tokens");
      const total = counts.reduce((a, b) => a + b, 0);
      if (total > 8192) return refuse(`${total} tokens in one request; at most 8192`);
      calls.requests.push(inputs.length);
      calls.tokens.push(total);
      calls.texts.push(...inputs);
      const data = inputs.map((text, index) => ({
        object: "embedding",
        index,
        embedding: Array.from(
          { length: dimensions },
          (_, d) => ((text.length * (d + 1)) % 97) / 97,
        ),
      }));
      return Response.json({
        object: "list",
        data,
        model: deployment,
        usage: { prompt_tokens: total, total_tokens: total },
      });
    },
  };
}
