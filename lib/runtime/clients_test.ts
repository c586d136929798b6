import { deepEqual, equal, ok } from "node:assert/strict";
import { loadConfig } from "../config/load.ts";
import { createModelClients } from "./clients.ts";

Deno.test("createModelClients() builds the configured models once", async (t) => {
  await t.step("offline: no evaluation model, no rate limits", () => {
    const clients = createModelClients(loadConfig({}));
    deepEqual([clients.chatModel.backend, clients.embeddingModel.backend], ["offline", "offline"]);
    equal(clients.evaluationModel, undefined);
    ok(!("rateLimits" in clients));
  });
  await t.step("GitHub Models: one tracker per model, the judge sharing the chat model's", () => {
    const clients = createModelClients(
      loadConfig({ MODEL_PROVIDER: "github", GITHUB_TOKEN: "ghp_composition" }),
      { fetch: () => Promise.reject(new Error("no network in this test")) },
    );
    equal(clients.chatModel.backend, "github-models");
    ok(clients.evaluationModel);
    const limits = clients.rateLimits!;
    equal(limits.chat, limits.evaluation);
    ok(limits.chat !== limits.embedding);
  });
});
