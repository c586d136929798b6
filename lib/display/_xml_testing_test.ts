import assert from "node:assert/strict";
import { assertWellFormedXml } from "./_xml_testing.ts";

Deno.test("assertWellFormedXml() accepts well-formed XML", () => {
  assertWellFormedXml(
    `<?xml version="1.0"?>\n<svg a="1" b='&amp;'><g/><text>a &lt; b</text></svg>\n`,
  );
});

Deno.test("assertWellFormedXml() rejects malformed XML", async (t) => {
  for (
    const bad of [
      "<svg><g></svg>",
      "<svg>a & b</svg>",
      '<svg a="1" a="2"/>',
      "<svg a=1/>",
      "<svg/><svg/>",
      '<svg a="<"/>',
      "<svg>",
    ]
  ) {
    await t.step(bad, () => assert.throws(() => assertWellFormedXml(bad), SyntaxError));
  }
});
