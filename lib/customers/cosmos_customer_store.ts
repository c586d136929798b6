/**
 * The customer store on `@azure/cosmos`. The same code serves Azure Cosmos DB (keyless with a
 * credential, or a key), the Cosmos DB emulator and the embedded Cosmos DB server: only the
 * client handed in differs.
 *
 * @module
 */
import type { Container, CosmosClient, JSONObject } from "@azure/cosmos";
import { isRetryableStatus, NotFoundError, UpstreamError } from "../errors.ts";
import type { Customer, CustomerStore } from "./types.ts";
import { createReadCache } from "./_read_cache.ts";

/** Options of {@link createCosmosCustomerStore}. */
export interface CosmosCustomerStoreOptions {
  database: string;
  container: string;
  backend?: string;
  /** Create the database and container when missing (seeding, embedded server). */
  createIfMissing?: boolean;
  /**
   * Keep point reads this long (ms; default 0 = off). Profiles change rarely and every chat
   * request reads one, so a short cache takes a round trip off the hot path. Bounded in size.
   */
  cacheTtlMs?: number;
  /** Most cached customers (default 10,000). */
  cacheSize?: number;
  /** Clock of the cache in ms (tests). */
  now?: () => number;
}

/** A Cosmos DB SDK failure as the `UpstreamError` of the customers service. */
export function storeError(error: unknown, action: string): UpstreamError {
  const status = Number(
    (error as { code?: number; statusCode?: number })?.statusCode ??
      (error as { code?: number })?.code,
  ) || 0;
  return new UpstreamError(
    `The customer store failed to ${action}${status ? ` (HTTP ${status})` : ""}`,
    {
      service: "customers",
      status: status >= 400 ? status : 503,
      isRetryable: isRetryableStatus(status),
      cause: error,
    },
  );
}

/** The wire document without Cosmos system properties (`_rid`, `_etag`, …). */
export function toCustomer(doc: Record<string, unknown>): Customer {
  const clean = Object.fromEntries(Object.entries(doc).filter(([k]) => !k.startsWith("_")));
  return clean as unknown as Customer;
}

/**
 * True when `id` can name a Cosmos DB document in a point read: none of / \ ? #, not "." or
 * "..", at most 255 characters, and well-formed text (no lone surrogate).
 */
export function isPointReadableId(id: string): boolean {
  return id.length > 0 && id.length <= 255 && !/[/\\?#]/.test(id) && id !== "." &&
    id !== ".." && id.isWellFormed();
}

/**
 * Create the store. `createIfMissing` makes the database and container (partition key `/id`).
 *
 * @example
 * ```ts ignore
 * const store = await createCosmosCustomerStore(client, { database: "contoso-outdoor", container: "customers" });
 * const customer = await store.get("1");
 * ```
 */
export async function createCosmosCustomerStore(
  client: CosmosClient,
  options: CosmosCustomerStoreOptions,
): Promise<CustomerStore> {
  let container: Container;
  if (options.createIfMissing) {
    try {
      const { database } = await client.databases.createIfNotExists({ id: options.database });
      ({ container } = await database.containers.createIfNotExists({
        id: options.container,
        partitionKey: { paths: ["/id"] },
      }));
    } catch (error) {
      throw storeError(error, `create ${options.database}/${options.container}`);
    }
  } else {
    container = client.database(options.database).container(options.container);
  }

  async function read(id: string, signal?: AbortSignal): Promise<Customer> {
    // The id becomes a URL path segment of the point read: "." or "?x" would read the
    // container or its whole document feed, "a/b" another path. Cosmos DB ids cannot hold
    // / \ ? #, so such an id names no customer.
    if (!isPointReadableId(id)) throw new NotFoundError("customer", id);
    let resource: Record<string, unknown> | undefined;
    try {
      ({ resource } = await container.item(id, id).read({ abortSignal: signal }));
    } catch (error) {
      if ((error as { code?: number }).code === 404) throw new NotFoundError("customer", id);
      throw storeError(error, "read a customer");
    }
    // Whatever the path resolved to, only the document with exactly this id is the customer.
    if (!resource || resource.id !== id) throw new NotFoundError("customer", id);
    return toCustomer(resource);
  }

  // Fresh for the TTL, then served while one background read refreshes it; concurrent reads of
  // one customer share a single point read (see _read_cache.ts for why).
  const ttl = options.cacheTtlMs ?? 0;
  const cache = createReadCache<Customer>({
    ttlMs: ttl,
    maxEntries: options.cacheSize ?? 10_000,
    now: options.now,
  });

  return {
    backend: options.backend ?? "cosmos",
    async get(id: string, o: { signal?: AbortSignal } = {}): Promise<Customer> {
      if (typeof id !== "string" || id.trim() === "") {
        throw new TypeError("Customer id must be a non-empty string");
      }
      // Without a cache each caller's read is its own and stops when its caller gives up.
      const customer = ttl > 0
        ? await cache.get(id, () => read(id), o.signal)
        : await read(id, o.signal);
      return structuredClone(customer);
    },
    async list(): Promise<Customer[]> {
      try {
        const { resources } = await container.items.query<Record<string, unknown>>(
          "SELECT * FROM c",
        ).fetchAll();
        return resources.map(toCustomer).sort((a, b) =>
          a.id.localeCompare(b.id, "en", { numeric: true })
        );
      } catch (error) {
        throw storeError(error, "list customers");
      }
    },
    async upsert(customers: Customer[]): Promise<number> {
      if (options.backend === "embedded" && customers.length > 1) {
        // The in-process server takes bulk requests: 1,000 customers in about 0.5 s instead of
        // 1.3–3.5 s one by one, most of a warm start at 10,000 products (docs/scale.md).
        for (let i = 0; i < customers.length; i += 100) {
          const slice = customers.slice(i, i + 100);
          let results;
          try {
            results = await container.items.bulk(
              slice.map((c) => ({
                operationType: "Upsert" as const,
                resourceBody: structuredClone(c) as unknown as JSONObject,
              })),
            );
          } catch (error) {
            throw storeError(error, "upsert customers");
          }
          results.forEach((r, j) => {
            if (r.statusCode >= 400) {
              throw storeError(
                Object.assign(new Error(`status ${r.statusCode}`), { code: r.statusCode }),
                `upsert customer "${slice[j].id}"`,
              );
            }
          });
          for (const c of slice) cache.delete(c.id);
        }
        return customers.length;
      }
      let count = 0;
      for (const customer of customers) {
        try {
          await container.items.upsert(customer);
          cache.delete(customer.id);
          count++;
        } catch (error) {
          throw storeError(error, `upsert customer "${customer.id}"`);
        }
      }
      return count;
    },
    async count(): Promise<number> {
      try {
        const { resources } = await container.items.query<number>("SELECT VALUE COUNT(1) FROM c")
          .fetchAll();
        return resources[0] ?? 0;
      } catch (error) {
        throw storeError(error, "count customers");
      }
    },
  };
}
