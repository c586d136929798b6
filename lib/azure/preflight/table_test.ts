import { equal, ok } from "node:assert/strict";
import { runPreflight } from "./preflight.ts";
import { preflightNote, preflightTable } from "./table.ts";
import { createFakeRunner } from "../runner.ts";

Deno.test("preflightTable() shows each check and what red rows mean on the track", async (t) => {
  // A laptop without azd, as most learners on the local track have.
  const noAzd = await runPreflight("deploy", { runner: createFakeRunner(), env: {} });

  await t.step("local track: the failed rows are fine, with how to switch", () => {
    const shown = preflightTable(noAzd, { track: "local", switchHint: "set `DEPLOY=azure`" });
    const html = shown.bundle["text/html"];
    ok(/<caption[^>]*>Preflight for deploying<\/caption>/.test(html));
    ok(html.includes("❌ failed") && html.includes("– skipped"));
    ok(html.includes("install-azd"), "the fix is shown");
    ok(html.includes("fine for the local track"));
    ok(html.includes("<code>DEPLOY=azure</code>"), "no literal backticks in the note");
    ok(String(shown).includes("fine for the local track"));
  });

  await t.step("Azure track: fix them first, naming the action", () => {
    const note = preflightNote(noAzd, { track: "azure" })!;
    const failed = noAzd.checks.filter((c) => !c.ok && !c.skipped).length;
    ok(failed > 1);
    ok(note.startsWith(`${failed} failed checks: fix them before this notebook can deploy`), note);
    const provision = preflightNote({ ...noAzd, action: "provision" }, { track: "azure" })!;
    ok(provision.includes("can provision"));
  });

  await t.step("every check passing: the table alone, no note", async () => {
    const signedIn = createFakeRunner({
      "azd version": { stdout: "azd version 1.20.0\n" },
      "azd auth login --check-status": { stdout: "Logged in to Azure as a@b.c\n" },
      "azd env list --output json": { stdout: "[]" },
    });
    const result = await runPreflight("provision", {
      runner: signedIn,
      env: {
        AZURE_ENV_NAME: "workshop-1",
        AZURE_LOCATION: "eastus2",
        AZURE_SUBSCRIPTION_ID: "00000000-1111-2222-3333-444444444444",
      },
    });
    equal(result.ok, true, JSON.stringify(result.checks));
    equal(preflightNote(result, { track: "local" }), undefined);
    const shown = preflightTable(result, { track: "local" });
    ok(!shown.bundle["text/html"].includes("preflight-note"));
    ok(shown.bundle["text/html"].includes("Preflight for provisioning"));
    // No az here: its row is a warning, shown as such, and not counted as a failure.
    ok(shown.bundle["text/html"].includes("⚠️ warning"));
    ok(shown.bundle["text/html"].includes("az login"));
  });
});
