/**
 * The stores of one process: the customer store (Azure Cosmos DB, or the embedded Cosmos DB
 * server) and the product search (Azure AI Search, or the embedded hybrid index) with the
 * cited sources read back from it. The Azure AI Search SDK loads only when it is configured.
 * Each opener returns what it holds open, so the composition root closes it in reverse order.
 *
 * @module
 */
import { CosmosClient } from "@azure/cosmos";
import type { TokenCredential } from "@azure/identity";
import type { Config } from "../config/types.ts";
import { createCosmosCustomerStore } from "../customers/cosmos_customer_store.ts";
import { startEmbeddedCosmos } from "../customers/embedded_cosmos.ts";
import type { CustomerStore } from "../customers/types.ts";
import { createAzureSources } from "../products/azure_sources.ts";
import type { EmbeddedProductSearch } from "../products/orama_product_search.ts";
import { createEmbeddedSources, type SourceStore } from "../products/sources.ts";
import type { ProductSearch, SearchDocument } from "../products/types.ts";

/** Customer profiles are cached this long per process (a chat request reads one every time). */
const CUSTOMER_CACHE_TTL_MS = 15_000;

/** An open customer store and how to release it. */
export interface OpenCustomerStore {
  customers: CustomerStore;
  close(): Promise<void> | void;
}

/**
 * Open the configured customer store: Azure Cosmos DB (its key, else the credential), or the
 * embedded Cosmos DB server with its database and container created.
 *
 * @example
 * ```ts ignore
 * const { customers, close } = await openCustomerStore(loadConfig({}).customers);
 * ```
 */
export async function openCustomerStore(
  c: Config["customers"],
  credential?: TokenCredential,
): Promise<OpenCustomerStore> {
  if (c.backend === "cosmos") {
    const client = new CosmosClient({
      endpoint: c.endpoint,
      ...(c.key ? { key: c.key } : { aadCredentials: credential }),
    });
    try {
      const customers = await createCosmosCustomerStore(client, {
        database: c.database,
        container: c.container,
        cacheTtlMs: CUSTOMER_CACHE_TTL_MS,
      });
      return { customers, close: () => client.dispose() };
    } catch (error) {
      client.dispose();
      throw error;
    }
  }
  const embedded = await startEmbeddedCosmos();
  try {
    const customers = await createCosmosCustomerStore(embedded.client, {
      database: c.database,
      container: c.container,
      backend: "embedded",
      createIfMissing: true,
      cacheTtlMs: CUSTOMER_CACHE_TTL_MS,
    });
    return { customers, close: () => embedded.close() };
  } catch (error) {
    await embedded.close();
    throw error;
  }
}

/** A product search with what the runtime needs beside the port. */
export interface SearchBackend {
  products: ProductSearch;
  /** Cited sources read back by id. */
  sources: SourceStore;
  /**
   * Create or update the index definition before seeding (Azure AI Search); nothing to do for
   * the embedded index, which is built in memory.
   */
  ensureIndex(): Promise<void>;
}

/**
 * Open Azure AI Search (its key, else the credential), loading its SDK now.
 *
 * @example
 * ```ts ignore
 * const search = await openAzureSearch(config.products, { dimensions: 1536, credential });
 * await search.ensureIndex();
 * ```
 */
export async function openAzureSearch(
  p: Extract<Config["products"], { backend: "azure-search" }>,
  options: { dimensions: number; credential?: TokenCredential },
): Promise<SearchBackend> {
  const [
    { AzureKeyCredential, SearchClient, SearchIndexClient },
    { createAzureProductSearch },
  ] = await Promise.all([
    import("@azure/search-documents"),
    import("../products/azure_ai_search.ts"),
  ]);
  const credential = p.apiKey ? new AzureKeyCredential(p.apiKey) : options.credential!;
  const client = new SearchClient<SearchDocument>(p.endpoint, p.index, credential);
  const products = createAzureProductSearch(
    client,
    new SearchIndexClient(p.endpoint, credential),
    {
      indexName: p.index,
      dimensions: options.dimensions,
      semanticConfiguration: p.semanticConfiguration,
    },
  );
  return { products, sources: createAzureSources(client), ensureIndex: products.ensureIndex };
}

/**
 * The embedded index as a search backend: its sources are read from the index itself.
 *
 * @example
 * ```ts ignore
 * const search = embeddedSearch(createOramaProductSearch({ dimensions: 256 }));
 * ```
 */
export function embeddedSearch(search: EmbeddedProductSearch): SearchBackend {
  return {
    products: search,
    sources: createEmbeddedSources(search.index),
    ensureIndex: () => Promise.resolve(),
  };
}
