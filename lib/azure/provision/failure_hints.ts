/**
 * What to do after a failed `azd provision` or `azd deploy`, read from the Azure error codes in
 * its output (ARM puts the code in every error: `ERROR CODE: TasksOperationsNotAllowed`,
 * `"code": "FlagMustBeSetForRestore"`). The preflight catches these cases first when the Azure CLI
 * can tell; this is the net for when it could not (az missing, a custom role, quota taken
 * between the preflight and the deployment).
 *
 * @module
 */

/** A known Azure error code and what to do about it. */
export interface FailureHint {
  code: string;
  hint: string;
}

const HINTS: readonly FailureHint[] = [
  {
    code: "TasksOperationsNotAllowed",
    hint:
      "The subscription refuses remote builds (ACR Tasks; Free Trial subscriptions do). Deploy where Docker runs (the dev container or Codespace has Docker-in-Docker) so azd builds the image locally, or upgrade the subscription.",
  },
  {
    code: "FlagMustBeSetForRestore",
    hint:
      "A soft-deleted AI Services account has the name provisioning uses: run `deno task provision --purge-deleted` (delete it for good) or `--restore-deleted` (bring it back).",
  },
  {
    code: "InsufficientQuota",
    hint:
      "A model deployment asks for more tokens per minute than the region's quota has free: pick another region (`--location`), free quota, or ask for more at https://aka.ms/oai/quotaincrease.",
  },
  {
    code: "AuthorizationFailed",
    hint:
      "Your account lacks a permission: provisioning needs Owner, or Contributor plus User Access Administrator, on the subscription; remote builds need Contributor on the registry.",
  },
];

/**
 * The hints for the error codes found in a command's output, each once.
 *
 * @example
 * ```ts
 * import { failureHints } from "./failure_hints.ts";
 * const [hint] = failureHints('RESPONSE 400\nERROR CODE: TasksOperationsNotAllowed\n');
 * console.assert(hint.code === "TasksOperationsNotAllowed");
 * ```
 */
export function failureHints(output: string): FailureHint[] {
  return HINTS.filter((h) => new RegExp(`\\b${h.code}\\b`).test(output));
}
