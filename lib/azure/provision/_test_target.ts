/**
 * The preflight's target the plan tests start from: a first provision of environment "dev" in
 * eastus2. Tests change only what they are about.
 *
 * @module
 */
import type { AzureTarget } from "../preflight/preflight.ts";

/** A first provision in eastus2, with `over` applied. */
export function testTarget(over: Partial<AzureTarget> = {}): AzureTarget {
  return {
    envName: "dev",
    envExists: false,
    location: "eastus2",
    subscriptionId: "sub-1",
    values: {},
    ...over,
  };
}
