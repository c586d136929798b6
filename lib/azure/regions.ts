/**
 * The Azure regions the workshop can be provisioned in: those where the chat, embedding and
 * judge model deployments (Global Standard), the Azure AI Search semantic ranker, Cosmos DB
 * serverless and Container Apps are all available. The same list is the `@allowed` of
 * `location` in infra/main.bicep (a test compares them).
 *
 * @module
 */

/** Allowed regions, by their Azure name. */
export const ALLOWED_REGIONS: readonly string[] = [
  "australiaeast",
  "eastus",
  "eastus2",
  "francecentral",
  "japaneast",
  "northcentralus",
  "southcentralus",
  "swedencentral",
  "uksouth",
  "westus",
  "westus3",
];

/** The region suggested when none is chosen. */
export const DEFAULT_REGION = "eastus2";

/**
 * Whether a region can host the whole workshop (case and spaces are ignored, so "East US 2"
 * works too).
 *
 * @example
 * ```ts
 * import { isAllowedRegion } from "./regions.ts";
 * console.assert(isAllowedRegion("East US 2") && !isAllowedRegion("mars"));
 * ```
 */
export function isAllowedRegion(region: string): boolean {
  return ALLOWED_REGIONS.includes(normalizeRegion(region));
}

/** `"East US 2"` → `"eastus2"`. */
export function normalizeRegion(region: string): string {
  return region.toLowerCase().replace(/\s+/g, "");
}
