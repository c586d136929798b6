import assert from "node:assert/strict";
import { escapeHtml } from "../../display/escape.ts";
import { ignoreBrowser, withOutputs } from "../../display/_browser_testing.ts";
import { formatPlan } from "./format_plan.ts";
import { testTarget } from "./_test_target.ts";
import { planDeploy, planProvision, planTeardown } from "./plan.ts";
import { onPath, requiredTool } from "../../../tests/_required_tool.ts";

Deno.test("formatPlan() prints each command, resource with its API version, the environment and notes", () => {
  const text = formatPlan(planProvision(testTarget()));
  assert.match(
    text,
    /Plan for provision of azd environment "dev" in eastus2 \(subscription sub-1\)/,
  );
  assert.match(text, /\$ azd provision --environment dev --no-prompt/);
  assert.match(text, /Microsoft\.App\/containerApps@2025-01-01/);
  assert.match(text, /APPLICATIONINSIGHTS_CONNECTION_STRING \(secret\)/);
  assert.match(formatPlan(planDeploy(testTarget())), /\$ CONTOSO_SMOKE_BY_TASK=1 azd deploy api/);
  assert.match(
    formatPlan(planDeploy(testTarget())),
    /POST <SERVICE_API_URI>\/api\/create_response/,
  );
  assert.match(formatPlan(planTeardown(testTarget())), /Deleted resources/);
});

Deno.test("formatPlan() wraps long lines between words, never inside one", async (t) => {
  // Long names the way a learner might pick them, and a quoted value a shell must keep whole.
  const long = testTarget({
    envName: "contoso-chat-workshop-westeurope-team-seven",
    location: "westeurope",
    subscriptionId: "0f3c9e2a-5b7d-4e61-9a08-c2d4e6f81b35",
    values: { AZURE_RESOURCE_GROUP: "rg-contoso-chat-workshop-westeurope-team-seven" },
  });
  const plans = [
    planProvision(long),
    planDeploy(long),
    planTeardown(long),
    planProvision(testTarget()),
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

// bash reads the pasted commands: without it this test is ignored locally and fails on CI.
const bash = requiredTool({
  what: "bash",
  found: onPath("bash"),
  hint: "apt-get install -y bash",
});

Deno.test({
  name: "formatPlan() wraps commands so bash still reads the same arguments",
  ignore: bash.ignore,
}, async () => {
  bash.require();
  const long = testTarget({
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
    const text = formatPlan(
      planProvision(testTarget({ envName: "contoso-chat-workshop-team-seven" })),
    );
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
