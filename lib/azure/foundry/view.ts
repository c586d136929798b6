/**
 * The Azure AI Foundry project for a notebook cell: links to the portal pages a learner needs at
 * that stage (the project in notebook 1, its evaluation runs in notebook 4, its tracing view in
 * notebook 5), each with what to look for there; before provisioning, where the links will
 * come from. Markdown, so it reads the same in Jupyter and in an HTML export.
 *
 * @module
 */
import { markdown, type Rendered } from "../../display/mod.ts";
import { type FoundryPortalLinks, portalLinksFromValues } from "./project.ts";

/** A portal page of the project. */
export type FoundryPage = keyof FoundryPortalLinks;

const WHAT: Record<FoundryPage, { title: string; look: string }> = {
  overview: {
    title: "Project overview",
    look: "the project endpoint (`AZURE_AI_PROJECT_ENDPOINT`), the model deployments, and under " +
      "**Connected resources** the Application Insights and Azure AI Search connections",
  },
  evaluations: {
    title: "Evaluation",
    look: "one eval per data set (`contoso-chat · test.jsonl`), each `deno task eval " +
      "--log-to-project` run under it, with every row's answer, scores (`score_*`) and verdicts",
  },
  tracing: {
    title: "Tracing",
    look: "one trace per request (`chat.request`), its steps as spans; the model calls carry the " +
      "GenAI attributes (operation, model, token usage)",
  },
};

/**
 * The portal pages of the project in `values` (`.env` or `azd env get-values`), or a note
 * saying they appear after `deno task provision`.
 *
 * @example
 * ```ts
 * import { foundryPortalView } from "./view.ts";
 * console.assert(foundryPortalView({}).bundle["text/markdown"].includes("deno task provision"));
 * ```
 */
export function foundryPortalView(
  values: Readonly<Record<string, string | undefined>>,
  options: { pages?: readonly FoundryPage[] } = {},
): Rendered {
  const pages = options.pages ?? ["overview", "evaluations", "tracing"];
  const links = portalLinksFromValues(values);
  if (!links) {
    return markdown`No Azure AI Foundry project in this environment yet (no \`AZURE_AI_PROJECT_ID\`
in \`.env\`). \`deno task provision\` creates it and writes its outputs to \`.env\`; then this cell
links ${pages.map((p) => `**${WHAT[p].title}**`).join(", ")} in https://ai.azure.com. Until then
runs stay in \`.runs/eval/\` and traces in the notebooks.`;
  }
  return markdown(
    pages.map((p) => `- [${WHAT[p].title}](${links[p]}): ${WHAT[p].look}.`).join("\n"),
  );
}
