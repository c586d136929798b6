/**
 * Soft-deleted AI Services accounts. Deleting a resource group by hand soft-deletes its AI
 * Services account for 48 hours, and a new account with the same name is refused
 * (`FlagMustBeSetForRestore`) until it is purged or recovered. infra/ names the account
 * `ai-<token>` in `rg-<env>`, the token a hash of subscription, environment and region, so the
 * account the next provision would create is the deleted one of the same resource group and
 * region. This module reads `az cognitiveservices account list-deleted`, finds that account and
 * builds the purge or recover commands; the preflight and `deno task provision --purge-deleted
 * | --restore-deleted` use them (the latter through `withDeletedAccountSteps` in
 * ../provision/deleted_account.ts).
 *
 * @module
 */
/** A soft-deleted Cognitive Services account. */
export interface DeletedAccount {
  name: string;
  location: string;
  resourceGroup: string;
  kind?: string;
  /** When it was deleted (ISO 8601), if az says. */
  deletionDate?: string;
  /** When Azure purges it by itself. */
  scheduledPurgeDate?: string;
}

interface DeletedWire {
  id?: string;
  name?: string;
  location?: string;
  kind?: string;
  properties?: { deletionDate?: string; scheduledPurgeDate?: string };
}

/**
 * Read the JSON of `az cognitiveservices account list-deleted` (an array, or a REST
 * `{ value: [...] }`). The resource group comes from the id, which names it
 * (`…/resourceGroups/<rg>/deletedAccounts/<name>`).
 *
 * @example
 * ```ts
 * import { parseDeletedAccounts } from "./deleted.ts";
 * const [a] = parseDeletedAccounts(JSON.stringify([{
 *   name: "ai-x", location: "eastus2",
 *   id: "/subscriptions/s/providers/Microsoft.CognitiveServices/locations/eastus2/resourceGroups/rg-dev/deletedAccounts/ai-x",
 * }]));
 * console.assert(a.resourceGroup === "rg-dev");
 * ```
 */
export function parseDeletedAccounts(json: string): DeletedAccount[] {
  const parsed = JSON.parse(json);
  const rows: DeletedWire[] = Array.isArray(parsed) ? parsed : parsed?.value ?? [];
  return rows.flatMap((row) => {
    const group = row?.id?.match(/\/resourceGroups\/([^/]+)/i)?.[1];
    if (!row?.name || !row.location || !group) return [];
    return [{
      name: row.name,
      location: row.location,
      resourceGroup: group,
      ...(row.kind ? { kind: row.kind } : {}),
      ...(row.properties?.deletionDate ? { deletionDate: row.properties.deletionDate } : {}),
      ...(row.properties?.scheduledPurgeDate
        ? { scheduledPurgeDate: row.properties.scheduledPurgeDate }
        : {}),
    }];
  });
}

/** What the next provision will create. */
export interface AccountTarget {
  resourceGroup: string;
  location: string;
  /** The account's name when known (from an earlier provision's outputs). */
  name?: string;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const region = (s: string) => s.toLowerCase().replaceAll(" ", "");

/**
 * The deleted account that blocks the next provision: the one with the known name, else an
 * `ai-` account of the same resource group and region.
 */
export function blockingAccount(
  accounts: readonly DeletedAccount[],
  target: AccountTarget,
): DeletedAccount | undefined {
  if (target.name) {
    const named = accounts.find((a) => same(a.name, target.name!));
    if (named) return named;
  }
  return accounts.find((a) =>
    same(a.resourceGroup, target.resourceGroup) && region(a.location) === region(target.location) &&
    a.name.toLowerCase().startsWith("ai-")
  );
}

/** The arguments naming a soft-deleted account to `az cognitiveservices account purge | recover`. */
function deletedAccountArgs(account: DeletedAccount, subscriptionId?: string): string[] {
  return [
    "--location",
    account.location,
    "--resource-group",
    account.resourceGroup,
    "--name",
    account.name,
    ...(subscriptionId ? ["--subscription", subscriptionId] : []),
  ];
}

/** `az cognitiveservices account purge`: deletes the account for good (its deployments too). */
export function purgeCommand(account: DeletedAccount, subscriptionId?: string): string[] {
  return [
    "az",
    "cognitiveservices",
    "account",
    "purge",
    ...deletedAccountArgs(account, subscriptionId),
  ];
}

/**
 * Recovering needs the resource group back first (a deleted group cannot be recovered, only made
 * again with the same name), then `az cognitiveservices account recover`.
 */
export function restoreCommands(account: DeletedAccount, subscriptionId?: string): string[][] {
  const sub = subscriptionId ? ["--subscription", subscriptionId] : [];
  return [
    [
      "az",
      "group",
      "create",
      "--name",
      account.resourceGroup,
      "--location",
      account.location,
      ...sub,
    ],
    [
      "az",
      "cognitiveservices",
      "account",
      "recover",
      ...deletedAccountArgs(account, subscriptionId),
    ],
  ];
}

/** What to do with a deleted account before provisioning. */
export type DeletedAccountAction = "purge" | "restore";
