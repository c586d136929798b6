import assert from "node:assert/strict";
import { parseHTML } from "linkedom";
import { marked } from "marked";
import { foundryPortalView } from "./view.ts";

const ID = "/subscriptions/9f0e/resourceGroups/rg-contoso/providers/" +
  "Microsoft.CognitiveServices/accounts/ai-k2/projects/contoso-chat";

Deno.test("foundryPortalView() links the pages a notebook asks for, with what to look for", async (t) => {
  await t.step("every page by default, each a Markdown link that parses", async () => {
    const text = foundryPortalView({ AZURE_AI_PROJECT_ID: ID }).bundle["text/markdown"];
    const { document } = parseHTML(`<body>${await marked.parse(text)}</body>`);
    const anchors = [...document.querySelectorAll("li a")];
    assert.deepEqual(anchors.map((a) => a.textContent), [
      "Project overview",
      "Evaluation",
      "Tracing",
    ]);
    for (const a of anchors) {
      const url = new URL(a.getAttribute("href")!);
      assert.equal(url.origin, "https://ai.azure.com");
      assert.equal(url.searchParams.get("wsid"), ID);
    }
    assert.match(text, /Connected resources/);
  });
  await t.step("only the pages asked for", () => {
    const text = foundryPortalView({ AZURE_AI_PROJECT_ID: ID }, { pages: ["evaluations"] })
      .bundle["text/markdown"];
    assert.equal(text.split("\n").length, 1);
    assert.match(text, /^- \[Evaluation\]\(https:\/\/ai\.azure\.com\/foundryProject\/evaluation\?/);
    assert.match(text, /--log-to-project/);
  });
  await t.step("before provisioning: where the links will come from", () => {
    const text = foundryPortalView({}, { pages: ["tracing"] }).bundle["text/markdown"];
    assert.match(text, /No Azure AI Foundry project in this environment yet/);
    assert.match(text, /deno task provision/);
    assert.match(text, /\*\*Tracing\*\*/);
    assert.doesNotMatch(text, /\*\*Evaluation\*\*/);
  });
});
