/**
 * Permissions for the preflight: who is signed in to the Azure CLI (the `oid` claim of its
 * access token, which works for users and service principals alike and needs no Microsoft Graph
 * permission), and whether `az role assignment list --assignee <oid> --scope <scope>
 * --include-inherited --include-groups` grants one of the roles an operation needs over a scope.
 * Built-in role names only: a custom role, a nested group or an eligible (PIM) assignment can
 * grant the same, so the preflight warns rather than stops. Pure functions.
 *
 * @module
 */

/** One role assignment as az lists it. */
export interface RoleAssignment {
  role: string;
  scope: string;
}

/** Roles that may create role assignments (infra/ assigns data-plane roles: keyless access). */
export const ROLE_ASSIGNERS = [
  "Owner",
  "User Access Administrator",
  "Role Based Access Control Administrator",
] as const;
/** Roles that may create the resource group and the resources in it. */
export const RESOURCE_CREATORS = ["Owner", "Contributor"] as const;
/**
 * Roles that may run ACR Tasks (remote builds schedule a run on the registry, which AcrPush does
 * not allow).
 */
export const REMOTE_BUILDERS = [
  "Owner",
  "Contributor",
  "Container Registry Tasks Contributor",
] as const;

/** Read the JSON of `az role assignment list`. */
export function parseRoleAssignments(json: string): RoleAssignment[] {
  const parsed = JSON.parse(json);
  const rows: { roleDefinitionName?: string; scope?: string }[] = Array.isArray(parsed)
    ? parsed
    : [];
  return rows.flatMap((r) =>
    typeof r?.roleDefinitionName === "string" && typeof r.scope === "string"
      ? [{ role: r.roleDefinitionName, scope: r.scope }]
      : []
  );
}

/**
 * The object id (`oid` claim) of a JWT access token, without verifying it (it only names who is
 * signed in locally).
 *
 * @example
 * ```ts
 * import { tokenObjectId } from "./access.ts";
 * const payload = btoa(JSON.stringify({ oid: "0b9e" })).replaceAll("=", "");
 * console.assert(tokenObjectId(`h.${payload}.s`) === "0b9e");
 * ```
 */
export function tokenObjectId(token: string): string | undefined {
  const part = token.trim().split(".")[1];
  if (!part) return undefined;
  try {
    const base64 = part.replaceAll("-", "+").replaceAll("_", "/");
    const padded = base64 + "=".repeat((4 - base64.length % 4) % 4);
    const claims = JSON.parse(
      new TextDecoder().decode(Uint8Array.from(atob(padded), (c) => c.charCodeAt(0))),
    );
    return typeof claims?.oid === "string" ? claims.oid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether an assignment at `assigned` applies at `scope`: the same scope or a parent one. A
 * management group (or the root `/`) is taken as a parent of every subscription, since az only
 * lists the ones above the scope asked about.
 */
export function covers(assigned: string, scope: string): boolean {
  const a = assigned.toLowerCase().replace(/\/+$/, "");
  const s = scope.toLowerCase().replace(/\/+$/, "");
  if (a === "" || a.startsWith("/providers/microsoft.management/managementgroups/")) return true;
  return s === a || s.startsWith(`${a}/`);
}

/** The first assignment granting one of `roles` over `scope`. */
export function grantingAssignment(
  assignments: readonly RoleAssignment[],
  roles: readonly string[],
  scope: string,
): RoleAssignment | undefined {
  const wanted = roles.map((r) => r.toLowerCase());
  return assignments.find((a) => wanted.includes(a.role.toLowerCase()) && covers(a.scope, scope));
}

/** The registry's resource id from the resource group and the login server `cr….azurecr.io`. */
export function registryId(
  subscriptionId: string,
  resourceGroup: string,
  loginServer: string,
): string {
  const name = loginServer.replace(/^https?:\/\//, "").split(".")[0];
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.ContainerRegistry/registries/${name}`;
}
