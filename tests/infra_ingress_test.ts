/**
 * The Container App's ingress and stop settings, read from infra/modules/container_app.bicep as
 * text (no Bicep compiler is installable here): the ingress is HTTP, so it reads each request's
 * head before the container sees it and bounds what Deno.serve does not (slow request heads, idle
 * connections; see tests/reliability_transport_test.ts); nothing bypasses it with a raw TCP port;
 * plain HTTP is redirected; and the replica's SIGTERM-to-SIGKILL window is longer than the
 * server's own shutdown grace.
 */
import assert from "node:assert/strict";
import { DEFAULT_SHUTDOWN_GRACE_MS } from "../server/serve.ts";

const SOURCE = Deno.readTextFileSync(
  new URL("../infra/modules/container_app.bicep", import.meta.url),
);
/** Bicep without `//` comments, so a word in a comment never satisfies a check. */
const CODE = SOURCE.replace(/\/\/.*$/gm, "");

/** The text of the `{ … }` block that follows `name:` (first occurrence). */
function blockOf(name: string): string {
  const at = CODE.search(new RegExp(`\\b${name}:\\s*\\{`));
  assert.ok(at >= 0, `container_app.bicep has a ${name} block`);
  const open = CODE.indexOf("{", at);
  let depth = 0;
  for (let i = open; i < CODE.length; i++) {
    if (CODE[i] === "{") depth++;
    if (CODE[i] === "}" && --depth === 0) return CODE.slice(open + 1, i);
  }
  throw new Error(`unbalanced braces after ${name}`);
}

/** The value of `key: value` directly in `block` (not in nested blocks). */
function valueOf(block: string, key: string): string | undefined {
  let depth = 0;
  for (const line of block.split("\n")) {
    const match = depth === 0 ? line.match(new RegExp(`^\\s*${key}:\\s*(.+?)\\s*$`)) : null;
    if (match) return match[1];
    depth += (line.match(/[{[]/g) ?? []).length - (line.match(/[}\]]/g) ?? []).length;
  }
  return undefined;
}

Deno.test("container_app.bicep ingress is HTTP, external, HTTPS-only, with no TCP side door", async (t) => {
  const ingress = blockOf("ingress");
  await t.step("transport is an HTTP one (tcp would hand slow heads to Deno)", () => {
    const transport = valueOf(ingress, "transport");
    assert.ok(
      ["'auto'", "'http'", "'http2'"].includes(transport ?? ""),
      `transport: ${transport}`,
    );
  });
  await t.step("external, plain HTTP redirected to HTTPS", () => {
    assert.equal(valueOf(ingress, "external"), "true");
    assert.equal(valueOf(ingress, "allowInsecure"), "false");
  });
  await t.step("no exposed or additional TCP ports", () => {
    assert.equal(valueOf(ingress, "exposedPort"), undefined);
    assert.ok(!/additionalPortMappings/.test(CODE), "no additionalPortMappings");
  });
  await t.step("the target port is the one the probes call", () => {
    assert.equal(valueOf(ingress, "targetPort"), "targetPort");
    assert.ok([...CODE.matchAll(/port:\s*targetPort/g)].length >= 3, "probes use targetPort");
  });
});

Deno.test("container_app.bicep gives a stopping replica longer than the server's grace", () => {
  const template = blockOf("template");
  const seconds = Number(valueOf(template, "terminationGracePeriodSeconds"));
  assert.ok(Number.isInteger(seconds), "terminationGracePeriodSeconds is set");
  // Room after the server's grace for the tracing flush and the process exit.
  assert.ok(
    seconds * 1000 >= DEFAULT_SHUTDOWN_GRACE_MS + 3_000,
    `${seconds} s vs a ${DEFAULT_SHUTDOWN_GRACE_MS} ms shutdown grace`,
  );
});
