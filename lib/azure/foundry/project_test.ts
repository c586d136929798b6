import assert from "node:assert/strict";
import { ValidationError } from "../../errors.ts";
import {
  foundryPortalLinks,
  parseProjectEndpoint,
  portalLinksFromValues,
  projectResourceId,
} from "./project.ts";

Deno.test("parseProjectEndpoint() reads account and project from a project endpoint", async (t) => {
  await t.step("the endpoint as the portal shows it", () => {
    assert.deepEqual(
      parseProjectEndpoint("https://aisvc-7q2x.services.ai.azure.com/api/projects/outdoor-gear"),
      {
        endpoint: "https://aisvc-7q2x.services.ai.azure.com/api/projects/outdoor-gear",
        account: "aisvc-7q2x",
        project: "outdoor-gear",
      },
    );
  });
  await t.step("a trailing slash and surrounding spaces are dropped", () => {
    const p = parseProjectEndpoint(" https://a1.services.ai.azure.com/api/projects/p1/ ");
    assert.equal(p.endpoint, "https://a1.services.ai.azure.com/api/projects/p1");
  });
  await t.step("plain http only on loopback (a local fake)", () => {
    assert.equal(
      parseProjectEndpoint("http://127.0.0.1:8123/api/projects/demo").endpoint,
      "http://127.0.0.1:8123/api/projects/demo",
    );
    assert.throws(
      () => parseProjectEndpoint("http://a1.services.ai.azure.com/api/projects/p1"),
      /AZURE_AI_PROJECT_ENDPOINT .*not https/,
    );
  });
  await t.step(
    "an account endpoint or an OpenAI endpoint is refused with the expected form",
    () => {
      for (
        const wrong of [
          "https://a1.services.ai.azure.com/",
          "https://a1.openai.azure.com/openai/deployments/chat",
          "https://a1.services.ai.azure.com/api/projects/",
          "https://a1.services.ai.azure.com/api/projects/p1?api-version=v1",
          "a1.services.ai.azure.com/api/projects/p1",
        ]
      ) {
        assert.throws(() => parseProjectEndpoint(wrong), (e: Error) => {
          assert.ok(e instanceof ValidationError);
          assert.match(e.message, /^Cannot use AZURE_AI_PROJECT_ENDPOINT "/);
          assert.match(
            e.message,
            /https:\/\/ACCOUNT\.services\.ai\.azure\.com\/api\/projects\/PROJECT/,
          );
          return true;
        }, wrong);
      }
    },
  );
});

Deno.test("foundryPortalLinks() links the project's overview, evaluations and tracing pages", async (t) => {
  const id = projectResourceId({
    subscriptionId: "0b1c2d3e-0000-4000-8000-00000000abcd",
    resourceGroup: "rg-workshop",
    account: "ai-xyz",
    project: "contoso-chat",
  });
  await t.step("the resource id names the account's child project", () => {
    assert.equal(
      id,
      "/subscriptions/0b1c2d3e-0000-4000-8000-00000000abcd/resourceGroups/rg-workshop" +
        "/providers/Microsoft.CognitiveServices/accounts/ai-xyz/projects/contoso-chat",
    );
  });
  await t.step("each page carries the id as wsid, and the tenant when known", () => {
    const links = foundryPortalLinks(id, { tenantId: "tenant-1" });
    for (const [page, url] of Object.entries(links)) {
      const parsed = new URL(url);
      assert.equal(parsed.origin, "https://ai.azure.com", page);
      assert.equal(parsed.searchParams.get("wsid"), id, page);
      assert.equal(parsed.searchParams.get("tid"), "tenant-1", page);
    }
    assert.equal(new URL(links.overview).pathname, "/foundryProject/overview");
    assert.equal(new URL(links.evaluations).pathname, "/foundryProject/evaluation");
    assert.equal(new URL(links.tracing).pathname, "/foundryProject/tracing");
    assert.equal(new URL(foundryPortalLinks(id).overview).searchParams.has("tid"), false);
  });
  await t.step("an account id (no project) is refused", () => {
    assert.throws(
      () => foundryPortalLinks(id.replace(/\/projects\/.*$/, "")),
      /Cannot link to Foundry project/,
    );
  });
});

Deno.test("portalLinksFromValues() uses the project id output, or builds it from the names", async (t) => {
  const id = "/subscriptions/s-1/resourceGroups/rg-a/providers/Microsoft.CognitiveServices/" +
    "accounts/acc/projects/proj";
  await t.step("AZURE_AI_PROJECT_ID", () => {
    const links = portalLinksFromValues({ AZURE_AI_PROJECT_ID: id });
    assert.equal(new URL(links!.evaluations).searchParams.get("wsid"), id);
  });
  await t.step("the names when the id is absent", () => {
    const links = portalLinksFromValues({
      AZURE_SUBSCRIPTION_ID: "s-1",
      AZURE_RESOURCE_GROUP: "rg-a",
      AZURE_AI_ACCOUNT_NAME: "acc",
      AZURE_AI_PROJECT_NAME: "proj",
      AZURE_TENANT_ID: "t-9",
    });
    assert.equal(new URL(links!.tracing).searchParams.get("wsid"), id);
    assert.equal(new URL(links!.tracing).searchParams.get("tid"), "t-9");
  });
  await t.step("nothing before provisioning", () => {
    assert.equal(portalLinksFromValues({}), undefined);
    assert.equal(portalLinksFromValues({ AZURE_SUBSCRIPTION_ID: "s-1" }), undefined);
    assert.equal(portalLinksFromValues({ AZURE_AI_PROJECT_ID: "not-an-id" }), undefined);
  });
});
