/**
 * The Azure AI Foundry project as the tools see it: its endpoint
 * (`https://ACCOUNT.services.ai.azure.com/api/projects/PROJECT`, `AZURE_AI_PROJECT_ENDPOINT`),
 * its ARM resource id, and the Foundry portal pages (https://ai.azure.com) where a learner finds
 * the project, its evaluation runs and its traces. Pure functions: nothing here calls Azure.
 *
 * The portal addresses are the `foundryProject/<page>?wsid=<project resource id>` form the
 * portal itself uses for a project of the current resource model (an AI Services account with
 * a child `accounts/projects` resource); `tid` picks the tenant when the learner has several.
 *
 * @module
 */
import { ValidationError } from "../../errors.ts";

/** OAuth scope of the Foundry project data plane (what `@azure/ai-projects` 2.x requests). */
export const FOUNDRY_SCOPE = "https://ai.azure.com/.default";

/** A Foundry project, from its endpoint. */
export interface FoundryProject {
  /** The endpoint without a trailing slash. */
  endpoint: string;
  /** The AI Services account (the endpoint's first host label). */
  account: string;
  /** The project's name (the last path segment). */
  project: string;
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * Parses a project endpoint. Plain `http` is accepted only on loopback (a local fake).
 *
 * @example
 * ```ts
 * import { parseProjectEndpoint } from "./project.ts";
 * const p = parseProjectEndpoint("https://ai-abc.services.ai.azure.com/api/projects/contoso-chat/");
 * console.assert(p.account === "ai-abc" && p.project === "contoso-chat");
 * ```
 */
export function parseProjectEndpoint(value: string): FoundryProject {
  const fail = (why: string) =>
    new ValidationError(
      `Cannot use AZURE_AI_PROJECT_ENDPOINT "${value}": ${why} (expected ` +
        "https://ACCOUNT.services.ai.azure.com/api/projects/PROJECT, the project's endpoint on " +
        "its overview page in the Foundry portal)",
    );
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw fail("not a URL");
  }
  const loopback = LOOPBACK.has(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
    throw fail("not https");
  }
  if (url.search || url.hash) throw fail("it has a query or fragment");
  const match = url.pathname.replace(/\/+$/, "").match(/^\/api\/projects\/([^/]+)$/);
  if (!match) throw fail("the path is not /api/projects/PROJECT");
  const project = decodeURIComponent(match[1]);
  const account = loopback ? "local" : url.hostname.split(".")[0];
  return { endpoint: `${url.origin}/api/projects/${match[1]}`, account, project };
}

/** The ARM resource id of a project: `/subscriptions/…/accounts/ACCOUNT/projects/PROJECT`. */
export function projectResourceId(parts: {
  subscriptionId: string;
  resourceGroup: string;
  account: string;
  project: string;
}): string {
  return `/subscriptions/${parts.subscriptionId}/resourceGroups/${parts.resourceGroup}` +
    `/providers/Microsoft.CognitiveServices/accounts/${parts.account}/projects/${parts.project}`;
}

const PROJECT_ID =
  /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.CognitiveServices\/accounts\/[^/]+\/projects\/[^/]+$/i;

/** The Foundry portal pages of a project. */
export interface FoundryPortalLinks {
  /** The project's overview: endpoint, models, connected resources. */
  overview: string;
  /** Evaluation runs (where `deno task eval --log-to-project` runs appear). */
  evaluations: string;
  /** The tracing view (the app's spans, from the connected Application Insights). */
  tracing: string;
}

/**
 * The portal pages of the project with ARM resource id `projectId`.
 *
 * @example
 * ```ts
 * import { foundryPortalLinks } from "./project.ts";
 * const id = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/a/projects/p";
 * console.assert(foundryPortalLinks(id).tracing.startsWith("https://ai.azure.com/foundryProject/tracing?wsid="));
 * ```
 */
export function foundryPortalLinks(
  projectId: string,
  options: { tenantId?: string } = {},
): FoundryPortalLinks {
  if (!PROJECT_ID.test(projectId)) {
    throw new TypeError(
      `Cannot link to Foundry project "${projectId}": not a project resource id ` +
        "(/subscriptions/…/providers/Microsoft.CognitiveServices/accounts/…/projects/…)",
    );
  }
  const wsid = encodeURIComponent(projectId).replaceAll("%2F", "/");
  const tid = options.tenantId ? `&tid=${encodeURIComponent(options.tenantId)}` : "";
  const page = (name: string) => `https://ai.azure.com/foundryProject/${name}?wsid=${wsid}${tid}`;
  return { overview: page("overview"), evaluations: page("evaluation"), tracing: page("tracing") };
}

/**
 * The portal pages from an azd environment's values (`azd env get-values`, `.env`):
 * `AZURE_AI_PROJECT_ID`, or else the id built from `AZURE_SUBSCRIPTION_ID`,
 * `AZURE_RESOURCE_GROUP`, `AZURE_AI_ACCOUNT_NAME` and `AZURE_AI_PROJECT_NAME`. Undefined until
 * the project is provisioned.
 */
export function portalLinksFromValues(
  values: Readonly<Record<string, string | undefined>>,
): FoundryPortalLinks | undefined {
  let id = values.AZURE_AI_PROJECT_ID;
  if (!id) {
    const { AZURE_SUBSCRIPTION_ID, AZURE_RESOURCE_GROUP, AZURE_AI_ACCOUNT_NAME } = values;
    const project = values.AZURE_AI_PROJECT_NAME;
    if (!AZURE_SUBSCRIPTION_ID || !AZURE_RESOURCE_GROUP || !AZURE_AI_ACCOUNT_NAME || !project) {
      return undefined;
    }
    id = projectResourceId({
      subscriptionId: AZURE_SUBSCRIPTION_ID,
      resourceGroup: AZURE_RESOURCE_GROUP,
      account: AZURE_AI_ACCOUNT_NAME,
      project,
    });
  }
  if (!PROJECT_ID.test(id)) return undefined;
  return foundryPortalLinks(id, { tenantId: values.AZURE_TENANT_ID });
}

/** One portal page, as a plan lists it. */
export interface PortalLink {
  title: string;
  url: string;
}

/** The Foundry project's portal pages from the azd environment's values (none before provisioning). */
export function foundryPortal(values: Readonly<Record<string, string | undefined>>): PortalLink[] {
  const links = portalLinksFromValues(values);
  if (!links) return [];
  return [
    { title: "Foundry project (overview, models, connected resources)", url: links.overview },
    { title: "evaluation runs (deno task eval --log-to-project)", url: links.evaluations },
    { title: "tracing (the app's spans, from Application Insights)", url: links.tracing },
  ];
}
