/**
 * A provision's plan when a soft-deleted AI Services account is in the way (found by the
 * preflight, ../preflight/deleted.ts): its purge or recover commands go right before
 * `azd provision`, so `deno task provision --purge-deleted | --restore-deleted` prints and runs
 * them as steps of the one plan.
 *
 * @module
 */
import {
  type DeletedAccount,
  type DeletedAccountAction,
  purgeCommand,
  restoreCommands,
} from "../preflight/deleted.ts";
import type { AzurePlan, PlanStep } from "./plan.ts";

/**
 * The plan with the purge or restore commands put before `azd provision`.
 *
 * @example
 * ```ts
 * import { withDeletedAccountSteps } from "./deleted_account.ts";
 * const plan = withDeletedAccountSteps(
 *   { action: "provision", envName: "dev", steps: [{ kind: "command", title: "Provision", command: ["azd", "provision"] }] } as never,
 *   { name: "ai-x", location: "eastus2", resourceGroup: "rg-dev" },
 *   "purge",
 * );
 * console.assert(plan.steps[0].kind === "command" && plan.steps.length === 2);
 * ```
 */
export function withDeletedAccountSteps(
  plan: AzurePlan,
  account: DeletedAccount,
  action: DeletedAccountAction,
  subscriptionId?: string,
): AzurePlan {
  const added: PlanStep[] = action === "purge"
    ? [{
      kind: "command",
      title: `Purge the soft-deleted AI Services account ${account.name}`,
      command: purgeCommand(account, subscriptionId),
    }]
    : restoreCommands(account, subscriptionId).map((command, i) => ({
      kind: "command",
      title: i === 0
        ? `Create resource group ${account.resourceGroup} again for the recovery`
        : `Recover the soft-deleted AI Services account ${account.name}`,
      command,
    }));
  const at = plan.steps.findIndex((s) => s.kind === "command" && s.command[1] === "provision");
  const steps = [...plan.steps];
  steps.splice(at < 0 ? steps.length : at, 0, ...added);
  return { ...plan, steps };
}
