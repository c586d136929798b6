/**
 * Customers: the store port, its `@azure/cosmos` adapter (Azure, emulator, embedded server)
 * and an in-memory fake.
 *
 * @module
 */
export type * from "./types.ts";
export { createCosmosCustomerStore, toCustomer } from "./cosmos_customer_store.ts";
export type { CosmosCustomerStoreOptions } from "./cosmos_customer_store.ts";
export { EMULATOR_KEY, startEmbeddedCosmos } from "./embedded_cosmos.ts";
export type { EmbeddedCosmos } from "./embedded_cosmos.ts";
export { createMemoryCustomerStore } from "./memory_customer_store.ts";
