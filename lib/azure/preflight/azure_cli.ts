/**
 * The preflight's checks through the Azure CLI (`az`, in the dev container beside azd), once azd
 * is signed in and the target is chosen. Before a provision: a soft-deleted AI Services account
 * that would block it (with purge / restore), model quota in the region for the three
 * deployments, and the roles provisioning needs (create resources; create role assignments).
 * Before a deploy: can the image be built (remote ACR Tasks build, refused on Free Trial
 * subscriptions, else a local Docker build) and may the learner run remote builds on the
 * registry. Read-only, like the rest of the preflight. Rows that can only guess (roles granted
 * by custom roles or nested groups; az missing or signed out) are warnings, not failures.
 *
 * @module
 */
import type { AzureAction, AzureTarget, PreflightCheck } from "./preflight.ts";
import {
  grantingAssignment,
  parseRoleAssignments,
  registryId,
  REMOTE_BUILDERS,
  RESOURCE_CREATORS,
  ROLE_ASSIGNERS,
  tokenObjectId,
} from "./access.ts";
import {
  blockingAccount,
  type DeletedAccount,
  type DeletedAccountAction,
  parseDeletedAccounts,
  purgeCommand,
  restoreCommands,
} from "./deleted.ts";
import { MODEL_DEPLOYMENTS, type ModelDeployment, parseUsages, quotaLines } from "./quota.ts";
import { type CommandRunner, NOT_FOUND, shellLine } from "../runner.ts";
import { firstLine } from "./_output.ts";

/** The subscription offer that refuses ACR Tasks (remote builds). */
export const FREE_TRIAL_QUOTA_ID = "FreeTrial_2014-09-01";
/** Subscriptions - Get, for `subscriptionPolicies.quotaId`. */
const SUBSCRIPTIONS_API = "2022-12-01";

/** Inputs of {@linkcode azureCliChecks}. */
export interface AzureCliCheckOptions {
  runner: CommandRunner;
  cwd?: string;
  /** What to do with a soft-deleted account found in the way (`--purge-deleted`, `--restore-deleted`). */
  deletedAccount?: DeletedAccountAction;
  /** The model deployments to check quota for (default: infra/main.bicep's). */
  deployments?: readonly ModelDeployment[];
}

/** The rows, and the deleted account found (the task adds its purge or restore steps). */
export interface AzureCliChecks {
  checks: PreflightCheck[];
  deletedAccount?: DeletedAccount;
}

function json<T>(text: string, read: (text: string) => T): T | undefined {
  try {
    return read(text);
  } catch {
    return undefined;
  }
}

/**
 * The az checks of one action. Provision needs `target.envName`, `location` and
 * `subscriptionId`; deploy an existing, provisioned environment.
 */
export async function azureCliChecks(
  action: AzureAction,
  target: AzureTarget,
  options: AzureCliCheckOptions,
): Promise<AzureCliChecks> {
  const { runner, cwd } = options;
  const sub = target.subscriptionId ?? target.values.AZURE_SUBSCRIPTION_ID;
  const az = (args: string[]) =>
    runner.run("az", [...args, ...(sub ? ["--subscription", sub] : [])], { cwd });

  const checks: PreflightCheck[] = [];
  const build = action === "deploy" ? await imageBuildCheck(runner, cwd, sub, az) : undefined;
  if (build) checks.push(build.check);
  if (action === "teardown") return { checks };

  const account = await az(["account", "show", "--output", "json"]);
  const skipped = action === "provision"
    ? "quota, permission and deleted-account"
    : "remote-build permission";
  if (account.code !== 0) {
    checks.push(
      account.code === NOT_FOUND
        ? {
          name: "Azure CLI",
          ok: false,
          warn: true,
          detail: `az is not on the PATH: ${skipped} checks skipped`,
          fix:
            "Install the Azure CLI (https://aka.ms/installazurecli; the dev container has it) and run `az login`, so the preflight can check quota, permissions and deleted accounts.",
        }
        : {
          name: "Azure CLI",
          ok: false,
          warn: true,
          detail: `${
            firstLine(account.stderr) || `az account show exited ${account.code}`
          }: ${skipped} checks skipped`,
          fix:
            "Run `az login` (in a Codespace: `az login --use-device-code`) with the account azd uses, so the preflight can check quota, permissions and deleted accounts.",
        },
    );
    return { checks };
  }

  if (action === "provision") {
    // Independent read-only calls of a second or two each: run them together.
    const [deleted, quota, permissions] = await Promise.all([
      deletedAccountCheck(target, az, options.deletedAccount),
      quotaCheck(target, az, options.deployments ?? MODEL_DEPLOYMENTS),
      permissionCheck(az, `/subscriptions/${sub}`, "provision"),
    ]);
    checks.push(deleted.check, quota, permissions);
    return { checks, deletedAccount: deleted.account };
  }
  const rg = target.values.AZURE_RESOURCE_GROUP;
  const server = target.values.AZURE_CONTAINER_REGISTRY_ENDPOINT;
  // A Free Trial subscription builds locally: who may run ACR Tasks does not matter then.
  if (sub && rg && server && build?.remote !== false) {
    checks.push(await permissionCheck(az, registryId(sub, rg, server), "deploy"));
  }
  return { checks };
}

type Az = (args: string[]) => ReturnType<CommandRunner["run"]>;

async function deletedAccountCheck(
  target: AzureTarget,
  az: Az,
  action: DeletedAccountAction | undefined,
): Promise<{ check: PreflightCheck; account?: DeletedAccount }> {
  const name = "deleted AI account";
  const resourceGroup = target.values.AZURE_RESOURCE_GROUP ?? `rg-${target.envName}`;
  const listed = await az(["cognitiveservices", "account", "list-deleted", "--output", "json"]);
  const accounts = listed.code === 0 ? json(listed.stdout, parseDeletedAccounts) : undefined;
  if (!accounts) {
    return {
      check: {
        name,
        ok: false,
        warn: true,
        detail: `cannot list soft-deleted accounts: ${
          firstLine(listed.stderr) || `exit ${listed.code}`
        }`,
      },
    };
  }
  // An earlier provision's account name holds only for the same region (the name hashes it).
  const sameRegion = !target.values.AZURE_LOCATION ||
    target.values.AZURE_LOCATION.toLowerCase() === target.location?.toLowerCase();
  const known = !sameRegion ? undefined : target.values.AZURE_AI_ACCOUNT_NAME ??
    target.values.AZURE_OPENAI_ENDPOINT?.match(/^https:\/\/([^.]+)\./)?.[1];
  const found = blockingAccount(accounts, {
    resourceGroup,
    location: target.location ?? "",
    ...(known ? { name: known } : {}),
  });
  if (!found) {
    return {
      check: { name, ok: true, detail: `none in the way (${resourceGroup}, ${target.location})` },
    };
  }
  const when = found.deletionDate
    ? ` (deleted ${found.deletionDate.slice(0, 16).replace("T", " ")} UTC)`
    : "";
  if (action) {
    return {
      account: found,
      check: {
        name,
        ok: true,
        detail: `${found.name}${when}: ${
          action === "purge" ? "purged" : "recovered"
        } before provisioning`,
      },
    };
  }
  const sub = target.subscriptionId;
  const env = target.envName;
  const purge = shellLine(purgeCommand(found, sub));
  const restore = restoreCommands(found, sub).map(shellLine).join(" && ");
  return {
    account: found,
    check: {
      name,
      ok: false,
      detail:
        `${found.name} in ${found.resourceGroup}${when} is soft-deleted: a new one of that name is refused (FlagMustBeSetForRestore)`,
      fix:
        `Purge it for good with \`deno task provision --env ${env} --purge-deleted\` (\`${purge}\`), or bring it back, model deployments included, with \`deno task provision --env ${env} --restore-deleted\` (\`${restore}\`).`,
    },
  };
}

async function quotaCheck(
  target: AzureTarget,
  az: Az,
  deployments: readonly ModelDeployment[],
): Promise<PreflightCheck> {
  const name = "model quota";
  const location = target.location!;
  if (target.values.AZURE_OPENAI_ENDPOINT) {
    return { name, ok: true, detail: "the deployments exist already and hold their quota" };
  }
  const listed = await az([
    "cognitiveservices",
    "usage",
    "list",
    "--location",
    location,
    "--output",
    "json",
  ]);
  const usages = listed.code === 0 ? json(listed.stdout, parseUsages) : undefined;
  if (!usages) {
    return {
      name,
      ok: false,
      warn: true,
      detail: `cannot read the quota in ${location}: ${
        firstLine(listed.stderr) || `exit ${listed.code}`
      }`,
    };
  }
  const lines = quotaLines(deployments, usages);
  const short = lines.filter((l) => l.available !== undefined && l.available < l.need);
  const unknown = lines.filter((l) => l.available === undefined);
  const shown = lines.map((l) =>
    l.available === undefined
      ? `${l.model} ${l.need}K TPM (no quota listed)`
      : `${l.model} ${l.need}K of ${l.available}K TPM free`
  ).join(", ");
  if (short.length > 0) {
    // An environment that exists without outputs is an unfinished provision: some of the used
    // quota may be its own deployments, which a re-run updates rather than adds.
    const unfinished = target.envExists;
    return {
      name,
      ok: false,
      ...(unfinished ? { warn: true } : {}),
      detail: `not enough in ${location}: ${
        short.map((l) => `${l.model} needs ${l.need}K TPM, ${l.available}K free of ${l.limit}K`)
          .join("; ")
      }${unfinished ? " (an earlier, unfinished provision may hold part of it)" : ""}`,
      fix:
        `Pick another allowed region with free quota (\`--location <region>\`), delete unused deployments of ${
          short.map((l) => l.model).join(", ")
        } in this subscription, or ask for more at https://aka.ms/oai/quotaincrease.`,
    };
  }
  if (unknown.length > 0) {
    return { name, ok: false, warn: true, detail: `${location}: ${shown}` };
  }
  return { name, ok: true, detail: `${location}: ${shown}` };
}

async function permissionCheck(
  az: Az,
  scope: string,
  action: "provision" | "deploy",
): Promise<PreflightCheck> {
  const name = action === "provision" ? "permissions" : "remote-build permission";
  const token = await az([
    "account",
    "get-access-token",
    "--query",
    "accessToken",
    "--output",
    "tsv",
  ]);
  const oid = token.code === 0 ? tokenObjectId(token.stdout) : undefined;
  const listed = oid
    ? await az([
      "role",
      "assignment",
      "list",
      "--assignee",
      oid,
      "--scope",
      scope,
      "--include-inherited",
      "--include-groups",
      "--output",
      "json",
    ])
    : undefined;
  const assignments = listed?.code === 0 ? json(listed.stdout, parseRoleAssignments) : undefined;
  if (!oid || !assignments) {
    return {
      name,
      ok: false,
      warn: true,
      detail: `cannot read your role assignments: ${
        firstLine(listed?.stderr ?? token.stderr) || "no object id in the az token"
      }`,
    };
  }
  if (action === "deploy") {
    const builder = grantingAssignment(assignments, REMOTE_BUILDERS, scope);
    return builder ? { name, ok: true, detail: `${builder.role} over the registry` } : {
      name,
      ok: false,
      warn: true,
      detail:
        "no Owner or Contributor over the container registry: remote builds (ACR Tasks) need it, AcrPush is not enough",
      fix:
        `Ask an Owner of the subscription to run \`az role assignment create --assignee ${oid} --role Contributor --scope ${scope}\`, or remove \`remoteBuild: true\` from azure.yaml to build with local Docker.`,
    };
  }
  const creator = grantingAssignment(assignments, RESOURCE_CREATORS, scope);
  const assigner = grantingAssignment(assignments, ROLE_ASSIGNERS, scope);
  if (creator && assigner) {
    const roles = creator.role === assigner.role
      ? creator.role
      : `${creator.role} and ${assigner.role}`;
    return { name, ok: true, detail: `${roles} on the subscription` };
  }
  const missing = [
    ...(creator ? [] : ["Contributor (create the resource group and resources)"]),
    ...(assigner
      ? []
      : ["User Access Administrator or Owner (create the role assignments for keyless access)"]),
  ];
  return {
    name,
    ok: false,
    warn: true,
    detail: `missing over the subscription: ${missing.join("; ")}`,
    fix:
      `Ask an Owner of the subscription for Owner, or Contributor plus User Access Administrator: \`az role assignment create --assignee ${oid} --role Owner --scope ${scope}\`.`,
  };
}

async function imageBuildCheck(
  runner: CommandRunner,
  cwd: string | undefined,
  sub: string | undefined,
  az: Az,
): Promise<{ check: PreflightCheck; remote: boolean }> {
  const name = "image build";
  const docker = await runner.run("docker", ["info", "--format", "{{.ServerVersion}}"], { cwd });
  const dockerOk = docker.code === 0;
  const dockerText = dockerOk
    ? `Docker ${firstLine(docker.stdout)}`
    : docker.code === NOT_FOUND
    ? "no Docker on the PATH"
    : "Docker is not running";
  const got = sub
    ? await az([
      "rest",
      "--method",
      "get",
      "--url",
      `https://management.azure.com/subscriptions/${sub}?api-version=${SUBSCRIPTIONS_API}`,
      "--output",
      "json",
    ])
    : undefined;
  const quotaId = got?.code === 0
    ? json(got.stdout, (t) => JSON.parse(t)?.subscriptionPolicies?.quotaId as string | undefined)
    : undefined;
  if (quotaId === FREE_TRIAL_QUOTA_ID) {
    const check: PreflightCheck = dockerOk
      ? {
        name,
        ok: true,
        detail: `Free Trial subscription: no remote builds, azd builds locally with ${dockerText}`,
      }
      : {
        name,
        ok: false,
        detail:
          `Free Trial subscription refuses remote builds (ACR Tasks: TasksOperationsNotAllowed), and ${dockerText} for azd's local build`,
        fix:
          "Build locally: open the repository in its dev container or Codespace (Docker-in-Docker), or install and start Docker; or upgrade the subscription to pay-as-you-go, which allows remote builds.",
      };
    return { check, remote: false };
  }
  if (quotaId) {
    return {
      check: { name, ok: true, detail: `remote build in the registry (ACR Tasks); ${dockerText}` },
      remote: true,
    };
  }
  const check: PreflightCheck = dockerOk
    ? { name, ok: true, detail: `remote build (ACR Tasks), else locally with ${dockerText}` }
    : {
      name,
      ok: false,
      warn: true,
      detail:
        `remote build (ACR Tasks) expected; cannot tell whether the subscription allows it, and ${dockerText} for a local build`,
      fix:
        "If the deploy fails with TasksOperationsNotAllowed (Free Trial subscriptions), azd builds locally instead, which needs Docker: use the dev container or Codespace (Docker-in-Docker) or start Docker.",
    };
  return { check, remote: true };
}
