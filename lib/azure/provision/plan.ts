/**
 * The exact plan of each task — the commands in order, the resources they create, deploy or
 * delete, and the environment they set — built from the preflight's target. `--dry-run` prints
 * it (format_plan.ts); a real run executes the same steps (execute.ts), so what is printed is
 * what runs.
 *
 * @module
 */
import { AZURE_VARIABLES, VARIABLES } from "../../config/variables.ts";
import { INFRA_RESOURCES, type InfraResource } from "../infra.ts";
import type { AzureAction, AzureTarget } from "../preflight/preflight.ts";
import { foundryPortal, type PortalLink } from "../foundry/project.ts";

/** The azd service name of the API (azure.yaml). */
export const API_SERVICE = "api";

/** Set for `azd deploy` by the deploy task, which smoke-tests itself: the hook then skips. */
export const SMOKE_BY_TASK = "CONTOSO_SMOKE_BY_TASK";

/** One step of a plan. */
export type PlanStep =
  | { kind: "command"; title: string; command: string[]; env?: Record<string, string> }
  | { kind: "smoke"; title: string; url?: string }
  | { kind: "remove-env-block"; title: string; path: string };

/** What a task will do. */
export interface AzurePlan {
  action: AzureAction;
  envName: string;
  location?: string;
  subscriptionId?: string;
  resourceGroup: string;
  steps: PlanStep[];
  /** Resources created or updated (provision), updated (deploy) or deleted (teardown). */
  resources: InfraResource[];
  /** Variables set on the Container App, and written to `.env` (provision). */
  environment: { name: string; secret: boolean; local: boolean }[];
  notes: string[];
  /**
   * Pages of the Azure AI Foundry project in the portal (https://ai.azure.com), once the azd
   * environment holds its outputs; empty before the first provision.
   */
  portal: PortalLink[];
}

function base(
  action: AzureAction,
  target: AzureTarget,
): Omit<AzurePlan, "steps" | "notes" | "portal"> {
  const envName = target.envName ?? "<env>";
  return {
    action,
    envName,
    location: target.location,
    subscriptionId: target.subscriptionId,
    resourceGroup: target.values.AZURE_RESOURCE_GROUP ?? `rg-${envName}`,
    resources: [],
    environment: [],
  };
}

function appEnvironment(): AzurePlan["environment"] {
  return AZURE_VARIABLES.map((name) => ({
    name,
    secret: VARIABLES.find((v) => v.name === name)?.secret === true,
    local: name !== "AZURE_CLIENT_ID",
  }));
}

/**
 * The provision plan: select or create the azd environment, set its region and subscription,
 * then `azd provision`, whose postprovision hook writes `.env` and seeds the data.
 */
export function planProvision(target: AzureTarget): AzurePlan {
  const plan = base("provision", target);
  const env = plan.envName;
  const steps: PlanStep[] = [];
  if (target.envExists) {
    steps.push({
      kind: "command",
      title: "select the azd environment",
      command: ["azd", "env", "select", env],
    });
  } else {
    steps.push({
      kind: "command",
      title: "create the azd environment",
      command: ["azd", "env", "new", env, "--no-prompt"],
    });
  }
  steps.push(
    {
      kind: "command",
      title: "set its region",
      command: ["azd", "env", "set", "AZURE_LOCATION", target.location ?? "<region>", "-e", env],
    },
    {
      kind: "command",
      title: "set its subscription",
      command: [
        "azd",
        "env",
        "set",
        "AZURE_SUBSCRIPTION_ID",
        target.subscriptionId ?? "<subscription>",
        "-e",
        env,
      ],
    },
    {
      kind: "command",
      title: "create or update every resource (infra/main.bicep); the postprovision hook " +
        "writes .env and runs `deno task seed`",
      command: ["azd", "provision", "--environment", env, "--no-prompt"],
    },
  );
  return {
    ...plan,
    steps,
    resources: [...INFRA_RESOURCES],
    environment: appEnvironment(),
    portal: foundryPortal(target.values),
    notes: [
      "Roles are data-plane only and keyless: the app's managed identity and you (AZURE_PRINCIPAL_ID) get them; no key is created or stored.",
      "The Azure AI Foundry project (a child of the AI Services account) is connected to Application Insights and Azure AI Search: its tracing view shows the app's traces, and `deno task eval --log-to-project` records evaluation runs there" +
      (target.values.AZURE_AI_PROJECT_ID || target.values.AZURE_AI_PROJECT_NAME
        ? " (portal links below)."
        : "; its portal links are listed once it exists (in the next plan, and in notebooks 1, 4 and 5)."),
      "Re-running is safe: Bicep deployments are idempotent and seeding upserts.",
      "Costs money while it exists (Azure AI Search basic is billed hourly): `deno task teardown` when done.",
    ],
  };
}

/** The deploy plan: `azd deploy` (remote image build, new revision), then the smoke test. */
export function planDeploy(target: AzureTarget): AzurePlan {
  const plan = base("deploy", target);
  const uri = target.values.SERVICE_API_URI;
  return {
    ...plan,
    steps: [
      {
        kind: "command",
        title: "build the image in the registry from the Dockerfile and roll out a new revision",
        command: ["azd", "deploy", API_SERVICE, "--environment", plan.envName, "--no-prompt"],
        env: { [SMOKE_BY_TASK]: "1" },
      },
      {
        kind: "smoke",
        title: "smoke-test the hosted endpoint: POST /api/create_response with a sample question",
        url: uri,
      },
    ],
    resources: INFRA_RESOURCES.filter((r) =>
      r.type === "Microsoft.ContainerRegistry/registries" ||
      r.type === "Microsoft.App/containerApps"
    ),
    environment: appEnvironment(),
    portal: foundryPortal(target.values),
    notes: [
      "Only the image changes: port, probes, scale rule and environment come from infra/.",
      "No Docker engine needed: the image is built by ACR Tasks (remoteBuild in azure.yaml).",
    ],
  };
}

/** The teardown plan: `azd down --purge` (deletes the resource group, purges soft-deleted AI Services), then the `.env` block. */
export function planTeardown(
  target: AzureTarget,
  options: { dotEnvPath?: string } = {},
): AzurePlan {
  const plan = base("teardown", target);
  return {
    ...plan,
    steps: [
      {
        kind: "command",
        title: `delete resource group ${plan.resourceGroup} and purge soft-deleted resources`,
        command: [
          "azd",
          "down",
          "--environment",
          plan.envName,
          "--force",
          "--purge",
          "--no-prompt",
        ],
      },
      {
        kind: "remove-env-block",
        title: "remove the azd block from .env (your own lines stay)",
        path: options.dotEnvPath ?? ".env",
      },
    ],
    resources: [...INFRA_RESOURCES],
    portal: [],
    notes: [
      "Irreversible: the customer data in Cosmos DB and the search index are deleted with the resources.",
      "The azd environment's local settings (.azure/) are kept, so `deno task provision` can recreate everything.",
    ],
  };
}

/** The plan of an action. */
export function planFor(action: AzureAction, target: AzureTarget): AzurePlan {
  return action === "provision"
    ? planProvision(target)
    : action === "deploy"
    ? planDeploy(target)
    : planTeardown(target);
}
