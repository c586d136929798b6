import assert from "node:assert/strict";
import { AZURE_VARIABLES } from "../../config/variables.ts";
import { INFRA_RESOURCES } from "../infra.ts";
import { shellLine } from "../runner.ts";
import { formatPlan, planDeploy, planProvision, planTeardown, SMOKE_BY_TASK } from "./plan.ts";
import type { AzureTarget } from "../preflight/preflight.ts";
import { escapeHtml } from "../../display/escape.ts";
import { ignoreBrowser, withOutputs } from "../../display/_browser_testing.ts";

const target = (over: Partial<AzureTarget> = {}): AzureTarget => ({
  envName: "dev",
  envExists: false,
  location: "eastus2",
  subscriptionId: "sub-1",
  values: {},
  ...over,
});

function commands(plan: ReturnType<typeof planProvision>): string[] {
  return plan.steps.flatMap((s) => s.kind === "command" ? [shellLine(s.command)] : [`(${s.kind})`]);
}

Deno.test("planProvision() creates a new environment, sets region and subscription, then azd provision", () => {
  const plan = planProvision(target());
  assert.deepEqual(commands(plan), [
    "azd env new dev --no-prompt",
    "azd env set AZURE_LOCATION eastus2 -e dev",
    "azd env set AZURE_SUBSCRIPTION_ID sub-1 -e dev",
    "azd provision --environment dev --no-prompt",
  ]);
  assert.equal(plan.resourceGroup, "rg-dev");
  assert.equal(plan.resources.length, INFRA_RESOURCES.length);
  assert.deepEqual(plan.environment.map((e) => e.name), [...AZURE_VARIABLES]);
  assert.equal(plan.environment.find((e) => e.name === "AZURE_CLIENT_ID")?.local, false);
  assert.equal(
    plan.environment.find((e) => e.name === "APPLICATIONINSIGHTS_CONNECTION_STRING")?.secret,
    true,
  );
});

Deno.test("planProvision() selects an existing environment", () => {
  const plan = planProvision(
    target({ envExists: true, values: { AZURE_RESOURCE_GROUP: "rg-custom" } }),
  );
  assert.equal(commands(plan)[0], "azd env select dev");
  assert.equal(plan.resourceGroup, "rg-custom");
});

Deno.test("planDeploy() deploys the api service, then smoke-tests SERVICE_API_URI", () => {
  const plan = planDeploy(
    target({ envExists: true, values: { SERVICE_API_URI: "https://ca.example" } }),
  );
  assert.deepEqual(commands(plan), ["azd deploy api --environment dev --no-prompt", "(smoke)"]);
  const [deploy, smoke] = plan.steps;
  assert.equal(deploy.kind === "command" && deploy.env?.[SMOKE_BY_TASK], "1");
  assert.equal(smoke.kind === "smoke" && smoke.url, "https://ca.example");
  assert.deepEqual(plan.resources.map((r) => r.type), [
    "Microsoft.ContainerRegistry/registries",
    "Microsoft.App/containerApps",
  ]);
});

Deno.test("planTeardown() purges with azd down, then removes the .env block", () => {
  const plan = planTeardown(target({ envExists: true }), { dotEnvPath: "/tmp/x/.env" });
  assert.deepEqual(commands(plan), [
    "azd down --environment dev --force --purge --no-prompt",
    "(remove-env-block)",
  ]);
});

Deno.test("formatPlan() prints each command, resource with its API version, the environment and notes", () => {
  const text = formatPlan(planProvision(target()));
  assert.match(
    text,
    /Plan for provision of azd environment "dev" in eastus2 \(subscription sub-1\)/,
  );
  assert.match(text, /\$ azd provision --environment dev --no-prompt/);
  assert.match(text, /Microsoft\.App\/containerApps@2025-01-01/);
  assert.match(text, /APPLICATIONINSIGHTS_CONNECTION_STRING \(secret\)/);
  assert.match(formatPlan(planDeploy(target())), /\$ CONTOSO_SMOKE_BY_TASK=1 azd deploy api/);
  assert.match(formatPlan(planDeploy(target())), /POST <SERVICE_API_URI>\/api\/create_response/);
  assert.match(formatPlan(planTeardown(target())), /Deleted resources/);
});

Deno.test("formatPlan() wraps long lines between words, never inside one", async (t) => {
  // Long names the way a learner might pick them, and a quoted value a shell must keep whole.
  const long = target({
    envName: "contoso-chat-workshop-westeurope-team-seven",
    location: "westeurope",
    subscriptionId: "0f3c9e2a-5b7d-4e61-9a08-c2d4e6f81b35",
    values: { AZURE_RESOURCE_GROUP: "rg-contoso-chat-workshop-westeurope-team-seven" },
  });
  const plans = [
    planProvision(long),
    planDeploy(long),
    planTeardown(long),
    planProvision(target()),
  ];
  const words = (text: string) => text.split(/\s+/).filter((w) => w !== "" && w !== "\\");
  for (const width of [40, 60, 80, 100]) {
    await t.step(`width ${width}`, () => {
      for (const plan of plans) {
        const wrapped = formatPlan(plan, { width });
        for (const line of wrapped.split("\n")) {
          // Only a word too long for any line may stick out, after its list marker if any.
          if (line.length > width) {
            const [head, ...rest] = words(line).reverse();
            assert.ok(head.length > width - 12, line);
            assert.ok(rest.every((w) => /^(-|\$|\d+\.)$/.test(w)), line);
          }
        }
        // Same words in the same order as unwrapped: nothing split, lost or added.
        assert.deepEqual(words(wrapped), words(formatPlan(plan, { width: 100_000 })));
      }
    });
  }
  await t.step("80 columns by default", () => {
    const text = formatPlan(planProvision(long));
    assert.equal(text, formatPlan(planProvision(long), { width: 80 }));
    assert.ok(text.split("\n").every((l) => l.length <= 80));
    for (const line of text.split("\n")) {
      assert.equal((line.match(/`/g) ?? []).length % 2, 0, `a code span is cut: ${line}`);
    }
  });
});

Deno.test("formatPlan() wraps commands so bash still reads the same arguments", async () => {
  const bash = new Deno.Command("bash", { args: ["-c", "true"] });
  if (!(await bash.output().then((o) => o.success, () => false))) return;
  const long = target({
    envName: "contoso-chat-workshop-westeurope-team-seven",
    subscriptionId: "0f3c9e2a-5b7d-4e61-9a08-c2d4e6f81b35",
  });
  const plan = {
    ...planDeploy(long),
    steps: [
      ...planProvision(long).steps,
      ...planDeploy(long).steps,
      {
        kind: "command" as const,
        title: "a value with spaces and quotes",
        command: [
          "azd",
          "env",
          "set",
          "GREETING",
          "it's a long value with spaces in it",
          "-e",
          "x",
        ],
      },
    ],
  };
  const text = formatPlan(plan, { width: 50 });
  const shown = [...text.matchAll(/\$ ((?:.*\\\n)*.*)/g)].map((m) => m[1]);
  const expected = plan.steps.flatMap((s) =>
    s.kind === "command" ? [[...Object.values(s.env ?? {}).map(() => []), s.command]] : []
  ).map((parts) => parts.at(-1)!);
  assert.equal(shown.length, expected.length);
  assert.ok(shown.some((c) => c.includes("\\\n")), "some command was wrapped");
  for (const [i, command] of shown.entries()) {
    // Replace the program with printf: bash splits the pasted lines into its arguments.
    const script = command.replace(/\bazd\b/, "printf '%s\\n'");
    const out = await new Deno.Command("bash", { args: ["-c", script], stdout: "piped" }).output();
    const args = new TextDecoder().decode(out.stdout).split("\n").slice(0, -1);
    assert.deepEqual(args, expected[i].slice(1), command);
  }
});

Deno.test({
  name: "formatPlan() lines do not wrap in a Jupyter output in Chromium",
  ignore: ignoreBrowser,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const text = formatPlan(planProvision(target({ envName: "contoso-chat-workshop-team-seven" })));
    // A stream output (console.log) and a Markdown code block, as the notebooks show plans.
    const outputs = [
      `<div class="jp-RenderedText"><pre>${escapeHtml(text)}</pre></div>`,
      `<div class="jp-RenderedMarkdown"><pre><code>${escapeHtml(text)}</code></pre></div>`,
    ];
    // 760 px: a notebook beside a file browser on a laptop screen.
    await withOutputs(outputs, async (page) => {
      const heights = await page.$$eval("pre", (pres) =>
        pres.map((pre) => {
          const style = getComputedStyle(pre);
          return { lines: pre.getClientRects()[0].height / parseFloat(style.lineHeight) };
        }));
      for (const h of heights) {
        assert.ok(Math.abs(h.lines - text.split("\n").length) < 0.5, JSON.stringify(h));
      }
    }, { width: 760 });
  },
});

Deno.test("planProvision() shows the Foundry project: a note before it exists, portal links after", async (t) => {
  await t.step("first provision: resources and a note, no links yet", () => {
    const plan = planProvision(target());
    const types = plan.resources.map((r) => r.type);
    assert.ok(types.includes("Microsoft.CognitiveServices/accounts/projects"));
    assert.deepEqual(plan.portal, []);
    assert.ok(plan.notes.some((n) => /Foundry project .*listed once it exists/.test(n)));
    assert.doesNotMatch(formatPlan(plan), /Azure AI Foundry portal:/);
  });
  await t.step("re-provision: the project's overview, evaluation and tracing pages", () => {
    const id = "/subscriptions/sub-1/resourceGroups/rg-dev/providers/" +
      "Microsoft.CognitiveServices/accounts/ai-q1/projects/contoso-chat";
    const plan = planProvision(target({ envExists: true, values: { AZURE_AI_PROJECT_ID: id } }));
    assert.deepEqual(
      plan.portal.map((l) => new URL(l.url).pathname),
      ["/foundryProject/overview", "/foundryProject/evaluation", "/foundryProject/tracing"],
    );
    const text = formatPlan(plan);
    assert.match(text, /Azure AI Foundry portal:/);
    // Each address is on a line of its own, whole, so it can be copied from the text.
    for (const link of plan.portal) {
      assert.ok(text.split("\n").some((line) => line.trim() === link.url), link.url);
    }
  });
  await t.step("the deploy plan links the tracing view too; teardown links nothing", () => {
    const values = {
      AZURE_SUBSCRIPTION_ID: "sub-1",
      AZURE_RESOURCE_GROUP: "rg-dev",
      AZURE_AI_ACCOUNT_NAME: "ai-q1",
      AZURE_AI_PROJECT_NAME: "contoso-chat",
    };
    const deploy = planDeploy(target({ envExists: true, values }));
    assert.ok(deploy.portal.some((l) => l.url.includes("/foundryProject/tracing?")));
    assert.deepEqual(planTeardown(target({ envExists: true, values })).portal, []);
  });
});
