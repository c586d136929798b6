import assert from "node:assert/strict";
import { MODEL_DEPLOYMENTS, parseUsages, quotaLines, usageKey } from "./quota.ts";

Deno.test("MODEL_DEPLOYMENTS are the model parameters' defaults in infra/main.bicep", async () => {
  const bicep = await Deno.readTextFile(new URL("../../../infra/main.bicep", import.meta.url));
  const params = [...bicep.matchAll(/^param (\w+Model) object = \{([\s\S]*?)^\}/gm)].map((m) => {
    const field = (name: string) =>
      m[2].match(new RegExp(`^\\s*${name}: '?([^'\\n]+)'?$`, "m"))?.[1];
    return {
      deployment: field("deployment"),
      model: field("name"),
      sku: field("sku"),
      capacity: Number(field("capacity")),
    };
  });
  assert.equal(params.length, 3, "chat, embedding and evaluation models");
  assert.deepEqual(
    [...params].sort((a, b) => a.deployment!.localeCompare(b.deployment!)),
    [...MODEL_DEPLOYMENTS].sort((a, b) => a.deployment.localeCompare(b.deployment)),
  );
});

Deno.test("parseUsages() reads az's array and the REST envelope, skipping rows without a name", () => {
  const rows = [
    {
      name: { value: "OpenAI.GlobalStandard.gpt4.1", localizedValue: "x" },
      currentValue: 12.0,
      limit: 450.0,
    },
    { currentValue: 1, limit: 2 },
  ];
  const expected = [{ name: "OpenAI.GlobalStandard.gpt4.1", current: 12, limit: 450 }];
  assert.deepEqual(parseUsages(JSON.stringify(rows)), expected);
  assert.deepEqual(parseUsages(JSON.stringify({ value: rows })), expected);
  assert.throws(() => parseUsages("ERROR: not json"));
});

Deno.test("quotaLines() matches buckets however the model is spelled and sums deployments per bucket", async (t) => {
  await t.step("gpt4.1 and gpt-4.1 are one model, gpt-4.1-mini another", () => {
    assert.equal(
      usageKey("OpenAI.GlobalStandard.gpt4.1"),
      usageKey("OpenAI.GlobalStandard.gpt-4.1"),
    );
    assert.notEqual(
      usageKey("OpenAI.GlobalStandard.gpt-4.1"),
      usageKey("OpenAI.GlobalStandard.gpt-4.1-mini"),
    );
    assert.notEqual(usageKey("OpenAI.Standard.gpt-4.1"), usageKey("OpenAI.GlobalStandard.gpt-4.1"));
  });
  await t.step("two deployments of one model need the sum", () => {
    const lines = quotaLines(
      [
        { deployment: "chat", model: "gpt-4o", sku: "GlobalStandard", capacity: 40 },
        { deployment: "judge", model: "gpt-4o", sku: "GlobalStandard", capacity: 20 },
        { deployment: "emb", model: "text-embedding-3-large", sku: "Standard", capacity: 10 },
      ],
      [
        { name: "OpenAI.GlobalStandard.gpt-4o", current: 400, limit: 450 },
        { name: "OpenAI.GlobalStandard.text-embedding-3-large", current: 0, limit: 350 },
      ],
    );
    assert.deepEqual(lines, [
      {
        model: "gpt-4o",
        sku: "GlobalStandard",
        need: 60,
        available: 50,
        limit: 450,
        bucket: "OpenAI.GlobalStandard.gpt-4o",
      },
      { model: "text-embedding-3-large", sku: "Standard", need: 10 },
    ]);
  });
});
